// Authentication methods against a real sshd: key files (plain and encrypted), ssh-agent,
// password; and failures that must come back fast as AuthFailed, never as a hang.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFailed } from '../../electron/backend/executor';
import { makeKeyPair } from '../support/lab-files';
import { mustRun } from '../support/lab-proc';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('auth');
const scope = new LabScope();
const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'lab-user-pw-7d1f';
let lab: LabHost;
let agent: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab({ clientKeyPassphrase: PASSPHRASE, user: { name: 'wpauth', password: PASSWORD } });
});
afterAll(async () => {
  if (agent?.pid !== undefined && agent.exitCode === null) {
    const exited = new Promise((r) => agent!.once('exit', r));
    process.kill(agent.pid, 'SIGTERM'); // the agent we started, by its PID
    await exited;
  }
  await scope.cleanup();
});

describe.skipIf(skip)('SSH authentication', () => {
  it('uses an encrypted private key with its passphrase', async () => {
    const ex = scope.executor(lab, { auth: { kind: 'key', path: lab.clientKeyPath, passphrase: PASSPHRASE } });
    expect((await ex.run('whoami')).stdout).toBe('root\n');
  });

  it('fails clearly for an encrypted key without (or with a wrong) passphrase, before connecting', async () => {
    const none = scope.executor(lab, { auth: { kind: 'key', path: lab.clientKeyPath } });
    await expect(none.run('true')).rejects.toThrow(/encrypted: a passphrase is needed/);
    const wrong = scope.executor(lab, { auth: { kind: 'key', path: lab.clientKeyPath, passphrase: 'nope' } });
    const err = await wrong.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailed);
    expect((err as Error).message).toMatch(/wrong passphrase/);
    expect((err as Error).message).not.toContain('nope');
  });

  it('reports a key the server does not accept as AuthFailed', async () => {
    const stranger = await makeKeyPair(join(scope.dir, 'stranger'), 'ed25519', 'stranger');
    const ex = scope.executor(lab, { auth: { kind: 'key', path: stranger.privatePath } });
    const err = await ex.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailed);
    expect((err as AuthFailed).user).toBe('root');
    // And a missing key file is an AuthFailed too, naming the path.
    const missing = scope.executor(lab, { auth: { kind: 'key', path: join(scope.dir, 'no-such-key') } });
    await expect(missing.run('true')).rejects.toThrow(/cannot read key file .*no-such-key/);
  });

  it('authenticates through ssh-agent', async () => {
    const sock = join(scope.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: ['pipe', 'pipe', 'pipe'] });
    // ssh-agent -D prints its SSH_AUTH_SOCK line once the socket is listening.
    await new Promise<void>((resolve, reject) => {
      let out = '';
      agent!.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('SSH_AUTH_SOCK')) resolve();
      });
      agent!.once('exit', (c) => reject(new Error(`ssh-agent exited ${c}`)));
    });
    // The key is encrypted: ssh-add gets its passphrase from a one-shot askpass script.
    const askpass = join(scope.dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho '${PASSPHRASE}'\n`, { mode: 0o700 });
    await mustRun(['ssh-add', '-q', lab.clientKeyPath], '', { SSH_AUTH_SOCK: sock, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force' });
    expect(await mustRun(['ssh-add', '-l'], '', { SSH_AUTH_SOCK: sock })).toContain('ED25519');
    const ex = scope.executor(lab, { auth: { kind: 'agent', socket: sock } });
    expect((await ex.run('whoami')).stdout).toBe('root\n');

    const noAgent = scope.executor(lab, { auth: { kind: 'agent' } });
    const saved = process.env['SSH_AUTH_SOCK'];
    delete process.env['SSH_AUTH_SOCK'];
    try {
      await expect(noAgent.run('true')).rejects.toThrow(/SSH_AUTH_SOCK is not set/);
    } finally {
      if (saved !== undefined) process.env['SSH_AUTH_SOCK'] = saved;
    }
  });

  it('authenticates with a password (non-root user), and a wrong one is AuthFailed', async () => {
    const ex = scope.executor(lab, { username: 'wpauth', auth: { kind: 'password', password: PASSWORD } });
    expect((await ex.run('id -un')).stdout).toBe('wpauth\n');
    const bad = scope.executor(lab, { username: 'wpauth', auth: { kind: 'password', password: 'wrong-pw' } });
    const err = await bad.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailed);
    expect((err as Error).message).not.toContain('wrong-pw');
  });
});
