// After a failed (rolled back) run or a destroy, what the design puts in a host's root
// namespace (its routes) is not there: the host element is "missing" like every other
// element of the design, not "drifted" (issue 12, item 8). Drift stays for what exists
// but differs, and for a host that has part of its design.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile';
import { parseDesign } from '../model/parse';
import { assembleHost } from './assemble';
import { observeNamespace } from './host';
import { evaluateStatus, prepareStatus } from './status';

const design = (() => {
  const r = parseDesign(readFileSync(join(__dirname, '../../resources/examples/macvlan-shim.wireplan.json'), 'utf8'));
  if (!r.ok) throw new Error('example');
  return r.design;
})();
const plan = (() => {
  const c = compile(design);
  if (!c.ok) throw new Error('compile');
  return c.plan;
})();

const link = (ifindex: number, ifname: string, extra: object = {}) => ({ ifindex, ifname, flags: ['UP', 'LOWER_UP'], mtu: 1500, operstate: 'UP', link_type: 'ether', address: '02:00:00:00:00:0' + ifindex, ...extra });
const route = (dst: string, dev: string) => ({ dst, dev, protocol: 'static', scope: 'link', flags: [] });

function host(links: object[], routes: object[]) {
  return assembleHost({ collectedAt: 0, namespaces: [observeNamespace({ name: '', link: JSON.stringify(links), addr: '[]', route: JSON.stringify(routes) })] });
}

describe('host element after a failed run', () => {
  const model = prepareStatus(design, plan, 'host');

  it('routes whose interface was never created: the host is missing, and says why', () => {
    const st = evaluateStatus(model, host([link(1, 'lo'), link(2, 'eth1')], [])).elements.find((e) => e.elementId === 'host')!;
    expect(st.presence).toBe('missing');
    expect(st.drift?.join('\n')).toMatch(/10\.50\.0\.11\/32 dev mv-shim.*missing.*mv-shim does not exist/);
  });

  it('one of its routes there and one not: drifted (part of the design is on the host)', () => {
    const shim = link(3, 'mv-shim', { ifalias: 'x' });
    const st = evaluateStatus(model, host([link(1, 'lo'), link(2, 'eth1'), shim], [route('10.50.0.11', 'mv-shim')])).elements.find((e) => e.elementId === 'host')!;
    expect(st.presence).toBe('drifted');
    expect(st.drift?.join('\n')).toMatch(/10\.50\.0\.12\/32.*missing/);
  });

  it('every route there: present', () => {
    const shim = link(3, 'mv-shim');
    const st = evaluateStatus(model, host([link(1, 'lo'), link(2, 'eth1'), shim], [route('10.50.0.11', 'mv-shim'), route('10.50.0.12', 'mv-shim')])).elements.find((e) => e.elementId === 'host')!;
    expect(st).toMatchObject({ presence: 'present' });
  });
});
