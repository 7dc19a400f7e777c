// The apply engine under faults, against a real lab host over SSH: a failing step (first,
// middle, last) leaves the exact pre-apply state; the SSH connection killed mid-run does
// not stop the on-host run, and the reconnect reports what really happened; a concurrent
// apply is refused and names the holder; a foreign object with our name is left intact.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, type ApplyEvent, type HostTarget } from '../../electron/backend/apply';
import type { Plan, Step } from '../../shared/compile/plan';
import { designMismatches, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import type { ExecHost } from '../support/exec-host';
import { labTarget, shapeLab } from '../support/lab-apply';
import { LabScope, localPortsIn, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, links, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-faults');
const design = loadExample('two-namespaces-nat.wireplan.json');
const plan = planOf(design);
const steps = plan.hosts[0]!.steps;
const last = steps.length - 1;
const GATE = '/run/wp-test-gate';

let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

async function lab(): Promise<{ lab: LabHost; host: ExecHost; target: HostTarget }> {
  scope = new LabScope();
  const l = await scope.lab();
  const { host } = await shapeLab(l, ['eth0']);
  return { lab: l, host, target: labTarget(scope, l) };
}

function tampered(edit: (steps: Step[]) => void): Plan {
  const p = structuredClone(plan);
  edit(p.hosts[0]!.steps);
  return p;
}

/** Step `i` first runs a command that fails the way a real one would. */
const failAt = (i: number) => (s: Step[]) => {
  s[i]!.do = [{ ns: s[i]!.ns, argv: ['ip', 'link', 'set', 'dev', 'no-such-dev0', 'up'] }, ...s[i]!.do];
};
/** Step `i` first waits until the test opens the gate (a file on the lab host). */
const gateAt = (i: number) => (s: Step[]) => {
  s[i]!.do = [{ ns: '', argv: ['bash', '-c', `until [ -e ${GATE} ]; do sleep 0.02; done`] }, ...s[i]!.do];
};

function waitForEvent(events: ApplyEvent[], match: (e: ApplyEvent) => boolean): { promise: Promise<void>; push: (e: ApplyEvent) => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    promise,
    push: (e) => {
      events.push(e);
      if (match(e)) resolve();
    },
  };
}

/** Kills the lab's sshd processes serving the connection from `port` (our own session, by PID). */
async function killSession(l: LabHost, port: number): Promise<void> {
  const r = await l.exec(`ss -tnpH state established '( dport = :${port} )'`);
  const pids = [...new Set([...r.stdout.matchAll(/pid=(\d+)/g)].map((m) => m[1]!))];
  if (pids.length === 0) throw new Error(`no sshd process for port ${port}:\n${r.stdout}${r.stderr}`);
  const k = await l.exec(`kill -KILL ${pids.join(' ')}`);
  if (k.code !== 0) throw new Error(k.stderr);
}

describe.skipIf(skip)('apply over SSH under faults', () => {
  for (const [label, index] of [['first', 0], ['middle', Math.floor(last / 2)], ['last', last]] as const) {
    it(`a failure at the ${label} step rolls back to the exact pre-apply snapshot and names the step and its error`, async () => {
      const { host, target } = await lab();
      const before = await snapshot(host.sb);
      const bad = tampered(failAt(index));
      const r = await applyHost(bad, bad.hosts[0]!, target);
      expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'rolled-back', failedStep: { index: index + 1, id: steps[index]!.id } });
      if (r.outcome.kind === 'rolled-back') expect(r.outcome.stderr).toMatch(/no-such-dev0|Cannot find device/);
      expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
    });
  }

  it('--keep-partial keeps what was built; the fixed plan then completes it with one step', async () => {
    const { host, target } = await lab();
    const bad = tampered(failAt(last));
    const r = await applyHost(bad, bad.hosts[0]!, target, { keepPartial: true });
    expect(r.outcome.kind).toBe('partial');
    const fixed = await applyHost(plan, plan.hosts[0]!, target);
    expect(fixed.outcome).toMatchObject({ kind: 'converged', changed: 1 });
    expect(await designMismatches(host.sb, design, 'lab')).toEqual([]);
    expect((await destroyHost(plan, plan.hosts[0]!, target)).outcome.kind).toBe('removed');
  });

  for (const fails of [false, true]) {
    it(`SSH connection killed mid-apply: the on-host run ${fails ? 'rolls back' : 'completes'} by itself and the reconnect reports it`, async () => {
      const { lab: l, host, target } = await lab();
      const before = await snapshot(host.sb);
      const mid = Math.floor(last / 2);
      const p = tampered((s) => {
        gateAt(mid)(s);
        if (fails) failAt(last)(s);
      });
      const events: ApplyEvent[] = [];
      const blocked = waitForEvent(events, (e) => e.kind === 'step-start' && e.index === mid + 1);
      const applying = applyHost(p, p.hosts[0]!, target, { onEvent: blocked.push });
      await blocked.promise; // the run is now waiting at the gate, on the host
      const ports = localPortsIn(scope!.logs);
      const port = ports[ports.length - 1]!;
      await killSession(l, port);
      const opened = await l.exec(`touch ${GATE}`);
      expect(opened.code).toBe(0);
      const r = await applying;
      expect(events.some((e) => e.kind === 'phase' && e.phase === 'reconnecting'), 'the engine saw the drop and reconnected').toBe(true);
      expect(localPortsIn(scope!.logs).length, 'a new connection was made').toBeGreaterThan(ports.length);
      if (fails) {
        expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'rolled-back', failedStep: { id: steps[last]!.id } });
        expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
      } else {
        expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', changed: steps.length });
        expect(await designMismatches(host.sb, design, 'lab')).toEqual([]);
        // Every step start was reported exactly once across the reconnect.
        expect(events.filter((e) => e.kind === 'step-start').map((e) => e.index)).toEqual(steps.map((_, i) => i + 1));
        expect((await destroyHost(plan, plan.hosts[0]!, target)).outcome.kind).toBe('removed');
        expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
      }
    });
  }

  it('a concurrent apply is refused and names the holder; the first one completes', async () => {
    const { lab: l, host, target } = await lab();
    const p = tampered(gateAt(3));
    const events: ApplyEvent[] = [];
    const blocked = waitForEvent(events, (e) => e.kind === 'step-start' && e.index === 4);
    const first = applyHost(p, p.hosts[0]!, target, { onEvent: blocked.push });
    await blocked.promise;
    const second = await applyHost(plan, plan.hosts[0]!, labTarget(scope!, l));
    expect(second.outcome.kind).toBe('locked');
    if (second.outcome.kind === 'locked') expect(second.outcome.holder).toMatch(/^pid=\d+ user=root since=\S+ plan=[0-9a-f]+$/);
    expect((await l.exec(`touch ${GATE}`)).code).toBe(0);
    expect((await first).outcome).toMatchObject({ kind: 'converged' });
    expect(await designMismatches(host.sb, design, 'lab')).toEqual([]);
  });

  it('a foreign object with a colliding name is refused before anything changes, and left intact', async () => {
    const { lab: l, host, target } = await lab();
    const made = await l.exec('ip link add br0 type bridge && ip link set dev br0 alias someone-else');
    expect(made.code).toBe(0);
    const before = await snapshot(host.sb);
    const r = await applyHost(plan, plan.hosts[0]!, target);
    expect(r.outcome.kind).toBe('refused');
    if (r.outcome.kind === 'refused') expect(r.outcome.reasons.join('\n')).toMatch(/bridge br0 \(link:root:br0\): .*Wireplan did not create it/);
    expect(r.runId, 'no run was started').toBeUndefined();
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
    expect((await links(host.sb, '')).find((x) => x.ifname === 'br0')?.ifalias).toBe('someone-else');
    // Destroy leaves it alone too.
    expect((await destroyHost(plan, plan.hosts[0]!, target)).outcome).toMatchObject({ kind: 'removed', nothingToDo: true });
    expect((await links(host.sb, '')).find((x) => x.ifname === 'br0')?.ifalias).toBe('someone-else');
  });
});
