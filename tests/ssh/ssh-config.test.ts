// Hosts named by OpenSSH config alias: a test ssh config (HostName, User, Port 2222,
// IdentityFile, IdentitiesOnly) given with -F, a design whose host target is the alias
// alone; `wireplan apply` converges, `status` and `check` read the same host, and
// `destroy` removes it. The built-in parser (no ssh client) reaches the same lab.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSshLogin } from '../../electron/backend/executor/openssh-login';
import { SshExecutor } from '../../electron/backend/executor';
import { designMismatches } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { runCli } from '../support/cli-run';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('ssh-config');
const ALIAS = 'wp-cfg-lab';
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const cli = runCli;

describe.skipIf(skip)('hosts named by ssh config alias', () => {
  it('apply by alias converges; status, check and destroy reach the same host', async () => {
    scope = new LabScope();
    const lab = await scope.lab({ port: 2222 });
    const { host } = await shapeLab(lab, ['eth0']);
    const before = await snapshot(host.sb);
    const cfg = join(scope.dir, 'ssh_config');
    // Other blocks around ours: a wildcard default that must not win over the alias's own
    // values (first obtained value wins), and a negated pattern.
    writeFileSync(
      cfg,
      [
        `Host ${ALIAS}`,
        `  HostName ${lab.address}`,
        '  User root',
        `  Port ${lab.port}`,
        `  IdentityFile ${lab.clientKeyPath}`,
        '  IdentitiesOnly yes',
        `Host *,!${ALIAS}`,
        '  Port 1',
        'Host *',
        '  User nobody',
        '  ConnectTimeout 10',
        '',
      ].join('\n'),
    );
    const design = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json'), 'utf8')) as { hosts: { name: string; target: unknown }[] };
    expect(design.hosts.map((h) => h.name)).toEqual(['lab']);
    design.hosts[0]!.target = { kind: 'ssh', alias: ALIAS };
    const file = join(scope.dir, 'by-alias.wireplan.json');
    writeFileSync(file, JSON.stringify(design, null, 2));
    const login = ['-F', cfg, '--known-hosts', scope.knownHostsFor(lab)];

    const apply = await cli(['apply', file, ...login, '--yes', '--verbose']);
    expect(apply.code, apply.err + apply.out).toBe(0);
    expect(apply.err).toContain(`lab: ssh config (ssh -G): ${ALIAS} -> root@${lab.address}:2222, identity files ${lab.clientKeyPath} (IdentitiesOnly)`);
    expect(apply.out).toContain(`lab (ssh root@${lab.address}:2222 (${ALIAS} via ssh -G)): converged: `);
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);

    const again = await cli(['apply', file, ...login, '--yes']);
    expect(again.code, again.err + again.out).toBe(0);
    expect(again.out).toContain('in sync: nothing to do');

    const status = await cli(['status', file, ...login]);
    expect(status.code, status.err + status.out).toBe(0);

    const check = await cli(['check', file, ...login, '--verbose']);
    expect(check.code, check.err + check.out).toBe(0);
    expect(check.err).toContain(`ssh config (ssh -G): ${ALIAS} -> root@${lab.address}:2222`);
    expect(check.out).toMatch(/\d+ probe\(s\), \d+ as designed, 0 not/);

    const destroy = await cli(['destroy', file, ...login, '--yes']);
    expect(destroy.code, destroy.err + destroy.out).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('without an ssh client, the built-in parser resolves the alias (Include, wildcards) and logs in', async () => {
    scope = new LabScope();
    const lab = await scope.lab({ port: 2222 });
    const cfg = join(scope.dir, 'main_config');
    writeFileSync(join(scope.dir, 'inc-lab.conf'), [`Host wp-*-lab`, `  HostName ${lab.address}`, `  Port ${lab.port}`, `  IdentityFile ${lab.clientKeyPath}`, ''].join('\n'));
    writeFileSync(cfg, [`Include ${join(scope.dir, 'inc-*.conf')}`, 'Host *', '  User root', '  IdentitiesOnly yes', ''].join('\n'));
    const resolved = await openSshLogin({ host: ALIAS, configFile: cfg, sshBinary: null, agentSocket: null });
    expect(resolved.config.source).toBe('built-in parser');
    expect([resolved.options.host, resolved.options.port, resolved.options.username]).toEqual([lab.address, 2222, 'root']);
    const ex = new SshExecutor({ ...resolved.options, knownHostsPath: scope.knownHostsFor(lab), log: (l) => scope!.logs.push(l) });
    try {
      const r = await ex.run('echo $((40 + 2))');
      expect(r.stdout.trim()).toBe('42');
      expect(ex.describe()).toBe(`ssh root@${lab.address}:2222 (${ALIAS} via built-in parser)`);
    } finally {
      await ex.close();
    }
  });
});
