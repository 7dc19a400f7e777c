// The apply dialog's sudo check (HostExecutors.prepareSudo) against a real lab user whose
// sudo needs a password: it says so and whether a keychain can store it; a wrong password
// is refused on the host; the right one is kept for the session and, with consent, only
// in a keychain (a plain-text-only backend refuses, with the reason); every later
// connection of that login becomes root with it. An inventory entry's sudo mode is held:
// "none" with a non-root user is refused before connecting, "nopasswd" never sends a
// password and names the entry when the host asks for one.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inventory, inventoryPath } from '../../electron/backend/inventory/inventory';
import { HostExecutors } from '../../electron/backend/service/hostExecutors';
import { SecretStore, type SecretCipher } from '../../electron/backend/service/secrets';
import type { Host } from '../../shared/model/schema';
import type { LabHost } from '../support/labhost';
import { runCli } from '../support/cli-run';
import { EXAMPLES_DIR } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('app-sudo-run');
const PASSWORD = 'sentinel-sudo-run-91c3d7';
const scope = new LabScope();
const savedDir = process.env['WIREPLAN_CONFIG_DIR'];
let lab: LabHost;
beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab({ user: { name: 'wpsudo', password: PASSWORD, sudo: 'password' } });
  process.env['WIREPLAN_CONFIG_DIR'] = join(scope.dir, 'config');
});
afterAll(async () => {
  if (savedDir === undefined) delete process.env['WIREPLAN_CONFIG_DIR'];
  else process.env['WIREPLAN_CONFIG_DIR'] = savedDir;
  await scope.cleanup();
});

