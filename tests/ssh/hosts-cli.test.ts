// `wireplan hosts`: the server inventory in the config folder (WIREPLAN_CONFIG_DIR points
// at this test's own folder): add, list, test against a real lab (logged in through the
// ssh config, the trusted fingerprint recorded), refusals, rm.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-run';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('hosts-cli');
let scope: LabScope | undefined;
const savedDir = process.env['WIREPLAN_CONFIG_DIR'];
afterEach(async () => {
  if (savedDir === undefined) delete process.env['WIREPLAN_CONFIG_DIR'];
  else process.env['WIREPLAN_CONFIG_DIR'] = savedDir;
  await scope?.cleanup();
  scope = undefined;
});

const cli = runCli;

describe.skipIf(skip)('wireplan hosts', () => {
  it('add, list, test (fingerprint recorded), refusals, rm', async () => {
    scope = new LabScope();
    const lab = await scope.lab({ port: 2222 });
    const configDir = join(scope.dir, 'config');
    process.env['WIREPLAN_CONFIG_DIR'] = configDir;
    const cfg = join(scope.dir, 'ssh_config');
    writeFileSync(cfg, ['Host wp-inv', `  HostName ${lab.address}`, '  User root', `  Port ${lab.port}`, `  IdentityFile ${lab.clientKeyPath}`, '  IdentitiesOnly yes', ''].join('\n'));

    expect((await cli(['hosts', 'list'])).out).toContain('no servers in the inventory');
    const add = await cli(['hosts', 'add', 'bench1', 'wp-inv']);
    expect(add.code, add.err).toBe(0);
    const add2 = await cli(['hosts', 'add', 'direct', `root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--sudo', 'none']);
    expect(add2.code, add2.err).toBe(0);
    const dup = await cli(['hosts', 'add', 'bench1', 'elsewhere']);
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('already has a server named "bench1"');
    const bad = await cli(['hosts', 'add', 'bad', 'ro;ot@host']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"ro;ot" is not a user name');

    const list = await cli(['hosts', 'list', '--json']);
    const hosts = JSON.parse(list.out) as { name: string; target: string }[];
    expect(hosts.map((h) => [h.name, h.target])).toEqual([
      ['bench1', 'wp-inv'],
      ['direct', lab.address],
    ]);

    // Unknown key without consent: refused, nothing recorded.
    const kh = join(scope.dir, 'known_hosts');
    const refused = await cli(['hosts', 'test', 'bench1', '-F', cfg, '--known-hosts', kh]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(lab.hostKeySha256);
    const trusted = await cli(['hosts', 'test', 'bench1', '-F', cfg, '--known-hosts', kh, '--trust-new-host-key']);
    expect(trusted.code, trusted.err).toBe(0);
    expect(trusted.out).toContain(`bench1: ok, ssh root@${lab.address}:2222 (wp-inv via ssh -G)`);
    expect(trusted.out).toContain(lab.hostKeySha256);
    const direct = await cli(['hosts', 'test', 'direct', '-F', cfg, '--known-hosts', kh]);
    expect(direct.code, direct.err).toBe(0);
    const stored = JSON.parse(readFileSync(join(configDir, 'hosts.json'), 'utf8')) as { hosts: { name: string; fingerprints: string[] }[] };
    expect(stored.hosts.map((h) => h.fingerprints)).toEqual([[lab.hostKeySha256], [lab.hostKeySha256]]);

    // Forgetting the trusted key: confirmation required; then the next test asks again.
    const unconfirmed = await cli(['hosts', 'forget', 'bench1', '-F', cfg, '--known-hosts', kh]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('pass --yes');
    expect(readFileSync(kh, 'utf8')).toContain(`[${lab.address}]:2222`);
    const forgot = await cli(['hosts', 'forget', 'bench1', '-F', cfg, '--known-hosts', kh, '--yes']);
    expect(forgot.code, forgot.err).toBe(0);
    expect(forgot.out).toContain(`bench1: forgot 1 trusted key line(s) for ${lab.address}:2222`);
    expect(readFileSync(kh, 'utf8')).not.toContain(`[${lab.address}]:2222`);
    const again = await cli(['hosts', 'test', 'bench1', '-F', cfg, '--known-hosts', kh]);
    expect(again.code).toBe(1);
    expect(again.err).toContain(lab.hostKeySha256);

    expect((await cli(['hosts', 'rm', 'bench1'])).code).toBe(0);
    expect((await cli(['hosts', 'rm', 'bench1'])).code).toBe(1);
    expect((await cli(['hosts', 'list'])).out).not.toContain('bench1');
  });
});
