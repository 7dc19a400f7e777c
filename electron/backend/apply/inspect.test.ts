import { describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import { DesignSchema } from '../../../shared/model/schema';
import { parseInspect } from './inspect';

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

// The leftovers among the tagged objects: leftovers.test.ts.
describe('inspect', () => {
  it('reads the step status, the tagged objects, the boot id and pending confirm windows', () => {
    const out = [
      statusText(() => 'present'),
      '@wpx boot 1234',
      '@wpx link - br wireplan:t1:br',
      '@wpx link a lo wireplan:t1:a',
      '@wpx nft a wp_t1',
      '@wpx sysctl net%ipv4%ip_forward',
      '@wpx pending-confirm run1 waiting',
    ].join('\n');
    const insp = parseInspect(out, host);
    expect(insp.bootId).toBe('1234');
    expect(insp.steps.every((s) => s.state === 'present')).toBe(true);
    expect(insp.links).toEqual([
      { ns: '', ifname: 'br', owner: 'wireplan:t1:br' },
      { ns: 'a', ifname: 'lo', owner: 'wireplan:t1:a' },
    ]);
    expect(insp.nftTables).toEqual([{ ns: 'a', table: 'wp_t1' }]);
    expect(insp.sysctlRecords).toEqual(['net%ipv4%ip_forward']);
    expect(insp.pendingConfirm).toEqual(['run1 waiting']);
    expect(insp.orphans).toEqual([]);
  });

  it("reads a program's running and exited as present and drifted, with how (docs/programs.md)", () => {
    const d = DesignSchema.parse({ ...base, namespaces: [{ ...base.namespaces[0], programs: [{ name: 'web', command: ['python3', '-m', 'http.server'] }] }] });
    const c = compile(d);
    if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
    const h = c.plan.hosts[0]!;
    const line = (state: string, how: string) =>
      h.steps.map((s) => (s.kind === 'program' ? `${state.padEnd(8)} ${s.description}: ${how}  (${s.id})` : `present  ${s.description}  (${s.id})`)).join('\n');
    const running = parseInspect(line('running', 'pid 42'), h).steps.find((s) => s.id === 'program:a:web');
    expect(running).toMatchObject({ state: 'present', detail: 'pid 42' });
    const exited = parseInspect(line('exited', 'exited with code 143 (signal TERM)'), h).steps.find((s) => s.id === 'program:a:web');
    expect(exited).toMatchObject({ state: 'drifted', detail: 'exited with code 143 (signal TERM)' });
  });

  it('a busy lock: nothing else was read', () => {
    expect(parseInspect('@wpx locked pid=1 user=root', host)).toMatchObject({ lockedBy: 'pid=1 user=root', steps: [], orphans: [] });
  });

  it('refuses a status from a different plan', () => {
    expect(() => parseInspect('present  x  (other:id)', host)).toThrow(/status listed 1 steps/);
  });
});
