import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { expectedMatrix } from '../reach/matrix';
import { OUTSIDE_NS, withOutside } from './outside-design';
import { standInNics } from './stand-ins';

function example(name: string) {
  const r = parseDesign(readFileSync(join(__dirname, `../../resources/examples/${name}.wireplan.json`), 'utf8'));
  if (!r.ok) throw new Error(name);
  return r.design;
}
const made = (d: ReturnType<typeof example>) =>
  new Map(
    d.hosts.map((h) => {
      const r = standInNics(d, h.id);
      if (!r.ok) throw new Error(r.error);
      return [h.id, r.nics];
    }),
  );

describe('withOutside: the checked design of a sandbox with stand-in NICs', () => {
  it('two-namespaces-nat: eth0 becomes a veth into "outside", whose clients reach the port forward and are reached through the masquerade', () => {
    const d = example('two-namespaces-nat');
    const o = withOutside(d, made(d));
    expect(o.outside.get('lab')?.map((n) => n.name)).toEqual(['eth0']);
    expect(o.design.hosts[0]!.nics).toEqual([]);
    const m = expectedMatrix(o.design);
    if (!m.ok) throw new Error(JSON.stringify(m.diagnostics));
    const fromOutside = m.matrix.expectations.filter((e) => e.probe.from.ns === OUTSIDE_NS);
    const forward = fromOutside.find((e) => e.probe.kind === 'tcp' && e.probe.port === 8080);
    expect(forward, 'a TCP probe from outside to the published port').toMatchObject({ expect: 'reach', probe: { to: '100.64.0.2' } });
    const out = m.matrix.expectations.find((e) => e.probe.from.ns === 'app1' && e.probe.to === '100.64.0.1');
    expect(out?.expect, 'app1 reaches beyond eth0 (masquerade)').toBe('reach');
    // The original design is not touched.
    expect(d.hosts[0]!.nics).toEqual([{ name: 'eth0', management: false }]);
  });

  it('macvlan-shim: eth1 parents macvlans, so it stays a NIC and nothing is probed from outside', () => {
    const d = example('macvlan-shim');
    const o = withOutside(d, made(d));
    expect(o.design).toBe(d);
    expect(o.outside.size).toBe(0);
  });

  it('only what the sandbox really made, and never over a design namespace called "outside"', () => {
    const d = example('two-namespaces-nat');
    expect(withOutside(d, new Map()).design).toBe(d);
    const clash = { ...d, namespaces: [...d.namespaces, { ...d.namespaces[0]!, id: 'o', name: OUTSIDE_NS }] };
    const o = withOutside(clash, made(clash));
    expect(o.design).toBe(clash);
    expect(o.notes.join()).toMatch(/called "outside"/);
  });
});
