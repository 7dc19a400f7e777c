// The app's host executors (apply, live state, check and destroy in the designer all take
// their connections from HostExecutors) reach a host named by ssh config alias, and a host
// whose own settings name a jump host, through the jump lab: the target is reachable only
// through it (its veth moved into the jump lab).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostExecutors } from '../../electron/backend/service/hostExecutors';
import { SecretStore } from '../../electron/backend/service/secrets';
import { testConnection } from '../../electron/backend/service/sshLogin';
import type { Host } from '../../shared/model/schema';
import { jumpSshConfig, putBehind } from '../support/lab-jump';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('app-jump');
let scope: LabScope | undefined;
let executors: HostExecutors | undefined;
afterEach(async () => {
  await executors?.close();
  executors = undefined;
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('the app through a jump host', () => {
  it('an alias with ProxyJump, and a host whose settings name the jump host, both reach the target', async () => {
    scope = new LabScope();
    const jump = await scope.lab({ name: 'appjump' });
    const target = await scope.lab({ name: 'apptarget' });
    await putBehind(jump, target);
    const { cfg, kh } = jumpSshConfig(scope.dir, jump, target);
    const logs: string[] = [];
    executors = new HostExecutors({ knownHostsPath: kh, secrets: new SecretStore({ file: join(scope.dir, 'secrets.json') }), sshConfigFile: cfg, log: (l) => logs.push(l) });

    const byAlias = { id: 'h1', name: 'lab', target: { kind: 'ssh', alias: 'wp-target', address: 'wp-target', port: 22, user: 'root' } } as unknown as Host;
    const a = await executors.get('tag1', byAlias);
    expect((await a.run('hostname')).stdout.trim()).toBe('apptarget');
    expect(a.describe()).toContain(`(via root@${jump.address}:22)`);
    expect(logs.some((l) => l.includes('lab: ssh config (ssh -G): wp-target -> root@') && l.includes('(ProxyJump wp-jump)')), logs.join('\n')).toBe(true);

    const bySettings = {
      id: 'h2',
      name: 'lab2',
      target: { kind: 'ssh', address: target.address, port: 22, user: 'root', keyPath: target.clientKeyPath, jump: 'wp-jump' },
    } as unknown as Host;
    const b = await executors.get('tag2', bySettings);
    expect((await b.run('hostname')).stdout.trim()).toBe('apptarget');
    expect(b.describe()).toContain(`(via root@${jump.address}:22)`);

    // The Hosts panel's connection test goes through the jump host too, and shows the target's key.
    const tested = await testConnection(
      { address: target.address, port: 22, user: 'root', keyPath: target.clientKeyPath, jump: 'wp-jump' },
      {},
      { knownHostsPath: kh, userKnownHostsPath: null, secrets: new SecretStore({ file: join(scope.dir, 'secrets2.json') }), sshConfigFile: cfg },
    );
    expect(tested, JSON.stringify(tested)).toMatchObject({ ok: true, known: true, fingerprint: target.hostKeySha256 });
  });
});
