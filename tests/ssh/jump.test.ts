// Jump hosts (ProxyJump): the target lab is reachable only through a first lab. The
// target's root-namespace veth is moved into the jump lab, so the jump lab has two links
// (its own to the root namespace, and one to the target) and the root namespace has no
// route to the target at all. Apply, status with live rates, check and destroy by alias
// through one hop and through two; a changed jump host key stops the chain before
// anything reaches the target.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { designMismatches } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { runCli } from '../support/cli-run';
import { jumpSshConfig, knownHostsOf, putBehind } from '../support/lab-jump';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('jump');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const cli = runCli;


/** `status --json` through the chain: every element present, and rates (two counter readings) on the veths. */
async function liveRates(file: string, login: string[]): Promise<void> {
  const status = await cli(['status', file, ...login, '--json']);
  expect(status.code, status.err + status.out).toBe(0);
  const [host] = JSON.parse(status.out) as { host: { connection: string }; elements: { elementId: string; presence: string; rxRate?: number; txRate?: number }[] }[];
  expect(host!.host.connection).toBe('connected');
  expect(host!.elements.every((e) => e.presence === 'present'), status.out).toBe(true);
  const rated = host!.elements.filter((e) => typeof e.rxRate === 'number' && typeof e.txRate === 'number');
  expect(rated.map((e) => e.elementId), status.out).toEqual(expect.arrayContaining(['link-app1.a', 'link-app1.b']));
}

const accepted = (lab: LabHost) => lab.sshdLog().split('\n').filter((l) => /Accepted publickey for root/.test(l));

describe.skipIf(skip)('jump hosts', () => {
  it('apply, status with live rates, check and destroy by alias through one jump host; a changed jump host key stops before the target', async () => {
    scope = new LabScope();
    const jump = await scope.lab({ name: 'jumplab' });
    const target = await scope.lab({ name: 'targetlab' });
    await putBehind(jump, target);
    const { host } = await shapeLab(target, ['eth0']);
    const before = await snapshot(host.sb);

    const { cfg, kh } = jumpSshConfig(scope.dir, jump, target);
    const design = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json'), 'utf8')) as { hosts: { target: unknown }[] };
    design.hosts[0]!.target = { kind: 'ssh', alias: 'wp-target' };
    const file = join(scope.dir, 'jump.wireplan.json');
    writeFileSync(file, JSON.stringify(design, null, 2));
    const login = ['-F', cfg, '--known-hosts', kh];

    // Commit-confirmed: the confirmation travels over a fresh chain (a second login at the jump host).
    const apply = await cli(['apply', file, ...login, '--yes', '--verbose', '--confirm-within', '120']);
    expect(apply.code, apply.err + apply.out).toBe(0);
    expect(apply.err).toContain(`wp-target -> root@${target.address}:22 (ProxyJump wp-jump)`);
    expect(apply.out).toContain(`(via root@${jump.address}:22)): converged: `);
    expect(apply.out).toContain('confirmed over a fresh connection');
    expect(accepted(jump).length, jump.sshdLog()).toBeGreaterThanOrEqual(2);
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);
    // The target saw its logins come from the jump lab's end of their link.
    expect(accepted(target).length).toBeGreaterThan(0);
    expect(accepted(target).every((l) => l.includes(`from ${target.hostAddress} `)), target.sshdLog()).toBe(true);

    await liveRates(file, login);
    const check = await cli(['check', file, ...login]);
    expect(check.code, check.err + check.out).toBe(0);
    expect(check.out).toMatch(/\d+ probe\(s\), \d+ as designed, 0 not/);

    // The jump host's key changes: refused at the jump host, and the target never hears of us.
    const seen = target.sshdLog().length;
    const jumpLogins = accepted(jump).length;
    await jump.restartSshd({ newHostKey: true });
    const refused = await cli(['status', file, ...login]);
    expect(refused.code).not.toBe(0);
    expect(refused.out + refused.err).toMatch(/jump 1 root@[\d.]+:22.*(changed|CHANGED)/s);
    expect(target.sshdLog().slice(seen), 'nothing reached the target').not.toMatch(/Connection from|Accepted|publickey/);
    expect(accepted(jump).length, 'no credential was accepted by the impostor jump host either').toBe(jumpLogins);

    // Trust the new jump key again, then destroy through the jump host.
    writeFileSync(kh, `${jump.address} ${jump.hostPublicKey}\n${target.address} ${target.hostPublicKey}\n`);
    const destroy = await cli(['destroy', file, ...login, '--yes']);
    expect(destroy.code, destroy.err + destroy.out).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('two hops given with -J (each hop resolved through the config): apply, status with live rates, check, import and destroy', async () => {
    scope = new LabScope();
    const first = await scope.lab({ name: 'hop1' });
    const second = await scope.lab({ name: 'hop2' });
    const target = await scope.lab({ name: 'deep' });
    await putBehind(first, second);
    await putBehind(second, target);
    const { host } = await shapeLab(target, ['eth0']);
    const before = await snapshot(host.sb);
    const cfg = join(scope.dir, 'ssh_config');
    const block = (name: string, lab: LabHost) => [`Host ${name}`, `  HostName ${lab.address}`, '  User root', `  IdentityFile ${lab.clientKeyPath}`];
    writeFileSync(cfg, [...block('wp-hop1', first), ...block('wp-hop2', second), ...block('wp-deep', target), 'Host *', '  IdentitiesOnly yes', ''].join('\n'));
    const kh = knownHostsOf(scope.dir, [first, second, target]);
    const design = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json'), 'utf8')) as { hosts: { target: unknown }[] };
    design.hosts[0]!.target = { kind: 'ssh', alias: 'wp-deep' };
    const file = join(scope.dir, 'deep.wireplan.json');
    writeFileSync(file, JSON.stringify(design, null, 2));
    const login = ['-F', cfg, '--known-hosts', kh, '-J', 'wp-hop1,root@wp-hop2:22'];

    const apply = await cli(['apply', file, ...login, '--yes']);
    expect(apply.code, apply.err + apply.out).toBe(0);
    expect(apply.out).toContain(`(via root@${first.address}:22, root@${second.address}:22)): converged: `);
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);
    expect(accepted(target).every((l) => l.includes(`from ${target.hostAddress} `)), target.sshdLog()).toBe(true);

    // Live state with rates, and the connectivity check, through both hops.
    await liveRates(file, login);
    const check = await cli(['check', file, ...login]);
    expect(check.code, check.err + check.out).toBe(0);
    expect(check.out).toMatch(/\d+ probe\(s\), \d+ as designed, 0 not/);

    const out = join(scope.dir, 'imported.wireplan.json');
    const imported = await cli(['import', '--ssh', `root@${target.address}`, '-i', target.clientKeyPath, ...login, '-o', out]);
    expect([0, 1], imported.err + imported.out).toContain(imported.code);
    expect(readFileSync(out, 'utf8')).toContain('"app1"');

    const destroy = await cli(['destroy', file, ...login, '--yes']);
    expect(destroy.code, destroy.err + destroy.out).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });
});
