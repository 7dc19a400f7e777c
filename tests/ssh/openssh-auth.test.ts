// Logging in as OpenSSH does: the agent's keys first, then the identity files (the
// configured ones, else ~/.ssh/id_*), honouring IdentitiesOnly; host keys also from the
// global known_hosts (injected here: the machine's /etc/ssh/ssh_known_hosts is never
// written). The agent holds a key the server refuses, and ~/.ssh/id_ed25519 of a test
// HOME is accepted, as `ssh` would log in.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthFailed, SshExecutor } from '../../electron/backend/executor';
import { openSshLogin } from '../../electron/backend/executor/openssh-login';
import { makeKeyPair } from '../support/lab-files';
import { mustRun } from '../support/lab-proc';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('openssh-auth');
const scope = new LabScope();
let agent: ChildProcessWithoutNullStreams | undefined;
afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const gone = new Promise((r) => agent!.once('exit', r));
    agent.kill();
    await gone;
  }
  await scope.cleanup();
});

async function startAgent(sock: string): Promise<void> {
  agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    agent!.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('SSH_AUTH_SOCK')) resolve(); // printed once the socket listens
    });
    agent!.once('exit', (c) => reject(new Error(`ssh-agent exited ${c}`)));
  });
}

describe.skipIf(skip)('authentication like OpenSSH', () => {
  it('the agent key is refused, ~/.ssh/id_ed25519 is accepted; known_hosts from the global file', async () => {
    const lab = await scope.lab();
    const home = join(scope.dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    copyFileSync(lab.clientKeyPath, join(home, '.ssh', 'id_ed25519'));
    const accepted = (await mustRun(['ssh-keygen', '-l', '-E', 'sha256', '-f', `${lab.clientKeyPath}.pub`])).split(/\s+/)[1]!;
    const sock = join(scope.dir, 'agent.sock');
    await startAgent(sock);
    const stranger = await makeKeyPair(join(scope.dir, 'stranger'), 'ed25519', 'stranger');
    await mustRun(['ssh-add', '-q', stranger.privatePath], '', { SSH_AUTH_SOCK: sock });
    expect(await mustRun(['ssh-add', '-l'], '', { SSH_AUTH_SOCK: sock })).toContain(stranger.sha256);
    // An empty config (nothing configured: the default identity files), the lab's key only
    // in the "global" known_hosts, Wireplan's own file empty.
    const cfg = join(scope.dir, 'empty_config');
    writeFileSync(cfg, '');
    const global = join(scope.dir, 'ssh_known_hosts');
    writeFileSync(global, `${lab.address} ${lab.hostPublicKey}\n`);
    const own = join(scope.dir, 'own_known_hosts');
    writeFileSync(own, '');

    const login = await openSshLogin({ host: lab.address, user: 'root', port: lab.port, configFile: cfg, home, agentSocket: sock, globalKnownHostsFiles: [global] });
    expect(login.options.auth).toMatchObject({ kind: 'openssh', agent: sock, identitiesOnly: false });
    const ex = new SshExecutor({ ...login.options, knownHostsPath: own, log: (l) => scope.logs.push(l) });
    try {
      expect((await ex.run('whoami')).stdout).toBe('root\n');
    } finally {
      await ex.close();
    }
    // sshd saw the agent's key first (refused), then accepted the default key file.
    const log = lab.sshdLog();
    const failedAt = log.indexOf(`Failed publickey for root from ${lab.hostAddress}`);
    expect(failedAt, log).toBeGreaterThanOrEqual(0);
    expect(log.slice(failedAt).split('\n')[0]).toContain(stranger.sha256);
    const acceptedAt = log.indexOf(`Accepted publickey for root`);
    expect(acceptedAt).toBeGreaterThan(failedAt);
    expect(log.slice(acceptedAt).split('\n')[0]).toContain(accepted);
    expect(scope.logs.some((l) => l.includes(`matches ${global}:1`)), scope.logs.join('\n')).toBe(true);

    // IdentitiesOnly yes: the agent is not used; an identity file that is not accepted fails
    // as AuthFailed naming what was offered.
    writeFileSync(cfg, `Host *\n  IdentitiesOnly yes\n  IdentityFile ${stranger.privatePath}\n`);
    const only = await openSshLogin({ host: lab.address, user: 'root', port: lab.port, configFile: cfg, home, agentSocket: sock, globalKnownHostsFiles: [global] });
    const refused = new SshExecutor({ ...only.options, knownHostsPath: own });
    try {
      const err = await refused.run('true').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthFailed);
      expect((err as Error).message).toContain(`key ${stranger.privatePath}`);
      expect((err as Error).message).not.toContain('agent');
    } finally {
      await refused.close();
    }
  });
});
