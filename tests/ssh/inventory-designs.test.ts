// Two designs whose host points at one inventory server (`target.server`): the inventory
// entry (an ssh config alias, port 2222) says how to reach it; one design is applied and
// destroyed through it, the other reads the same host's status through it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { designMismatches } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { runCli } from '../support/cli-run';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('inventory-designs');
let scope: LabScope | undefined;
const savedDir = process.env['WIREPLAN_CONFIG_DIR'];
afterEach(async () => {
  if (savedDir === undefined) delete process.env['WIREPLAN_CONFIG_DIR'];
  else process.env['WIREPLAN_CONFIG_DIR'] = savedDir;
  await scope?.cleanup();
  scope = undefined;
});

const cli = runCli;

function designOn(scopeDir: string, example: string, server: string): string {
  const design = JSON.parse(readFileSync(join(EXAMPLES_DIR, example), 'utf8')) as { hosts: { target: unknown }[] };
  design.hosts[0]!.target = { kind: 'ssh', server };
  const file = join(scopeDir, `on-${server}-${example}`);
  writeFileSync(file, JSON.stringify(design, null, 2));
  return file;
}

describe.skipIf(skip)('designs pointing at an inventory server', () => {
  it('two designs share one inventory entry: apply, status, destroy through it', async () => {
    scope = new LabScope();
    const lab = await scope.lab({ port: 2222 });
    const { host } = await shapeLab(lab, ['eth0']);
    const before = await snapshot(host.sb);
    process.env['WIREPLAN_CONFIG_DIR'] = join(scope.dir, 'config');
    const cfg = join(scope.dir, 'ssh_config');
    writeFileSync(cfg, ['Host wp-inv', `  HostName ${lab.address}`, '  User root', `  Port ${lab.port}`, `  IdentityFile ${lab.clientKeyPath}`, '  IdentitiesOnly yes', ''].join('\n'));
    expect((await cli(['hosts', 'add', 'bench1', 'wp-inv'])).code).toBe(0);
    const login = ['-F', cfg, '--known-hosts', scope.knownHostsFor(lab)];
    const a = designOn(scope.dir, 'two-namespaces-nat.wireplan.json', 'bench1');
    const b = designOn(scope.dir, 'isolated-service.wireplan.json', 'bench1');

    const apply = await cli(['apply', a, ...login, '--yes']);
    expect(apply.code, apply.err + apply.out).toBe(0);
    expect(apply.out).toContain(`(ssh root@${lab.address}:2222 (wp-inv via ssh -G)): converged: `);
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);
    expect((await cli(['status', a, ...login])).code).toBe(0);

    // The other design reaches the same server: nothing of it is there yet.
    const other = await cli(['status', b, ...login]);
    expect(other.code, other.err + other.out).toBe(3);
    expect(other.out).toMatch(/missing/);

    const unknown = designOn(scope.dir, 'two-namespaces-nat.wireplan.json', 'nope');
    const refused = await cli(['apply', unknown, ...login, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('no server named "nope" in the inventory');

    const destroy = await cli(['destroy', a, ...login, '--yes']);
    expect(destroy.code, destroy.err + destroy.out).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });
});
