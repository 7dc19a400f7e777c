// Two lab hosts, one L2 segment: the VXLAN example applied to both in parallel. The
// example's 192.0.2.x addresses are placeholders; here each host's SSH target is its
// lab's address and the underlay is a veth pair joining the two labs directly (this
// machine does not forward between the labs' /30s, and nothing here may change that).
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, destroyHost, type HostJob } from '../../electron/backend/apply';
import type { Plan } from '../../shared/compile/plan';
import type { Design } from '../../shared/model/schema';
import { designMismatches, featuresOf, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { labExecHost, labTarget } from '../support/lab-apply';
import { mustRun } from '../support/lab-proc';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, missingFeatures, ping, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-vxlan');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const UNDERLAY = { a: '10.233.0.1', b: '10.233.0.2' };

/** A veth pair whose ends are created directly inside the two labs (nothing in this machine's namespace). */
async function joinLabs(a: LabHost, b: LabHost): Promise<void> {
  await mustRun(['ip', 'link', 'add', 'ul0', 'netns', String(a.pid), 'type', 'veth', 'peer', 'name', 'ul0', 'netns', String(b.pid)]);
  for (const [lab, addr] of [[a, UNDERLAY.a], [b, UNDERLAY.b]] as const) {
    const r = await lab.exec(`ip addr add ${addr}/30 dev ul0 && ip link set ul0 up`);
    if (r.code !== 0) throw new Error(r.stderr);
  }
}

function labDesign(a: LabHost, b: LabHost): Design {
  const d = structuredClone(loadExample('vxlan-two-hosts.wireplan.json'));
  const [ha, hb] = d.hosts;
  for (const [h, lab, under] of [[ha!, a, UNDERLAY.a], [hb!, b, UNDERLAY.b]] as const) {
    h.target = { kind: 'ssh', address: lab.address, port: lab.port, user: 'root' };
    h.underlay = under;
    h.nics = [{ name: 'eth0', management: true }, { name: 'ul0', management: false }];
  }
  for (const x of d.vxlans) {
    const mine = x.at === 'a' ? UNDERLAY.a : UNDERLAY.b;
    x.local = mine;
    x.remote = mine === UNDERLAY.a ? UNDERLAY.b : UNDERLAY.a;
    x.dev = 'ul0';
  }
  return d;
}

async function twoLabs() {
  scope = new LabScope();
  const [a, b] = await Promise.all([scope.lab(), scope.lab()]);
  await joinLabs(a, b);
  const design = labDesign(a, b);
  const plan = planOf(design);
  const jobs: HostJob[] = plan.hosts.map((h) => ({ host: h, target: labTarget(scope!, h.host.id === 'a' ? a : b) }));
  return { a, b, design, plan, jobs, ha: labExecHost(a), hb: labExecHost(b) };
}

/** A copy of the plan whose step `index` on host `hostId` fails the way a real command would. */
function failingOn(plan: Plan, hostId: string, index: number): Plan {
  const p = structuredClone(plan);
  const step = p.hosts.find((h) => h.host.id === hostId)!.steps[index]!;
  step.do = [{ ns: step.ns, argv: ['ip', 'link', 'set', 'dev', 'no-such-dev0', 'up'] }, ...step.do];
  return p;
}

describe.skipIf(skip)('two lab hosts: the VXLAN example', () => {
  it('applies both hosts in parallel; namespaces on different hosts ping each other; destroy cleans both', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample('vxlan-two-hosts.wireplan.json')));
    if (reason) {
      console.warn(`[skip] vxlan: ${reason}`);
      ctx.skip();
      return;
    }
    const { design, plan, jobs, ha, hb } = await twoLabs();
    const [beforeA, beforeB] = await Promise.all([snapshot(ha.sb), snapshot(hb.sb)]);
    const r = await applyHosts(plan, jobs);
    expect(r.ok, JSON.stringify(r.reports.map((x) => x.outcome))).toBe(true);
    expect(r.reports.map((x) => x.outcome.kind)).toEqual(['converged', 'converged']);
    expect(await designMismatches(ha.sb, design, 'a')).toEqual([]);
    expect(await designMismatches(hb.sb, design, 'b')).toEqual([]);
    expect(await ping(ha.sb, 'ns-a', '10.60.0.2', { count: 3, timeoutS: 2 }), 'ns-a (host a) -> ns-b (host b) over VXLAN').toBe(true);
    expect(await ping(hb.sb, 'ns-b', '10.60.0.1', { count: 3, timeoutS: 2 }), 'ns-b (host b) -> ns-a (host a)').toBe(true);

    const again = await applyHosts(plan, jobs);
    expect(again.reports.map((x) => x.outcome)).toEqual([0, 1].map(() => ({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] })));

    const down = await Promise.all(jobs.map((j) => destroyHost(plan, j.host, j.target)));
    expect(down.map((d) => d.outcome.kind)).toEqual(['removed', 'removed']);
    expect(diffSnapshots(beforeA, await snapshot(ha.sb))).toEqual([]);
    expect(diffSnapshots(beforeB, await snapshot(hb.sb))).toEqual([]);
  });

  it('when one host fails, the other host undoes what this apply did on it', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample('vxlan-two-hosts.wireplan.json')));
    if (reason) {
      ctx.skip();
      return;
    }
    const { plan, jobs, ha, hb } = await twoLabs();
    const [beforeA, beforeB] = await Promise.all([snapshot(ha.sb), snapshot(hb.sb)]);
    const bad = failingOn(plan, 'b', plan.hosts[1]!.steps.length - 1);
    const r = await applyHosts(bad, jobs.map((j, i) => ({ ...j, host: bad.hosts[i]! })));
    expect(r.ok).toBe(false);
    const [ra, rb] = r.reports;
    expect(rb!.outcome.kind).toBe('rolled-back');
    expect(ra!.outcome, JSON.stringify(ra!.outcome)).toMatchObject({ kind: 'reverted', reason: 'rolled back because host lab-b rolled-back' });
    expect(diffSnapshots(beforeA, await snapshot(ha.sb))).toEqual([]);
    expect(diffSnapshots(beforeB, await snapshot(hb.sb))).toEqual([]);
  });
});
