// Diagram exports: every example as Graphviz DOT (rendered by Graphviz's `dot` where it is
// installed: Debian's graphviz) and as a Mermaid flowchart, grouped by host and labelled
// with names and addresses; hostile names stay inside their labels.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { designToDot, designToDrawio, designToMermaid, diagramGraph } from './diagram';

const examplesDir = join(__dirname, '../../resources/examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.wireplan.json'));
const load = (file: string): Design => {
  const r = parseDesign(readFileSync(join(examplesDir, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return r.design;
};
const hasDot = spawnSync('dot', ['-V']).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0;

/** The draw.io file's cells as a strict XML parser (Python's ElementTree) reads them. */
function drawioCells(xml: string): { id: string; value: string | null; vertex: string | null; edge: string | null; parent: string | null; source: string | null; target: string | null }[] {
  const prog = "import sys,json,xml.etree.ElementTree as ET\nr=ET.fromstring(sys.stdin.buffer.read())\nassert r.tag=='mxfile'\nprint(json.dumps([{k:c.get(k) for k in ('id','value','vertex','edge','parent','source','target')} for c in r.iter('mxCell')]))";
  const r = spawnSync('python3', ['-c', prog], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not valid XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReturnType<typeof drawioCells>;
}

/** Renders DOT with Graphviz; returns the SVG (or throws with dot's complaint). */
function renderDot(text: string): string {
  const r = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim()) throw new Error(`dot: ${r.stderr}`);
  return r.stdout;
}

/** A light structural check of the flowchart layout emitted here; mermaid itself parses it in diagram-mermaid.test.ts. */
function checkMermaid(text: string): void {
  const lines = text.trimEnd().split('\n');
  expect(lines.slice(0, 4).join('\n')).toMatch(/^---\ntitle: ".*"\n---\nflowchart LR$/);
  let depth = 0;
  for (const line of lines.slice(4)) {
    if (/^ {2}subgraph h\d+\["[^"]*"\]$/.test(line)) depth++;
    else if (line === '  end') depth--;
    else if (/^ {4}n\d+(\[\[|\[|\{\{|\[\/|>|\(\[)"[^"]*"(\]\]|\]|\}\}|\/\]|\]\))$/.test(line)) expect(depth).toBe(1);
    else expect(line).toMatch(/^ {2}n\d+ (---|-\.-)\|"[^"|]*"\| n\d+$/);
    expect(depth === 0 || depth === 1).toBe(true);
  }
  expect(depth).toBe(0);
}

describe('diagram exports', () => {
  it.each(examples)('%s: one group per host, every element named, veths as labelled edges', (file) => {
    const d = load(file);
    const g = diagramGraph(d);
    expect(g.hosts.map((h) => h.name)).toEqual(d.hosts.map((h) => h.name));
    const dot = designToDot(d);
    const mermaid = designToMermaid(d);
    for (const h of d.hosts) {
      expect(dot).toContain(`label="host ${h.name}"`);
      expect(mermaid).toContain(`["host ${h.name}"]`);
    }
    for (const el of [...d.namespaces, ...d.bridges, ...d.macvlans, ...d.vlans, ...d.vxlans]) {
      expect(dot, el.name).toContain(el.name);
      expect(mermaid, el.name).toContain(el.name);
    }
    for (const v of d.veths) for (const a of [...v.a.addresses, ...v.b.addresses]) expect(dot).toContain(a);
    expect(g.edges.filter((e) => !e.dashed)).toHaveLength(d.veths.length);
    expect((dot.match(/ -- /g) ?? []).length).toBe(g.edges.length);
    checkMermaid(mermaid);
    expect(designToDot(d)).toBe(dot); // deterministic
  });

  it.skipIf(!hasDot).each(examples)('%s: Graphviz renders the DOT', (file) => {
    const svg = renderDot(designToDot(load(file)));
    expect(svg).toContain('<svg');
    expect((svg.match(/class="cluster"/g) ?? []).length).toBe(load(file).hosts.length);
  });

  it.skipIf(!hasPython).each(examples)('%s: the draw.io file is valid XML with one cell per host, element and link', (file) => {
    const d = load(file);
    const g = diagramGraph(d);
    const cells = drawioCells(designToDrawio(d));
    expect(cells.filter((c) => c.vertex === '1')).toHaveLength(d.hosts.length + g.nodes.length);
    const edges = cells.filter((c) => c.edge === '1');
    expect(edges).toHaveLength(g.edges.length);
    const ids = new Set(cells.map((c) => c.id));
    expect(ids.size).toBe(cells.length);
    for (const e of edges) expect(ids.has(e.source!) && ids.has(e.target!)).toBe(true);
    for (const el of [...d.namespaces, ...d.bridges]) expect(cells.some((c) => c.value?.includes(el.name))).toBe(true);
  });

  it('names with quotes, backslashes, newlines, pipes and markup stay inside their labels', () => {
    const d = load('two-namespaces-nat.wireplan.json');
    d.name = 'evil "design" \\ } {';
    d.namespaces[0]!.name = 'a"b|c<d>\\e\nf';
    const dot = designToDot(d);
    expect(dot).toContain('"netns a\\"b|c<d>\\\\e\\nf"'.slice(1, -1));
    if (hasDot) expect(renderDot(dot)).toContain('<svg');
    if (hasPython) expect(drawioCells(designToDrawio(d)).some((c) => c.value === 'netns a"b|c<d>\\e\nf')).toBe(true);
    const mermaid = designToMermaid(d);
    expect(mermaid).toContain('netns a#quot;b#124;c#lt;d#gt;\\e<br/>f');
    checkMermaid(mermaid);
  });
});
