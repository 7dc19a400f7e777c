// Destroy finds this design's orphans on the host itself (one inspection, under the run's
// lock): a root-namespace link and a namespace of this design that the plan does not
// name go; someone else's namespace and another design's link stay.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost } from '../../electron/backend/apply';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { labTarget, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('destroy-orphans');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('destroy prunes orphans it finds on the host', () => {
  it('removes a root link and a namespace of this design that the plan does not name; leaves someone else\'s namespace and other designs\' links', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, ['eth0']);
    const target = labTarget(scope, lab);
    const plan = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const before = await snapshot(host.sb);
    expect((await applyHost(plan, plan.hosts[0]!, target)).outcome.kind).toBe('converged');
    const made = await lab.exec(
      [
        'ip link add brold type bridge && ip link set dev brold alias wireplan:twons:brold',
        'ip netns add nsold && ip -n nsold link set dev lo alias wireplan:twons:nsold',
        'ip netns add other && ip link add br9 type bridge && ip link set dev br9 alias wireplan:elsewhere:br9',
        'ip link add br8 type bridge && ip link set dev br8 alias wireplan:twons',
      ].join(' && '),
    );
    expect(made.code, made.stderr).toBe(0);
    const d = await destroyHost(plan, plan.hosts[0]!, target);
    expect(d.outcome, JSON.stringify(d.outcome)).toMatchObject({ kind: 'removed', nothingToDo: false });
    if (d.outcome.kind === 'removed') expect([...d.outcome.pruned].sort()).toEqual(['link - brold', 'netns nsold']);
    // Only the foreign ones are left: removing them by hand restores the exact snapshot.
    const rest = await lab.exec('ip netns del other && ip link del br9 && ip link del br8');
    expect(rest.code, rest.stderr).toBe(0);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
    expect((await destroyHost(plan, plan.hosts[0]!, target)).outcome).toMatchObject({ kind: 'removed', nothingToDo: true });
  });
});
