// A host that dies or goes silent mid-command: the run must fail with a typed error (never
// hang, never crash the process with an unhandled 'error'), and the executor must
// reconnect on the next run once the host is back. How long noticing takes is measured by
// `npm run bench ssh`, not asserted here.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionLost, HostUnreachable, Timeout } from '../../electron/backend/executor';
import { LabScope, localPortsIn, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('connection-loss');
const scope = new LabScope();
afterAll(() => scope.cleanup());

// Any 'error' that escapes ssh2 or the executor would surface here.
const stray: unknown[] = [];
const onStray = (e: unknown) => stray.push(e);
beforeEach(() => {
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
});
afterEach(() => {
  process.off('uncaughtException', onStray);
  process.off('unhandledRejection', onStray);
  expect(stray).toEqual([]);
});

/** Starts `sleep` behind a marker line and resolves the run promise plus "it is running now". */
function startLongCommand(ex: ReturnType<LabScope['executor']>) {
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const result = ex.run('echo started; sleep 60; echo never', { onStdout: (c) => c.includes('started') && started() });
  result.catch(() => {}); // inspected by the test
  return { running, result };
}

describe.skipIf(skip)('connection loss', () => {
  it('a lab host killed mid-command fails the run with ConnectionLost', async () => {
    const lab = await scope.lab();
    const ex = scope.executor(lab);
    const { running, result } = startLongCommand(ex);
    await running;
    const t = performance.now();
    await lab.stop();
    const err = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - t;
    expect(err).toBeInstanceOf(ConnectionLost);
    // A figure for the record, not an assertion (the machine may be busy).
    console.log(`[connection-loss] killed host noticed after ${ms.toFixed(0)} ms: ${(err as Error).message}`);
    // The next run tries to reconnect and reports the host as unreachable.
    await expect(ex.run('true', { timeoutMs: 3000 })).rejects.toSatisfy((e) => e instanceof HostUnreachable || e instanceof Timeout);
  });

  it('a host that goes silent (all its traffic dropped) is detected by keepalive, then reconnects', async () => {
    const lab = await scope.lab();
    const ex = scope.executor(lab);
    expect((await ex.run('echo warm')).stdout).toBe('warm\n');
    const { running, result } = startLongCommand(ex);
    await running;
    // Partition inside the lab's own network namespace: nothing answers, nothing resets.
    const drop = await lab.exec('nft add table inet wp_partition && nft add chain inet wp_partition in "{ type filter hook input priority 0; policy drop; }"');
    expect(drop.code, drop.stderr).toBe(0);
    const t = performance.now();
    const err = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - t;
    expect(err).toBeInstanceOf(ConnectionLost);
    // The event itself: the keepalive gave up (not the long command ending by itself).
    expect((err as Error).message).toMatch(/keepalive/);
    console.log(`[connection-loss] silent host noticed after ${ms.toFixed(0)} ms`);

    // The network heals: the very next run opens a fresh connection by itself.
    expect((await lab.exec('nft delete table inet wp_partition')).code).toBe(0);
    const logins = (lab.sshdLog().match(/Accepted publickey/g) ?? []).length;
    expect((await ex.run('echo back')).stdout).toBe('back\n');
    expect((lab.sshdLog().match(/Accepted publickey/g) ?? []).length).toBe(logins + 1);
  });

  it('a dropped session (its sshd process killed) fails the run, and the next run reconnects', async () => {
    const lab = await scope.lab();
    const logFrom = scope.logs.length;
    const ex = scope.executor(lab);
    const { running, result } = startLongCommand(ex);
    await running;
    // The sshd process that owns our TCP connection (found by our local port), by its PID.
    const port = localPortsIn(scope.logs.slice(logFrom)).at(-1)!;
    const ss = await lab.exec(`ss -Htnp state established '( dport = :${port} )'`);
    const pid = /pid=(\d+)/.exec(ss.stdout)?.[1];
    expect(pid, ss.stdout).toBeDefined();
    expect((await lab.exec(`kill -KILL ${pid}`)).code).toBe(0);
    await expect(result).rejects.toBeInstanceOf(ConnectionLost);
    expect((await ex.run('echo again')).stdout).toBe('again\n');
  });

  it('close() during a run rejects it promptly and leaves no handle behind', async () => {
    const lab = await scope.lab();
    const ex = scope.executor(lab);
    const { running, result } = startLongCommand(ex);
    await running;
    await ex.close();
    await expect(result).rejects.toBeInstanceOf(ConnectionLost);
    await expect(ex.run('true')).rejects.toBeInstanceOf(ConnectionLost);
  });
});
