// Connections that cannot be made: each ends in its own typed error, which names the
// deadline that ended it (the event itself; how long that took is not asserted here: the
// machine may be busy).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyUnknown, HostUnreachable, Timeout } from '../../electron/backend/executor';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('connect-failures');
const scope = new LabScope();
let lab: LabHost;

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab();
});
afterAll(() => scope.cleanup());

async function failure(p: Promise<unknown>): Promise<{ err: unknown }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { err };
}

describe.skipIf(skip)('connect failures', () => {
  it('a port nobody listens on is HostUnreachable (connection refused)', async () => {
    const ex = scope.executor(lab, { port: 2200 });
    const { err } = await failure(ex.run('true'));
    expect(err).toBeInstanceOf(HostUnreachable);
    expect((err as Error).message).toMatch(/connection refused/);
  });

  it('a host that drops SYNs is HostUnreachable after the connect timeout', async () => {
    const drop = await lab.exec('nft add table inet wp_syn && nft add chain inet wp_syn in "{ type filter hook input priority 0; policy drop; }"');
    expect(drop.code, drop.stderr).toBe(0);
    try {
      const ex = scope.executor(lab, { connectTimeoutMs: 500 });
      const { err } = await failure(ex.run('true'));
      expect(err).toBeInstanceOf(HostUnreachable);
      expect((err as Error).message).toMatch(/timed out after 500 ms/);
    } finally {
      await lab.exec('nft delete table inet wp_syn');
    }
  });

  it('a server that accepts TCP but never speaks SSH is a handshake Timeout', async () => {
    // Freeze our own listener (by the PID it wrote): the kernel still completes the TCP handshake.
    const pid = (await lab.exec('cat /run/lab/sshd.pid')).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    expect((await lab.exec(`kill -STOP ${pid}`)).code).toBe(0);
    try {
      const ex = scope.executor(lab, { handshakeTimeoutMs: 700 });
      const { err } = await failure(ex.run('true'));
      expect(err).toBeInstanceOf(Timeout);
      expect((err as Error).message).toMatch(/SSH handshake timed out after 700 ms/);
    } finally {
      await lab.exec(`kill -CONT ${pid}`);
    }
    // The same executor settings work again once sshd runs.
    expect((await scope.executor(lab).run('echo alive')).stdout).toBe('alive\n');
  });

  it('trustHostKey() turns a HostKeyUnknown into a connection on the next run', async () => {
    const ex = scope.executor(lab, { knownHostsPath: join(scope.dir, 'kh-later') });
    const err = await ex.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyUnknown);
    ex.trustHostKey((err as HostKeyUnknown).fingerprint); // the user said yes in the dialog
    expect((await ex.run('echo trusted')).stdout).toBe('trusted\n');
  });
});
