// A jump host's connection dropped mid-apply: the target is reachable only through the
// jump lab; the apply waits at a gate on the target while the test kills the jump host's
// sshd session that carries the chain. The on-host run goes on by itself, the engine
// reconnects through a fresh chain and reports what really happened.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, type ApplyEvent, type HostTarget } from '../../electron/backend/apply';
import { SshExecutor } from '../../electron/backend/executor';
import type { Plan, Step } from '../../shared/compile/plan';
import { designMismatches, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { knownHostsOf, putBehind } from '../support/lab-jump';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('jump-faults');
const design = loadExample('two-namespaces-nat.wireplan.json');
const plan = planOf(design);
const steps = plan.hosts[0]!.steps;
const GATE = '/run/wp-test-gate';
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

function gatedAt(i: number): Plan {
  const p = structuredClone(plan);
  const s: Step[] = p.hosts[0]!.steps;
  s[i]!.do = [{ ns: '', argv: ['bash', '-c', `until [ -e ${GATE} ]; do sleep 0.02; done`] }, ...s[i]!.do];
  return p;
}

/** Kills the lab's sshd processes serving the connection from `port` (our own session, by PID). */
async function killSession(l: LabHost, port: number): Promise<void> {
  const r = await l.exec(`ss -tnpH state established '( dport = :${port} )'`);
  const pids = [...new Set([...r.stdout.matchAll(/pid=(\d+)/g)].map((m) => m[1]!))];
  if (pids.length === 0) throw new Error(`no sshd process for port ${port}:\n${r.stdout}${r.stderr}`);
  const k = await l.exec(`kill -KILL ${pids.join(' ')}`);
  if (k.code !== 0) throw new Error(k.stderr);
}

describe.skipIf(skip)('jump host dropped mid-apply', () => {
  it('the on-host run completes by itself; the reconnect through a fresh chain reports it', async () => {
    scope = new LabScope();
    const jump = await scope.lab({ name: 'fjump' });
    const target = await scope.lab({ name: 'ftarget' });
    await putBehind(jump, target);
    const { host } = await shapeLab(target, ['eth0']);
    const before = await snapshot(host.sb);
    const kh = knownHostsOf(scope.dir, [jump, target]);
    const logs = scope.logs;
    const make = () =>
      new SshExecutor({
        host: target.address,
        port: 22,
        username: 'root',
        auth: { kind: 'key', path: target.clientKeyPath },
        jumps: [{ host: jump.address, port: 22, username: 'root', auth: { kind: 'key', path: jump.clientKeyPath } }],
        knownHostsPath: kh,
        userKnownHostsPath: null,
        log: (l) => logs.push(l),
      });
    const opened: SshExecutor[] = [];
    const fresh = () => {
      const ex = make();
      opened.push(ex);
      return ex;
    };
    const t: HostTarget = { executor: fresh(), fresh: async () => fresh() };
    try {
      const mid = Math.floor(steps.length / 2);
      const p = gatedAt(mid);
      const events: ApplyEvent[] = [];
      let blocked!: () => void;
      const atGate = new Promise<void>((r) => (blocked = r));
      const applying = applyHost(p, p.hosts[0]!, t, {
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'step-start' && e.index === mid + 1) blocked();
        },
      });
      await atGate; // the run waits at the gate, on the target
      const hopPorts = () => logs.filter((l) => / jump 1 /.test(l)).flatMap((l) => /tcp connected from local port (\d+)/.exec(l)?.slice(1) ?? []);
      const portsBefore = hopPorts();
      await killSession(jump, Number(portsBefore.at(-1)));
      expect((await target.exec(`touch ${GATE}`)).code).toBe(0);
      const r = await applying;
      expect(events.some((e) => e.kind === 'phase' && e.phase === 'reconnecting'), 'the engine saw the drop and reconnected').toBe(true);
      expect(hopPorts().length, 'a fresh chain was opened through the jump host').toBeGreaterThan(portsBefore.length);
      expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', changed: steps.length });
      expect(await designMismatches(host.sb, design, 'lab')).toEqual([]);
      expect((await destroyHost(plan, plan.hosts[0]!, t)).outcome.kind).toBe('removed');
      expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
    } finally {
      for (const ex of opened) await ex.close();
    }
  });
});
