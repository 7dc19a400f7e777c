// How fast the SSH executor notices that something is wrong, against real lab hosts
// (sshd in their own namespaces). These were "within N ms" assertions in the SSH suite;
// on a shared, loaded machine they are figures, compared with the keepalive budget they
// follow from (keepaliveInterval 1000 ms x (3 + 1)), never pass/fail.
import { loadavg } from 'node:os';
import { ConnectionLost, type SshExecutor } from '../electron/backend/executor';
import { LabScope } from '../tests/support/lab-ssh';
import { labHostSkipReason } from '../tests/support/labhost';
import { round, type Figure } from './measure';

const RUNS = Number(process.env['SSH_BENCH_RUNS'] ?? 3);

function fig(name: string, xs: number[], target?: number, notes?: string): Figure {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { name, unit: 'ms', median: round(at(0.5)), p95: round(at(0.95)), runs: xs.length, target, notes: `${notes ? `${notes}; ` : ''}load ${loadavg()[0]!.toFixed(2)}` };
}

/** ms from `trigger` until the run started before it fails (it must fail with `kind`). */
async function noticed(ex: SshExecutor, trigger: () => Promise<unknown>): Promise<number> {
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const result = ex.run('echo started; sleep 60; echo never', { onStdout: (c) => c.includes('started') && started() });
  result.catch(() => undefined);
  await running;
  const t = performance.now();
  await trigger();
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - t;
  if (!(err instanceof ConnectionLost)) throw new Error(`expected ConnectionLost, got ${String(err)}`);
  return ms;
}

export async function benchSsh(): Promise<Figure[]> {
  const skip = labHostSkipReason();
  if (skip) {
    console.log(`bench ssh skipped: ${skip}`);
    return [];
  }
  const scope = new LabScope();
  try {
    const connect: number[] = [];
    const refused: number[] = [];
    const killed: number[] = [];
    const silent: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lab = await scope.lab();
      const ex = scope.executor(lab, { log: () => {} });
      let t = performance.now();
      await ex.connect();
      connect.push(performance.now() - t);

      const closedPort = scope.executor(lab, { port: 2200, log: () => {} });
      t = performance.now();
      await closedPort.run('true').catch(() => undefined);
      refused.push(performance.now() - t);

      // Partition inside the lab's own network namespace: nothing answers, nothing resets.
      silent.push(await noticed(ex, () => lab.exec('nft add table inet wp_partition && nft add chain inet wp_partition in "{ type filter hook input priority 0; policy drop; }"')));
      await lab.exec('nft delete table inet wp_partition');

      const again = scope.executor(lab, { log: () => {} });
      killed.push(await noticed(again, () => lab.stop()));
    }
    return [
      fig('ssh: connect to ready (lab host)', connect),
      fig('ssh: closed port -> HostUnreachable', refused),
      fig('ssh: host gone silent -> ConnectionLost (keepalive)', silent, 5000, 'budget: keepalive 1000 ms x 4'),
      fig('ssh: host killed mid-command -> ConnectionLost', killed, 5000),
    ];
  } finally {
    await scope.cleanup();
  }
}
