import { describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import { DesignSchema } from '../../../shared/model/schema';
import { findOrphans, parseInspect, runInput, trulyForeign } from './inspect';

const base = {
  wireplan: 2,
  tag: 't1',
  name: 'x',
  hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }],
  namespaces: [{ id: 'a', name: 'a', host: 'h' }],
  bridges: [{ id: 'br', name: 'br', at: 'h', addresses: ['10.9.0.1/24'] }],
  veths: [{ id: 'va', name: 'va', a: { at: 'a', ifname: 'eth0', addresses: ['10.9.0.2/24'] }, b: { at: 'br', ifname: 'v-a' } }],
};
const host = (() => {
  const c = compile(DesignSchema.parse(base));
  if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
  return c.plan.hosts[0]!;
})();

function statusText(state: (i: number) => string): string {
  return host.steps.map((s, i) => `${state(i).padEnd(8)} ${s.description}  (${s.id})`).join('\n');
}

describe('inspect and orphans', () => {
  it('finds tagged objects the design no longer has, never foreign ones', () => {
    const out = [
      statusText(() => 'present'),
      '@wpx boot 1234',
      '@wpx link - br wireplan:t1:br',
      '@wpx link - v-a wireplan:t1:va.b',
      '@wpx link a lo wireplan:t1:a',
      '@wpx link a eth0 wireplan:t1:va.a',
      // removed from the design since: a namespace, a root veth end, a table in a namespace, a sysctl
      '@wpx link old lo wireplan:t1:old',
      '@wpx link old eth0 wireplan:t1:vo.a',
      '@wpx link - v-old wireplan:t1:vo.b',
      '@wpx nft a wp_t1',
      '@wpx sysctl net%ipv4%ip_forward',
    ].join('\n');
    const insp = parseInspect(out, host);
    expect(insp.bootId).toBe('1234');
    expect(insp.steps.every((s) => s.state === 'present')).toBe(true);
    const orphans = findOrphans(host, insp);
    expect(orphans).toEqual([
      { kind: 'netns', name: 'old', owner: 'wireplan:t1:old' },
      { kind: 'link', ns: '', ifname: 'v-old', owner: 'wireplan:t1:vo.b' },
      { kind: 'nft', ns: 'a', table: 'wp_t1' },
      { kind: 'sysctl', record: 'net%ipv4%ip_forward' },
    ]);
    expect(runInput(host, orphans)).toBe('netns old wireplan:t1:old\nlink - v-old wireplan:t1:vo.b\nnft a wp_t1\nsysctl net%ipv4%ip_forward\n');
  });

  it('a name held by an orphan of ours is not foreign (it is pruned first); a truly foreign one is', () => {
    const idx = host.steps.findIndex((s) => s.id === 'link:root:br');
    const out = [statusText((i) => (i === idx ? 'foreign' : 'missing')), '@wpx link - br wireplan:t1:renamed-bridge'].join('\n');
    const insp = parseInspect(out, host);
    const orphans = findOrphans(host, insp);
    expect(orphans).toEqual([{ kind: 'link', ns: '', ifname: 'br', owner: 'wireplan:t1:renamed-bridge' }]);
    expect(trulyForeign(host, insp, orphans)).toEqual([]);
    const foreign = parseInspect(statusText((i) => (i === idx ? 'foreign' : 'missing')), host);
    expect(trulyForeign(host, foreign, findOrphans(host, foreign)).map((s) => s.id)).toEqual(['link:root:br']);
  });

  it('refuses a status from a different plan', () => {
    expect(() => parseInspect('present  x  (other:id)', host)).toThrow(/status listed 1 steps/);
  });
});
