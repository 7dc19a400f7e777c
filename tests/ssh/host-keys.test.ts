// Host key checking against real sshd host keys and real OpenSSH known_hosts files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyChanged, HostKeyUnknown, type HostKeyInfo } from '../../electron/backend/executor';
import { mustRun } from '../support/lab-proc';
import type { LabHost } from '../support/labhost';
import { LabScope, localPortsIn, sshdConnectionEnded, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('host-keys');
const scope = new LabScope();
let lab: LabHost;

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab();
});
afterAll(() => scope.cleanup());

/** sshd's log lines that would mean authentication was attempted at all. */
const AUTH_LINES = /Accepted|Failed|Postponed|Invalid user|authenticat|publickey|password/i;

describe.skipIf(skip)('host keys', () => {
  it('refuses an unknown key inside host verification, before any authentication', async () => {
    const kh = join(scope.dir, 'kh-unknown');
    const logFrom = scope.logs.length;
    const ex = scope.executor(lab, { knownHostsPath: kh });
    const err = await ex.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyUnknown);
    const unknown = err as HostKeyUnknown;
    expect(unknown.kind).toBe('HostKeyUnknown');
    // The fingerprint is OpenSSH's own (ssh-keygen -l), so the UI shows what `ssh` would.
    expect(unknown.fingerprint).toBe(lab.hostKeySha256);
    expect(unknown.keyType).toBe('ssh-ed25519');
    expect(unknown.publicKey).toBe(lab.hostPublicKey.split(' ')[1]);
    expect(unknown.message).toContain(lab.hostKeySha256);

    // Prove from sshd's VERBOSE log that this connection never reached authentication.
    const [port] = localPortsIn(scope.logs.slice(logFrom));
    expect(port).toBeGreaterThan(0);
    const lines = await sshdConnectionEnded(lab, port!);
    expect(lines.some((l) => l.startsWith('Connection from'))).toBe(true);
    expect(lines.every((l) => l.includes('[preauth]') || l.startsWith('Connection from'))).toBe(true);
    expect(lines.filter((l) => AUTH_LINES.test(l))).toEqual([]);
    // Nothing else happened on this lab yet: no auth line at all in the whole log.
    expect(lab.sshdLog().split('\n').filter((l) => AUTH_LINES.test(l))).toEqual([]);
    await ex.close();
  });

  it('with consent connects, and records the key in Wireplan\'s known_hosts', async () => {
    const kh = join(scope.dir, 'kh-consent');
    // The UI got consent for the fingerprint it showed: exactly that key is trusted.
    const ex = scope.executor(lab, { knownHostsPath: kh, trustNewHostKey: lab.hostKeySha256 });
    expect((await ex.run('echo in')).stdout).toBe('in\n');
    await ex.close();
    const recorded = readFileSync(kh, 'utf8');
    expect(recorded).toBe(`${lab.address} ${lab.hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`);
    // Real OpenSSH accepts the file we wrote.
    const found = await mustRun(['ssh-keygen', '-F', lab.address, '-f', kh]);
    expect(found).toContain(lab.address);

    // Next time it is simply known: no consent needed.
    const again = scope.executor(lab, { knownHostsPath: kh });
    expect((await again.run('echo again')).stdout).toBe('again\n');
    await again.close();
    expect(readFileSync(kh, 'utf8')).toBe(recorded); // not appended twice
  });

  it('asks a consent callback with the key details; a "no" keeps it unknown', async () => {
    const seen: HostKeyInfo[] = [];
    const kh = join(scope.dir, 'kh-callback');
    const no = scope.executor(lab, { knownHostsPath: kh, trustNewHostKey: (k) => (seen.push(k), false) });
    await expect(no.run('true')).rejects.toBeInstanceOf(HostKeyUnknown);
    expect(seen[0]?.fingerprint).toBe(lab.hostKeySha256);

    const yes = scope.executor(lab, { knownHostsPath: kh, trustNewHostKey: async (k) => k.fingerprint === lab.hostKeySha256 });
    expect((await yes.run('echo yes')).stdout).toBe('yes\n');
    expect(readFileSync(kh, 'utf8')).toContain(lab.hostPublicKey.split(' ')[1]);

    // Consent given for a different fingerprint is not consent for this key.
    const other = scope.executor(lab, { knownHostsPath: join(scope.dir, 'kh-other'), trustNewHostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await expect(other.run('true')).rejects.toBeInstanceOf(HostKeyUnknown);
  });

  it('accepts a hashed entry (|1|salt|hmac) from the user known_hosts, as written by ssh-keygen -H', async () => {
    const user = join(scope.dir, 'user_known_hosts');
    writeFileSync(user, `# comment line\n\n${lab.address} ${lab.hostPublicKey}\n`);
    await mustRun(['ssh-keygen', '-H', '-f', user]);
    const text = readFileSync(user, 'utf8');
    expect(text).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /m);
    expect(text).not.toContain(lab.address);
    const ex = scope.executor(lab, { knownHostsPath: join(scope.dir, 'kh-empty'), userKnownHostsPath: user });
    expect((await ex.run('echo hashed')).stdout).toBe('hashed\n');
    await ex.close();
  });

  it('uses the [host]:port form for a non-22 port, hashed or not', async () => {
    const lab2 = await scope.lab({ port: 2222 });
    const plain = join(scope.dir, 'kh-port');
    writeFileSync(plain, `[${lab2.address}]:2222 ${lab2.hostPublicKey}\n`);
    const ex = scope.executor(lab2, { knownHostsPath: plain });
    expect((await ex.run('echo port')).stdout).toBe('port\n');
    await ex.close();

    const hashed = join(scope.dir, 'kh-port-hashed');
    writeFileSync(hashed, `[${lab2.address}]:2222 ${lab2.hostPublicKey}\n`);
    await mustRun(['ssh-keygen', '-H', '-f', hashed]);
    const ex2 = scope.executor(lab2, { knownHostsPath: join(scope.dir, 'kh-empty2'), userKnownHostsPath: hashed });
    expect((await ex2.run('echo hport')).stdout).toBe('hport\n');
    await ex2.close();

    // An entry for port 22 says nothing about port 2222.
    const wrongPort = join(scope.dir, 'kh-wrong-port');
    writeFileSync(wrongPort, `${lab2.address} ${lab2.hostPublicKey}\n`);
    const ex3 = scope.executor(lab2, { knownHostsPath: wrongPort });
    await expect(ex3.run('true')).rejects.toBeInstanceOf(HostKeyUnknown);
  });

  it('refuses a changed key (host reinstalled or attacked) and names the known_hosts line', async () => {
    const victim = await scope.lab();
    const kh = join(scope.dir, 'kh-changed');
    writeFileSync(kh, `# first line is a comment\n${victim.address} ${victim.hostPublicKey}\n`);
    const before = scope.executor(victim, { knownHostsPath: kh });
    expect((await before.run('true')).code).toBe(0);
    await before.close();

    await victim.restartSshd({ newHostKey: true });
    const logFrom = scope.logs.length;
    // Even a blanket trust-on-first-use does not override a known, different key.
    const after = scope.executor(victim, { knownHostsPath: kh, trustNewHostKey: true });
    const err = await after.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyChanged);
    const changed = err as HostKeyChanged;
    expect(changed.fingerprint).toBe(victim.hostKeySha256);
    expect(changed.knownAt).toEqual([{ file: kh, line: 2 }]);
    expect(changed.message).toContain(`${kh}:2`);
    const [port] = localPortsIn(scope.logs.slice(logFrom));
    const lines = await sshdConnectionEnded(victim, port!);
    expect(lines.filter((l) => AUTH_LINES.test(l))).toEqual([]);
    // The file was not touched.
    expect(readFileSync(kh, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('refuses a key marked @revoked', async () => {
    const kh = join(scope.dir, 'kh-revoked');
    writeFileSync(kh, `${lab.address} ${lab.hostPublicKey}\n@revoked * ${lab.hostPublicKey}\n`);
    const ex = scope.executor(lab, { knownHostsPath: kh });
    const err = await ex.run('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyChanged);
    expect((err as HostKeyChanged).revoked).toBe(true);
  });
});
