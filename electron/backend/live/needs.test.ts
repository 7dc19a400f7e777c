// What the collector reads for a design: link impairments add their interfaces' qdiscs
// (and the design's tag, for the runtime's records); a design without any reads no tc.
import { describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import { DesignSchema, type DesignInput } from '../../../shared/model/schema';
import { prepareStatus } from '../../../shared/observe/status';
import { needsFor } from './needs';

function needs(impair: boolean) {
  const design = DesignSchema.parse({
    wireplan: 2,
    tag: 'imp',
    name: 'impairments',
    hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
    namespaces: [
      { id: 'a', name: 'a', host: 'lab' },
      { id: 'b', name: 'b', host: 'lab' },
    ],
    veths: [
      {
        id: 'wan',
        name: 'wan',
        a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'], ...(impair ? { impair: { rateKbit: 1000 } } : {}) },
        b: { at: 'b', ifname: 'wan1', addresses: ['10.9.0.2/30'], ...(impair ? { impair: { delayMs: 10 } } : {}) },
      },
    ],
  } satisfies DesignInput);
  const c = compile(design);
  if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
  return needsFor(prepareStatus(design, c.plan, 'lab'), design);
}

describe('needsFor: link impairments', () => {
  it('each impaired end: its namespace and interface, with the design tag', () => {
    const n = needs(true);
    expect(n.qdiscs?.tag).toBe('imp');
    expect([...(n.qdiscs?.interfaces ?? [])]).toEqual([
      ['a', ['wan0']],
      ['b', ['wan1']],
    ]);
  });

  it('no impairment: no qdisc reads', () => {
    expect(needs(false).qdiscs).toBeUndefined();
  });
});
