// Diagram exports of a design: Graphviz DOT and Mermaid flowcharts, grouped by host (one
// cluster / subgraph per host), labelled with names and addresses. Pure functions of the
// design; deterministic (same design -> same text).
//
// Nodes: each host's root namespace (with its NICs), every namespace, bridge, macvlan/
// ipvlan, VLAN and VXLAN interface. Edges: veth pairs (labelled with both ends'
// addresses), and each macvlan/VLAN/VXLAN to where it lives and to its bridge. NAT, port
// forwards and policies are listed on the node they belong to.
import { DesignIndex } from '../model/topology';
import type { Design } from '../model/schema';

export interface DiagramNode {
  id: string;
  host: string;
  kind: 'host' | 'namespace' | 'bridge' | 'macvlan' | 'ipvlan' | 'vlan' | 'vxlan';
  /** Lines of the label: the name first. */
  lines: string[];
}

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  /** A dashed edge: placement or parent, not a cable (veth). */
  dashed?: boolean;
}

export interface DiagramGraph {
  title: string;
  hosts: { id: string; name: string }[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

const addrs = (a: readonly string[]): string => a.join(', ');

/** The design as a graph: what both diagram formats draw. */
export function diagramGraph(design: Design): DiagramGraph {
  const index = new DesignIndex(design);
  const nodes = new Map<string, DiagramNode>();
  const hostOf = (at: string): string | undefined => index.place(at)?.host.id;
  const add = (n: DiagramNode) => nodes.set(n.id, n);
  for (const h of design.hosts) {
    add({ id: h.id, host: h.id, kind: 'host', lines: [`${h.name} (root)`, ...h.nics.map((n) => `nic ${n.name}${n.management ? ' (management)' : ''}`)] });
  }
  for (const ns of design.namespaces) add({ id: ns.id, host: ns.host, kind: 'namespace', lines: [`netns ${ns.name}`] });
  for (const b of design.bridges) {
    const host = hostOf(b.at);
    if (!host) continue;
    add({ id: b.id, host, kind: 'bridge', lines: [`bridge ${b.name}`, ...(b.addresses.length ? [addrs(b.addresses)] : []), ...(b.nics.length ? [`ports ${b.nics.join(', ')}`] : [])] });
  }
  const edges: DiagramEdge[] = [];
  const attach = (id: string, kind: DiagramNode['kind'], lines: string[], at: string, parentEdge?: { to: string; label: string }) => {
    const host = hostOf(at);
    if (!host) return;
    add({ id, host, kind, lines });
    if (nodes.has(at)) edges.push({ from: id, to: at, label: 'in', dashed: true });
    if (parentEdge && nodes.has(parentEdge.to)) edges.push({ from: id, to: parentEdge.to, label: parentEdge.label, dashed: true });
  };
  for (const m of design.macvlans) {
    attach(m.id, m.kind, [`${m.kind} ${m.name}`, `on ${m.parent}, mode ${m.mode}`, ...(m.addresses.length ? [addrs(m.addresses)] : [])], m.at);
  }
  for (const v of design.vlans) {
    attach(v.id, 'vlan', [`vlan ${v.name}`, `${v.parent}.${v.vlanId}`, ...(v.addresses.length ? [addrs(v.addresses)] : [])], v.at, v.bridge ? { to: v.bridge, label: 'port' } : undefined);
  }
  for (const x of design.vxlans) {
    const peer = x.remote ? `remote ${x.remote}` : x.group ? `group ${x.group}` : 'no peer';
    attach(x.id, 'vxlan', [`vxlan ${x.name}`, `vni ${x.vni}, ${peer}`, ...(x.addresses.length ? [addrs(x.addresses)] : [])], x.at, x.bridge ? { to: x.bridge, label: 'port' } : undefined);
  }
  for (const v of design.veths) {
    if (!nodes.has(v.a.at) || !nodes.has(v.b.at)) continue;
    const end = (e: typeof v.a) => [e.ifname, addrs(e.addresses)].filter(Boolean).join(' ');
    const label = [v.name, [end(v.a), end(v.b)].filter(Boolean).join(' - ')].filter(Boolean).join('\n');
    edges.push({ from: v.a.at, to: v.b.at, label });
  }
  const note = (at: string, line: string) => nodes.get(at)?.lines.push(line);
  for (const m of design.masquerades) note(m.at, `NAT ${m.source} -> ${m.egress ?? (m.egressExcept ? `not ${m.egressExcept}` : 'any')}`);
  for (const p of design.portForwards) note(p.at, `DNAT ${p.protocol}/${p.port} -> ${p.to}${p.toPort ? `:${p.toPort}` : ''}`);
  for (const p of design.policies) note(p.at, `policy ${p.name}: ${p.rules.length} rule(s), default ${p.defaultAction}`);
  return { title: design.name, hosts: design.hosts.map((h) => ({ id: h.id, name: h.name })), nodes: [...nodes.values()], edges };
}

// ---- Graphviz DOT

const dotString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

const DOT_SHAPE: Record<DiagramNode['kind'], string> = {
  host: 'box3d',
  namespace: 'box',
  bridge: 'hexagon',
  macvlan: 'component',
  ipvlan: 'component',
  vlan: 'cds',
  vxlan: 'parallelogram',
};

export function designToDot(design: Design): string {
  const g = diagramGraph(design);
  const out = [`graph ${dotString(g.title)} {`, `  label=${dotString(g.title)};`, '  labelloc=t;', '  compound=true;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  g.hosts.forEach((h, i) => {
    out.push(`  subgraph ${dotString(`cluster_${i}`)} {`, `    label=${dotString(`host ${h.name}`)};`, '    style=rounded;');
    for (const n of g.nodes.filter((x) => x.host === h.id)) out.push(`    ${dotString(n.id)} [shape=${DOT_SHAPE[n.kind]}, label=${dotString(n.lines.join('\n'))}];`);
    out.push('  }');
  });
  for (const e of g.edges) out.push(`  ${dotString(e.from)} -- ${dotString(e.to)} [label=${dotString(e.label)}${e.dashed ? ', style=dashed' : ''}];`);
  out.push('}', '');
  return out.join('\n');
}

// ---- Mermaid flowchart

/** Mermaid label text: quotes and markup characters as entity codes, lines as <br/>. */
const mermaidText = (s: string): string =>
  s
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/\n/g, '<br/>');

