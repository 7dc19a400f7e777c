// The exported script under failure: a failing step at the start, middle or end rolls
// back to the exact prior state; objects Wireplan did not create are refused and left
// intact; a second concurrent run is locked out; down touches only what is ours.
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/compile/plan';
import { hostScript } from '../../shared/export/script';
import { loadExample } from '../support/examples';
import { planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, links, snapshot, type Sandbox } from '../support/sandbox';

const design = loadExample('two-namespaces-nat.wireplan.json');

/** A copy of the plan whose step `index` fails the way a real command would. */
function failingAt(plan: Plan, index: number): { script: string; stepId: string } {
  const p = structuredClone(plan);
  const step = p.hosts[0]!.steps[index]!;
  step.do = [{ ns: step.ns, argv: ['ip', 'link', 'set', 'dev', 'no-such-dev0', 'up'] }, ...step.do];
  return { script: hostScript(p, p.hosts[0]!), stepId: step.id };
}

describe('exported script under faults', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  const plan = planOf(design);
  const last = plan.hosts[0]!.steps.length - 1;
  for (const [label, index] of [['first', 0], ['middle', Math.floor(last / 2)], ['last', last]] as const) {
    it(`a failure at the ${label} step rolls back to the exact prior state`, async () => {
      sb = await createSandbox({ uplink: { name: 'eth0' } });
      const before = await snapshot(sb);
      const { script, stepId } = failingAt(plan, index);
      const r = await sb.run(script, ['up']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`failed ${stepId}`);
      expect(r.stdout).toContain('@wp result rolled-back');
      expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
    });
  }

  it('a failing change to an applied design rolls back to the applied state, not further', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    expect((await sb.run(hostScript(plan, plan.hosts[0]!), ['up'])).code).toBe(0);
    const applied = await snapshot(sb);
    const changed = structuredClone(design);
    changed.namespaces.push({ id: 'app3', name: 'app3', host: 'lab', loopback: true, routes: [{ to: 'default', via: '10.0.0.1' }], sysctls: {}, programs: [] });
    changed.veths.push({ id: 'link-app3', name: 'app3 uplink', a: { at: 'app3', ifname: 'eth0', addresses: ['10.0.0.4/24'], up: true }, b: { at: 'br0', ifname: 'v-app3', addresses: [], up: true } });
    const changedPlan = planOf(changed);
    const { script } = failingAt(changedPlan, changedPlan.hosts[0]!.steps.length - 1);
    const r = await sb.run(script, ['up']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('@wp result rolled-back');
    expect(r.stderr).not.toContain('still being removed');
    expect(diffSnapshots(applied, await snapshot(sb))).toEqual([]);
  });

  it('--keep-partial keeps what was built before the failure, and a later fixed run completes it', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const { script } = failingAt(plan, last);
    const r = await sb.run(script, ['up', '--keep-partial']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('@wp result partial');
    expect((await sb.execOk(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['app1', 'app2']));
    const good = hostScript(plan, plan.hosts[0]!);
    const fixed = await sb.run(good, ['up']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/@wp result converged changed=1\n/);
    expect((await sb.run(good, ['down'])).code).toBe(0);
  });

  it('refuses a foreign object with a colliding name and leaves it intact', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    await sb.execOk(['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    await sb.execOk(['ip', 'link', 'set', 'dev', 'br0', 'alias', 'someone-else']);
    const before = await snapshot(sb);
    const r = await sb.run(hostScript(plan, plan.hosts[0]!), ['up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Wireplan did not create it");
    expect(r.stdout).toContain('@wp result rolled-back');
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
    const br0 = (await links(sb, '')).find((l) => l.ifname === 'br0');
    expect(br0?.ifalias).toBe('someone-else');
  });

  it("refuses to replace someone else's nft table that happens to have our table's name", async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    await sb.run("nft -f /dev/stdin <<'EOF'\ntable inet wp_twons {\n  chain c { type filter hook forward priority 0; policy accept; }\n}\nEOF\n");
    const before = await snapshot(sb);
    const r = await sb.run(hostScript(plan, plan.hosts[0]!), ['up']);
    expect(r.code).toBe(1);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });

  it('a concurrent run is refused and names the lock holder', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const script = hostScript(plan, plan.hosts[0]!);
    // Hold the design's lock from a second process, exactly as a running apply would.
    const holder = sb.spawn(['bash', '-c', 'mkdir -p /run/wireplan/twons; exec 9>/run/wireplan/twons/lock; flock 9; echo "pid=$$ user=tester" > /run/wireplan/twons/holder; echo locked; read -r _']);
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    try {
      const r = await sb.run(script, ['up']);
      expect(r.code).toBe(75);
      expect(r.stderr).toContain('holds the lock');
      expect(r.stderr).toContain('user=tester');
      expect(r.stdout).toContain('@wp result locked');
    } finally {
      holder.stdin!.end();
      await new Promise((resolve) => holder.once('close', resolve));
    }
    const ok = await sb.run(script, ['up']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('down removes only what is ours: foreign namespaces, links and rules survive', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    await sb.execOk(['ip', 'netns', 'add', 'other']);
    await sb.execOk(['ip', 'link', 'add', 'v-other', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'other']);
    await sb.run("nft -f /dev/stdin <<'EOF'\ntable inet theirs {\n  chain c { type filter hook forward priority 0; policy accept; }\n}\nEOF\n");
    const before = await snapshot(sb);
    const script = hostScript(plan, plan.hosts[0]!);
    expect((await sb.run(script, ['up'])).code).toBe(0);
    expect((await sb.run(script, ['down'])).code).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });
});
