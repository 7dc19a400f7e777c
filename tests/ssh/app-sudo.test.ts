// The app's sudo password: the connection test finds that the login user needs one and
// says so (the Hosts panel then asks); a wrong one is refused on the host before anything
// runs; the right one is kept in memory only and every connection of that login (apply,
// live, check) becomes root with it. The password never reaches a file or an error text.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostExecutors } from '../../electron/backend/service/hostExecutors';
import { SecretStore } from '../../electron/backend/service/secrets';
import { testConnection } from '../../electron/backend/service/sshLogin';
import type { Host } from '../../shared/model/schema';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('app-sudo');
const PASSWORD = 'sentinel-sudo-pw-5f2e9a';
const scope = new LabScope();
let lab: LabHost;
beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab({ user: { name: 'wpsudo', password: PASSWORD, sudo: 'password' } });
});
afterAll(() => scope.cleanup());

describe.skipIf(skip)('sudo password in the app', () => {
  it('asks when needed, refuses a wrong one, keeps the right one in memory for the session', async () => {
    const secretsFile = join(scope.dir, 'secrets.json');
    const secrets = new SecretStore({ file: secretsFile });
    const deps = { knownHostsPath: scope.knownHostsFor(lab), userKnownHostsPath: null, secrets };
    const target = { address: lab.address, port: lab.port, user: 'wpsudo', keyPath: lab.clientKeyPath };

    const none = await testConnection(target, {}, deps);
    expect(none).toMatchObject({ ok: false, needsSudoPassword: true });

    const wrong = await testConnection(target, { sudoPassword: 'not-the-password' }, deps);
    expect(wrong).toMatchObject({ ok: false, needsSudoPassword: true });
    expect(JSON.stringify(wrong)).not.toContain('not-the-password');

    // Asked to store it, a Wireplan without a keychain (headless) keeps it for the session and says why.
    const right = await testConnection(target, { sudoPassword: PASSWORD, rememberSudoPassword: true }, deps);
    expect(right, JSON.stringify(right)).toMatchObject({ ok: true, sudo: 'password', sudoStored: 'session', keychainRefused: expect.stringMatching(/no OS keychain/) });
    expect(JSON.stringify(right)).not.toContain(PASSWORD);

    // Every connection of this login now becomes root with it (memory only).
    const logs: string[] = [];
    const executors = new HostExecutors({ knownHostsPath: deps.knownHostsPath, secrets, log: (l) => logs.push(l) });
    try {
      const host = { id: 'h1', name: 'lab', target: { kind: 'ssh', ...target } } as unknown as Host;
      const ex = await executors.get('tag', host);
      expect((await ex.run('id -u')).stdout).toBe('0\n');
    } finally {
      await executors.close();
    }
    expect(existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : '').not.toContain(PASSWORD);
    expect(logs.join('\n')).not.toContain(PASSWORD);
  });
});
