// The runtime's batches: consecutive ip commands of one namespace run as one `ip -batch`
// process. A failing line maps back to its step (progress, failure and rollback as if the
// steps ran one by one), and the listing each namespace's batch ends with stands in for
// the status after `up` only while nothing touched that namespace since.
import { afterEach, describe, expect, it } from 'vitest';
import type { Command, Plan } from '../../shared/compile/plan';
import { hostScript } from '../../shared/export/script';
import { loadExample } from '../support/examples';
import { planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, snapshot, type Sandbox } from '../support/sandbox';

const plan = planOf(loadExample('two-namespaces-nat.wireplan.json'));
const steps = plan.hosts[0]!.steps;
/** Steps 12..16 (1-based) all run in app1: one batch. */
const app1 = steps.map((s, i) => ({ s, n: i + 1 })).filter(({ s }) => s.ns === 'app1');

function withCommands(index: number, before: Command[], after: Command[] = []): Plan {
  const p = structuredClone(plan);
  const step = p.hosts[0]!.steps[index]!;
  step.do = [...before, ...step.do, ...after];
  return p;
}

/** The script's runtime and plan with a main of our own (the last two lines replaced). */
function withMain(p: Plan, main: string): string {
  const lines = hostScript(p, p.hosts[0]!).trimEnd().split('\n');
  return `${lines.slice(0, -2).join('\n')}\n${main}\n`;
}

const markers = (out: string, kind: 'run' | 'undo') =>
  [...out.matchAll(kind === 'run' ? /^@wp step (\d+)\/\d+ run /gm : /^@wp undo (\d+)\/\d+ /gm)].map((m) => Number(m[1]));

describe('batched ip commands', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('plans several consecutive steps of one namespace (the batch these tests break)', () => {
    expect(app1.length).toBeGreaterThanOrEqual(4);
    expect(app1.map((x) => x.n)).toEqual(Array.from({ length: app1.length }, (_, k) => app1[0]!.n + k));
    for (const { s } of app1) for (const c of s.do) expect(c.argv[0]).toBe('ip');
  });

  it('a failure in the middle of a batch names that step and rolls back only what ran, in reverse', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const before = await snapshot(sb);
    const mid = app1[2]!; // the third step of app1's batch: two steps before it ran
    const p = withCommands(mid.n - 1, [{ ns: 'app1', argv: ['ip', 'link', 'set', 'dev', 'no-such-dev0', 'up'] }]);
    const r = await sb.run(hostScript(p, p.hosts[0]!), ['up']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^@wp step ${mid.n}/\\d+ failed ${mid.s.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(r.stdout).toContain('@wp result rolled-back');
    const undone = markers(r.stdout, 'undo');
    expect(undone.length).toBeGreaterThan(0);
    expect(undone).toEqual([...undone].sort((a, b) => b - a));
    // The failing step and the later lines of its batch never ran: nothing of theirs to undo.
    expect(undone.filter((n) => n >= mid.n)).toEqual([]);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });

  it('--keep-partial after a failing batch line keeps exactly the lines before it', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const [tagLo, tagEth, addr] = app1;
    expect(tagLo!.s.id).toBe('alias:app1:lo');
    expect(tagEth!.s.id).toBe('alias:app1:eth0');
    const p = withCommands(addr!.n - 1, [{ ns: 'app1', argv: ['ip', 'link', 'set', 'dev', 'no-such-dev0', 'up'] }]);
    const r = await sb.run(hostScript(p, p.hosts[0]!), ['up', '--keep-partial']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('@wp result partial');
    const links = await sb.execOk(['ip', '-n', 'app1', '-o', 'link', 'show']);
    expect(links).toMatch(/ lo: .*alias wireplan:twons:app1/);
    expect(links).toMatch(/ eth0@\S+ <(?![^>]*\bUP\b)[^>]*>.*alias wireplan:twons:link-app1\.a/);
    expect(await sb.execOk(['ip', '-n', 'app1', '-o', 'addr', 'show', 'dev', 'eth0'])).not.toContain('10.0.0.2/24');
    await sb.run(hostScript(plan, plan.hosts[0]!), ['down']);
  });

  // The status after `up` (what the apply engine verifies) reads the run's own listings.
  for (const [label, cmd] of [
    ['a batched command', ['ip', 'link', 'set', 'dev', 'eth0', 'down']],
    ['a command run on its own', ['ip', '-d', 'link', 'set', 'dev', 'eth0', 'down']],
  ] as const) {
    it(`the status after up sees ${label} that changed a namespace after its batch`, async () => {
      sb = await createSandbox({ uplink: { name: 'eth0' } });
      // The plan's last step (in app2) also takes app1's eth0 down again.
      const p = withCommands(steps.length - 1, [], [{ ns: 'app1', argv: [...cmd] }]);
      const main = 'wp_main() { wp_up; wp_inv_after_up; wp_status; }\nwp_main </dev/null || echo "exit $?"\nexit';
      const after = await sb.run(withMain(p, main), []);
      expect(after.stdout).toContain('@wp result converged');
      const status = after.stdout.split('\n').filter((l) => /^(present|missing|foreign) /.test(l));
      expect(status).toHaveLength(steps.length);
      const fresh = await sb.run(hostScript(p, p.hosts[0]!), ['status']);
      expect(status.join('\n')).toBe(fresh.stdout.trim());
      expect(status.find((l) => l.includes('(link-state:app1:eth0)'))).toMatch(/^missing /);
      expect(status.filter((l) => !l.startsWith('present'))).toHaveLength(fresh.stdout.split('\n').filter((l) => /^missing /.test(l)).length);
      await sb.run(hostScript(plan, plan.hosts[0]!), ['down']);
    });
  }
});
