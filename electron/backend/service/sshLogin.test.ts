// "Test connection" against a real OpenSSH server in a lab namespace: an unknown key is
// reported with its fingerprint and not trusted; trusting the approved fingerprint records
// it; afterwards the key is known; a different approved key is refused; an encrypted key
// asks for its passphrase. Skips (saying why) where lab hosts cannot run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHostSkipReason, startLabHost, type LabHost } from '../../../tests/support/labhost';
import { SecretStore } from './secrets';
import { planLogin, testConnection } from './sshLogin';

const skip = labHostSkipReason();
if (skip) console.log(`[sshLogin] lab-host tests skipped: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), 'wp-sshlogin-'));
const labs: LabHost[] = [];
afterAll(async () => {
  for (const l of labs) await l.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('planLogin', () => {
  const secrets = new SecretStore({ file: join(dir, 'plan-secrets.json') });
  const target = { address: '10.0.0.5', port: 22, user: 'root' };

  it('uses exactly one method: key file, then a given password, then the agent', async () => {
    expect(await planLogin({ ...target, keyPath: '~/k' }, secrets, undefined, {})).toMatchObject({ auth: { kind: 'key', path: expect.stringMatching(/\/k$/) }, secretKind: 'passphrase' });
    expect(await planLogin(target, secrets, 'pw', {})).toMatchObject({ auth: { kind: 'password', password: 'pw' } });
    // With an agent: the agent first, then the identity files, as ssh does.
    expect(await planLogin(target, secrets, undefined, { SSH_AUTH_SOCK: '/tmp/agent' })).toMatchObject({ auth: { kind: 'openssh', agent: '/tmp/agent' } });
  });

  it('a remembered password is used without asking', async () => {
    await secrets.set(SecretStore.keyFor('root', '10.0.0.9', 22, 'password'), 'remembered', false);
    expect(await planLogin({ ...target, address: '10.0.0.9' }, secrets, undefined, {})).toMatchObject({ auth: { kind: 'password', password: 'remembered' } });
  });
});

describe.skipIf(skip)('testConnection on a real sshd', () => {
  let lab: LabHost;
  let enc: LabHost;
  const knownHostsPath = join(dir, 'known_hosts');
  const secrets = new SecretStore({ file: join(dir, 'secrets.json') });
  const deps = { knownHostsPath, userKnownHostsPath: null, secrets, timeoutMs: 15_000 };

  beforeAll(async () => {
    lab = await startLabHost({ name: 'tc' });
    labs.push(lab);
    enc = await startLabHost({ name: 'tcenc', clientKeyPassphrase: 'open sesame' });
    labs.push(enc);
  });

  const targetOf = (l: LabHost) => ({ address: l.address, port: l.port, user: 'root', keyPath: l.clientKeyPath });

  it('an unknown key: reported with OpenSSH fingerprint, not trusted, nothing recorded', async () => {
    const r = await testConnection(targetOf(lab), {}, deps);
    expect(r).toMatchObject({ ok: false, hostKeyUnknown: true, fingerprint: lab.hostKeySha256, keyType: lab.hostKeyType });
    expect(() => readFileSync(knownHostsPath)).toThrow();
  });

  it('approving another fingerprint trusts nothing', async () => {
    const r = await testConnection(targetOf(lab), { trustFingerprint: `SHA256:${'A'.repeat(43)}` }, deps);
    expect(r).toMatchObject({ ok: false, hostKeyUnknown: true, fingerprint: lab.hostKeySha256 });
    expect(!r.ok && r.error).toMatch(/not the key you approved/);
  });

  it('approving the offered fingerprint records it; later tests see a known key', async () => {
    const first = await testConnection(targetOf(lab), { trustFingerprint: lab.hostKeySha256 }, deps);
    expect(first).toMatchObject({ ok: true, known: false, fingerprint: lab.hostKeySha256, keyType: lab.hostKeyType });
    expect(readFileSync(knownHostsPath, 'utf8')).toContain(lab.hostPublicKey.split(' ')[1]);
    const again = await testConnection(targetOf(lab), {}, deps);
    expect(again).toMatchObject({ ok: true, known: true, fingerprint: lab.hostKeySha256 });
    expect((again as { latencyMs: number }).latencyMs).toBeGreaterThan(0);
  });

  it('an encrypted key asks for its passphrase; given, it logs in and is kept for the session', async () => {
    await testConnection(targetOf(enc), { trustFingerprint: enc.hostKeySha256, secret: 'wrong' }, deps);
    const none = await testConnection(targetOf(enc), {}, { ...deps, secrets: new SecretStore({ file: join(dir, 's2.json') }) });
    expect(none).toMatchObject({ ok: false, needsSecret: 'passphrase' });
    const ok = await testConnection(targetOf(enc), { trustFingerprint: enc.hostKeySha256, secret: 'open sesame', rememberSecret: true }, deps);
    expect(ok).toMatchObject({ ok: true, secretStored: 'session' });
    expect(await testConnection(targetOf(enc), {}, deps)).toMatchObject({ ok: true, known: true });
  });
});
