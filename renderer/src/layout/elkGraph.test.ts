import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../../../shared/model/parse';
import exampleText from '../../../resources/examples/two-namespaces-nat.wireplan.json?raw';
import { elkGraph, endLabels } from './elkGraph';

function example() {
  const r = parseDesign(exampleText);
  if (!r.ok) throw new Error('example does not load');
  return r.design;
}

describe('auto-layout reserves room for link labels', () => {
  it('each veth edge carries its two end labels, sized to their text', () => {
    const d = example();
    const edges = elkGraph(d).children!.flatMap((h) => h.edges ?? []);
    for (const v of d.veths) {
      const e = edges.find((x) => x.id === v.id)!;
      expect(e.labels?.map((l) => l.text)).toEqual(endLabels(d, v.id).map((l) => l.text));
      expect(e.labels).toHaveLength(2);
      for (const l of e.labels!) expect(l.width).toBeGreaterThan(l.text!.length * 6);
    }
    expect(endLabels(d, d.veths[0]!.id).map((l) => l.text)).toContain('eth0 10.0.0.2/24');
  });

  it('ELK puts the layers of a linked namespace and its bridge farther apart for the labels', async () => {
    const d = example();
    const gapOf = async (withLabels: boolean) => {
      const graph = elkGraph(d);
      if (!withLabels) for (const h of graph.children!) for (const e of h.edges ?? []) delete e.labels;
      const host = (await new ELK().layout(graph)).children![0]!;
      const at = (id: string) => host.children!.find((c) => c.id === id)!;
      const v = d.veths[0]!;
      const [a, b] = [at(v.a.at), at(v.b.at)];
      const [left, right] = (a.x ?? 0) < (b.x ?? 0) ? [a, b] : [b, a];
      return (right.x ?? 0) - ((left.x ?? 0) + (left.width ?? 0));
    };
    const widest = Math.max(...endLabels(d, d.veths[0]!.id).map((l) => l.width ?? 0));
    const [without, withLabels] = [await gapOf(false), await gapOf(true)];
    expect(withLabels).toBeGreaterThan(without);
    expect(withLabels).toBeGreaterThanOrEqual(widest);
  });
});
