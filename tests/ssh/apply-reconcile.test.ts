// Reconcile: applying a changed design removes what the design no longer has (only
// objects carrying this design's tag), restores a sysctl it no longer sets, and ends
// in sync; diff shows exactly those removals beforehand.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, diffHost } from '../../electron/backend/apply';
import { designMismatches, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { labTarget, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-reconcile');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('reconcile a changed design', () => {
  it('prunes the removed namespace, veth, firewall table and sysctl; re-apply and diff then agree', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, ['eth0']);
    const target = labTarget(scope, lab);
    const v1 = loadExample('two-namespaces-nat.wireplan.json');
    const v2 = structuredClone(v1);
    v2.namespaces = v2.namespaces.filter((n) => n.id !== 'app2');
    v2.veths = v2.veths.filter((v) => v.id !== 'link-app2');
    v2.masquerades = [];
    v2.portForwards = [];
    v2.hosts[0]!.sysctls = { interfaces: [] };
    const p1 = planOf(v1);
    const p2 = planOf(v2);
    const before = await snapshot(host.sb);
    expect((await applyHost(p1, p1.hosts[0]!, target)).outcome.kind).toBe('converged');
    // Someone else's namespace and a link tagged for another design are never orphans.
    expect((await lab.exec('ip netns add other && ip link add br9 type bridge && ip link set dev br9 alias wireplan:elsewhere:br9')).code).toBe(0);

    const d = await diffHost(p2, p2.hosts[0]!, target);
    expect(d.missing).toEqual([]);
    expect(d.removals.sort()).toEqual([
      // (route_localnet: the port forward's hostLocal, gone with it)
      'changed sysctl net/ipv4/conf/br0/route_localnet (restore its recorded value)',
      'changed sysctl net/ipv4/ip_forward (restore its recorded value)',
      'interface v-app2 (wireplan:twons:link-app2.b)',
      'namespace app2 (wireplan:twons:app2)',
      'nft table inet wp_twons',
    ]);

    const r = await applyHost(p2, p2.hosts[0]!, target);
    expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', changed: 0, nothingToDo: false });
    if (r.outcome.kind === 'converged') expect(r.outcome.pruned).toEqual(expect.arrayContaining(['netns app2', 'nft - wp_twons', 'sysctl net/ipv4/ip_forward']));
    expect(await designMismatches(host.sb, v2, 'lab')).toEqual([]);
    expect((await diffHost(p2, p2.hosts[0]!, target)).inSync).toBe(true);
    expect((await applyHost(p2, p2.hosts[0]!, target)).outcome).toMatchObject({ kind: 'converged', nothingToDo: true });

    expect((await destroyHost(p2, p2.hosts[0]!, target)).outcome.kind).toBe('removed');
    expect((await lab.exec('ip netns del other && ip link del br9')).code).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('destroy with a changed design also removes what only the older version had, and restores its sysctl', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, ['eth0']);
    const target = labTarget(scope, lab);
    const v1 = loadExample('two-namespaces-nat.wireplan.json');
    const v2 = structuredClone(v1);
    v2.namespaces = v2.namespaces.filter((n) => n.id !== 'app2');
    v2.veths = v2.veths.filter((v) => v.id !== 'link-app2');
    v2.masquerades = [];
    v2.portForwards = [];
    v2.hosts[0]!.sysctls = { interfaces: [] };
    const p1 = planOf(v1);
    const p2 = planOf(v2);
    const before = await snapshot(host.sb);
    expect((await applyHost(p1, p1.hosts[0]!, target)).outcome.kind).toBe('converged');
    const d = await destroyHost(p2, p2.hosts[0]!, target);
    expect(d.outcome, JSON.stringify(d.outcome)).toMatchObject({ kind: 'removed' });
    if (d.outcome.kind === 'removed') expect(d.outcome.pruned).toEqual(expect.arrayContaining(['netns app2', 'nft - wp_twons', 'sysctl net/ipv4/ip_forward']));
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });
});