/** A real cipher standing in for safeStorage (AES-256-GCM, key in memory), of the given strength. */
function cipher(strength: SecretCipher['strength']): SecretCipher {
  const key = randomBytes(32);
  return {
    strength,
    encrypt: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt: (data) => {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

function sshHost(extra: Record<string, unknown> = {}): Host {
  return { id: 'h1', name: 'lab', target: { kind: 'ssh', address: lab.address, port: lab.port, user: 'wpsudo', keyPath: lab.clientKeyPath, ...extra } } as unknown as Host;
}

describe.skipIf(skip)('sudo before a run (the apply dialog)', () => {
  it('asks once, refuses a wrong password on the host, keeps the right one for the session and every later connection', async () => {
    const file = join(scope.dir, 'secrets-headless.json');
    const logs: string[] = [];
    const executors = new HostExecutors({ knownHostsPath: scope.knownHostsFor(lab), secrets: new SecretStore({ file }), log: (l) => logs.push(l) });
    try {
      const first = await executors.prepareSudo(sshHost());
      expect(first).toMatchObject({ ok: false, needsSudoPassword: true, keychain: { available: false } });
      if (first.ok) throw new Error('unreachable');
      expect(first.error).toMatch(/wpsudo needs a sudo password/);
      expect(first.keychain).toMatchObject({ reason: expect.stringMatching(/no OS keychain/) });

      const wrong = await executors.prepareSudo(sshHost(), 'not-the-password-x', true);
      expect(wrong).toMatchObject({ ok: false, needsSudoPassword: true });
      if (wrong.ok) throw new Error('unreachable');
      expect(wrong.error).toMatch(/did not accept/);
      expect(JSON.stringify(wrong)).not.toContain('not-the-password-x');

      // Headless: remember is refused with the reason; kept for the session only.
      const right = await executors.prepareSudo(sshHost(), PASSWORD, true);
      expect(right).toMatchObject({ ok: true, sudo: 'password', stored: 'session', keychainRefused: expect.stringMatching(/no OS keychain/) });
      expect(existsSync(file)).toBe(false);

      // Asked once: the next check and every connection of the login become root with it.
      expect(await executors.prepareSudo(sshHost())).toEqual({ ok: true, sudo: 'password' });
      const ex = await executors.get('tag', sshHost());
      expect((await ex.run('id -u')).stdout).toBe('0\n');
      expect(JSON.stringify(right) + logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await executors.close();
    }
  });

  it('with a keychain it is stored encrypted for a later session; a plain-text-only backend refuses with the reason', async () => {
    const file = join(scope.dir, 'secrets-keychain.json');
    const keyring = cipher('keyring');
    const a = new HostExecutors({ knownHostsPath: scope.knownHostsFor(lab), secrets: new SecretStore({ file, cipher: keyring }) });
    try {
      expect(await a.prepareSudo(sshHost())).toMatchObject({ ok: false, needsSudoPassword: true, keychain: { available: true } });
      expect(await a.prepareSudo(sshHost(), PASSWORD, true)).toEqual({ ok: true, sudo: 'password', stored: 'keychain' });
    } finally {
      await a.close();
    }
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    // A new session with the same keychain needs no prompt.
    const b = new HostExecutors({ knownHostsPath: scope.knownHostsFor(lab), secrets: new SecretStore({ file, cipher: keyring }) });
    try {
      expect(await b.prepareSudo(sshHost())).toEqual({ ok: true, sudo: 'password' });
    } finally {
      await b.close();
    }

    // Linux without a keyring (safeStorage's basic_text): never written, even if plain text was accepted for other secrets.
    const plainFile = join(scope.dir, 'secrets-plain.json');
    const c = new HostExecutors({ knownHostsPath: scope.knownHostsFor(lab), secrets: new SecretStore({ file: plainFile, cipher: cipher('plaintext'), acceptPlaintext: async () => true }) });
    try {
      const asked = await c.prepareSudo(sshHost());
      expect(asked).toMatchObject({ ok: false, keychain: { available: false, reason: expect.stringMatching(/no keyring.*basic_text/) } });
      expect(await c.prepareSudo(sshHost(), PASSWORD, true)).toMatchObject({ ok: true, stored: 'session', keychainRefused: expect.stringMatching(/basic_text/) });
    } finally {
      await c.close();
    }
    expect(existsSync(plainFile)).toBe(false);
  });

  it("an inventory entry's sudo mode is held, by the app and the CLI: none refuses a non-root user, nopasswd never sends a password", async () => {
    const inv = new Inventory(inventoryPath(process.env['WIREPLAN_CONFIG_DIR']!));
    const base = { target: lab.address, user: 'wpsudo', port: lab.port, keyPath: lab.clientKeyPath };
    await inv.add({ name: 'as-root', ...base, sudo: 'none' });
    await inv.add({ name: 'no-pw', ...base, sudo: 'nopasswd' });
    await inv.add({ name: 'with-pw', ...base, sudo: 'password' });
    const secrets = new SecretStore({ file: join(scope.dir, 'secrets-inv.json') });
    const executors = new HostExecutors({ knownHostsPath: scope.knownHostsFor(lab), secrets });
    try {
      await expect(executors.get('tag', sshHost({ server: 'as-root' }))).rejects.toThrow(/server "as-root": its inventory sudo mode is "none".*login user is wpsudo/);
      expect(await executors.prepareSudo(sshHost({ server: 'as-root' }))).toMatchObject({ ok: false, error: expect.stringMatching(/"none"/) });

      await expect(executors.get('tag', sshHost({ server: 'no-pw' }))).rejects.toThrow(/server "no-pw": its inventory sudo mode is "nopasswd", but sudo on the host asks for a password/);
      // Not even a password the user offers, nor one known for the login.
      expect(await executors.prepareSudo(sshHost({ server: 'no-pw' }), PASSWORD)).toMatchObject({ ok: false, error: expect.stringMatching(/"nopasswd"/) });
      expect(await executors.prepareSudo(sshHost({ server: 'with-pw' }), PASSWORD)).toMatchObject({ ok: true, sudo: 'password' });
      await expect(executors.get('tag', sshHost({ server: 'no-pw' }))).rejects.toThrow(/"nopasswd"/);

      const ex = await executors.get('tag', sshHost({ server: 'with-pw' }));
      expect((await ex.run('id -u')).stdout).toBe('0\n');
    } finally {
      await executors.close();
    }

    // The CLI holds the same modes (apply/diff through apply-targets, status through cli-login).
    const design = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json'), 'utf8')) as { hosts: { target: unknown }[] };
    const file = (server: string) => {
      design.hosts[0]!.target = { kind: 'ssh', server, address: lab.address, port: lab.port, user: 'root' };
      const path = join(scope.dir, `${server}.wireplan.json`);
      writeFileSync(path, JSON.stringify(design));
      return path;
    };
    const pw = join(scope.dir, 'sudo-pw');
    writeFileSync(pw, `${PASSWORD}\n`, { mode: 0o600 });
    const login = ['--known-hosts', scope.knownHostsFor(lab), '--sudo-password-file', pw];
    const noPw = await runCli(['diff', file('no-pw'), ...login]);
    expect(noPw.code, noPw.err).not.toBe(0);
    expect(noPw.err).toMatch(/server "no-pw": its inventory sudo mode is "nopasswd", but sudo on the host asks for a password/);
    const asRoot = await runCli(['apply', file('as-root'), ...login, '--yes']);
    expect(asRoot.code).not.toBe(0);
    expect(asRoot.err).toMatch(/server "as-root": its inventory sudo mode is "none"/);
    const status = await runCli(['status', file('as-root'), ...login]);
    expect(status.code).not.toBe(0);
    expect(status.out + status.err).toMatch(/its inventory sudo mode is "?none"? \(log in as root\), but the login user is wpsudo/);
    const withPw = await runCli(['diff', file('with-pw'), ...login]);
    expect([0, 1], withPw.err).toContain(withPw.code);
    expect(withPw.out + withPw.err).not.toContain(PASSWORD);
  });
});