const MERMAID_SHAPE: Record<DiagramNode['kind'], [string, string]> = {
  host: ['[[', ']]'],
  namespace: ['[', ']'],
  bridge: ['{{', '}}'],
  macvlan: ['[/', '/]'],
  ipvlan: ['[/', '/]'],
  vlan: ['>', ']'],
  vxlan: ['([', '])'],
};

export function designToMermaid(design: Design): string {
  const g = diagramGraph(design);
  // Mermaid ids are plain words: n0, n1 ... in node order (the labels carry the names).
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['---', `title: ${JSON.stringify(g.title)}`, '---', 'flowchart LR'];
  g.hosts.forEach((h, i) => {
    out.push(`  subgraph h${i}["${mermaidText(`host ${h.name}`)}"]`);
    for (const n of g.nodes.filter((x) => x.host === h.id)) {
      const [open, close] = MERMAID_SHAPE[n.kind];
      out.push(`    ${ids.get(n.id)}${open}"${mermaidText(n.lines.join('\n'))}"${close}`);
    }
    out.push('  end');
  });
  for (const e of g.edges) out.push(`  ${ids.get(e.from)} ${e.dashed ? '-.-' : '---'}|"${mermaidText(e.label)}"| ${ids.get(e.to)}`);
  out.push('');
  return out.join('\n');
}

// ---- draw.io (diagrams.net) file

const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#xa;');

const DRAWIO_STYLE: Record<DiagramNode['kind'], string> = {
  host: 'shape=cube;whiteSpace=wrap;html=0;',
  namespace: 'rounded=1;whiteSpace=wrap;html=0;',
  bridge: 'shape=hexagon;perimeter=hexagonPerimeter2;whiteSpace=wrap;html=0;',
  macvlan: 'shape=parallelogram;whiteSpace=wrap;html=0;',
  ipvlan: 'shape=parallelogram;whiteSpace=wrap;html=0;',
  vlan: 'shape=step;whiteSpace=wrap;html=0;',
  vxlan: 'shape=trapezoid;whiteSpace=wrap;html=0;',
};

/**
 * An uncompressed draw.io file: one container cell per host, one vertex cell per element
 * inside it (laid out in a grid), one edge cell per link. Positions are a simple grid;
 * draw.io's Arrange menu lays it out anew.
 */
export function designToDrawio(design: Design): string {
  const g = diagramGraph(design);
  const W = 200;
  const H = 90;
  const GAP = 40;
  const cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  const cellId = new Map<string, string>();
  let x0 = 0;
  g.hosts.forEach((h, hi) => {
    const nodes = g.nodes.filter((n) => n.host === h.id);
    const cols = Math.max(1, Math.ceil(Math.sqrt(nodes.length)));
    const rows = Math.max(1, Math.ceil(nodes.length / cols));
    const width = cols * (W + GAP) + GAP;
    const height = rows * (H + GAP) + GAP + 30;
    const hid = `h${hi}`;
    cells.push(`<mxCell id="${hid}" value="${xmlAttr(`host ${h.name}`)}" style="swimlane;rounded=1;html=0;" vertex="1" parent="1"><mxGeometry x="${x0}" y="0" width="${width}" height="${height}" as="geometry"/></mxCell>`);
    nodes.forEach((n, i) => {
      const id = `e${cellId.size}`;
      cellId.set(n.id, id);
      const x = GAP + (i % cols) * (W + GAP);
      const y = 30 + GAP + Math.floor(i / cols) * (H + GAP);
      cells.push(`<mxCell id="${id}" value="${xmlAttr(n.lines.join('\n'))}" style="${DRAWIO_STYLE[n.kind]}" vertex="1" parent="${hid}"><mxGeometry x="${x}" y="${y}" width="${W}" height="${H}" as="geometry"/></mxCell>`);
    });
    x0 += width + GAP * 2;
  });
  g.edges.forEach((e, i) => {
    cells.push(`<mxCell id="l${i}" value="${xmlAttr(e.label)}" style="endArrow=none;html=0;${e.dashed ? 'dashed=1;' : ''}" edge="1" parent="1" source="${cellId.get(e.from)}" target="${cellId.get(e.to)}"><mxGeometry relative="1" as="geometry"/></mxCell>`);
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<mxfile host="Wireplan" type="device">`,
    `  <diagram id="wireplan" name="${xmlAttr(g.title)}">`,
    '    <mxGraphModel grid="1" gridSize="10" page="0">',
    '      <root>',
    ...cells.map((c) => `        ${c}`),
    '      </root>',
    '    </mxGraphModel>',
    '  </diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}
