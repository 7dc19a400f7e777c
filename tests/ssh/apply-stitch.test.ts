// Two lab hosts, one bridge: the stretched-segment example, whose namespaces on host b
// are connected straight to a bridge on host a. The compiler stitches the segment with a
// stretch bridge and VXLAN over the underlay; here it is applied to both labs in parallel
// through the real engine, traffic crosses the stitch, re-apply does nothing and destroy
// restores both labs exactly. The underlay is a veth pair joining the two labs directly
// (as in apply-vxlan.test.ts: nothing in this machine's own namespace). Also: an underlay
// NIC too small for the segment, and three hosts on one underlay LAN (the star).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, destroyHost, type HostJob } from '../../electron/backend/apply';
import type { HostExecutor } from '../../electron/backend/executor';
import { runCheck } from '../../electron/backend/check/run-check';
import { needsFor } from '../../electron/backend/live/needs';
import { snapshotHost } from '../../electron/backend/live/snapshot';
import { compile } from '../../shared/compile/compile';
import type { Plan } from '../../shared/compile/plan';
import { evaluateStatus, prepareStatus } from '../../shared/observe/status';
import { formatReport } from '../../shared/reach/format';
import { HostSchema, NamespaceSchema, VethSchema, type Design } from '../../shared/model/schema';
import { designMismatches, featuresOf, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { labExecHost, labTarget } from '../support/lab-apply';
import { mustRun } from '../support/lab-proc';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, links, missingFeatures, ping, snapshot, type IpLink } from '../support/sandbox';

const skip = sshLabSkip('apply-stitch');
let scope: LabScope | undefined;
/** The underlay switch of the three-host test: a process of ours in a network namespace of its own. */
let underlaySwitch: ChildProcess | undefined;
afterEach(async () => {
  if (underlaySwitch?.pid !== undefined && underlaySwitch.exitCode === null) {
    const gone = new Promise((r) => underlaySwitch!.once('exit', r));
    underlaySwitch.kill('SIGKILL');
    await gone;
  }
  underlaySwitch = undefined;
  await scope?.cleanup();
  scope = undefined;
});

const EXAMPLE = 'stretched-segment-two-hosts.wireplan.json';
const UNDERLAY = { a: '10.234.0.1', b: '10.234.0.2' };

/** A veth pair "ul0" whose ends are created directly inside the two labs; lab b's end gets `mtuB`. */
async function joinLabs(a: LabHost, b: LabHost, mtuB = 1500): Promise<void> {
  await mustRun(['ip', 'link', 'add', 'ul0', 'netns', String(a.pid), 'type', 'veth', 'peer', 'name', 'ul0', 'netns', String(b.pid)]);
  for (const [lab, addr, mtu] of [[a, UNDERLAY.a, 1500], [b, UNDERLAY.b, mtuB]] as const) {
    const r = await lab.exec(`ip link set ul0 mtu ${mtu} && ip addr add ${addr}/30 dev ul0 && ip link set ul0 up`);
    if (r.code !== 0) throw new Error(r.stderr);
  }
}

/** The example pointed at the labs: SSH to each lab, underlay over ul0 (declared MTU `declaredB` on lab b). */
function labDesign(a: LabHost, b: LabHost, declaredB = 1500): Design {
  const d = structuredClone(loadExample(EXAMPLE));
  for (const h of d.hosts) {
    const [lab, under] = h.id === 'a' ? [a, UNDERLAY.a] : [b, UNDERLAY.b];
    h.target = { kind: 'ssh', address: lab.address, port: lab.port, user: 'root' };
    h.underlay = under;
    h.underlayDev = 'ul0';
    h.nics = [{ name: 'eth0', management: true }, { name: 'ul0', management: false, mtu: h.id === 'b' ? declaredB : 1500 }];
  }
  return d;
}

async function twoLabs(opts: { mtuB?: number } = {}) {
  scope = new LabScope();
  const [a, b] = await Promise.all([scope.lab(), scope.lab()]);
  await joinLabs(a, b, opts.mtuB);
  const design = labDesign(a, b);
  const plan = planOf(design);
  const jobs: HostJob[] = plan.hosts.map((h) => ({ host: h, target: labTarget(scope!, h.host.id === 'a' ? a : b) }));
  return { a, b, design, plan, jobs, ha: labExecHost(a), hb: labExecHost(b) };
}

const vxlanOf = (ls: IpLink[]) => ls.filter((l) => l.linkinfo?.info_kind === 'vxlan');

/** Live status of one host as the app computes it (observed over SSH, mapped onto the design). */
async function liveStatus(design: Design, plan: Plan, hostId: string, executor: HostExecutor) {
  const model = prepareStatus(design, plan, hostId);
  const needs = needsFor(model, design);
  const snap = await snapshotHost(executor, {
    entry: (ns) => ({ ip: true, nft: needs.nft === 'all' || needs.nft.has(ns), sysctl: needs.sysctls.has(ns), iptables: ns === '' }),
    sysctlKeys: [...new Set([...needs.sysctls.values()].flat())],
  });
  return evaluateStatus(model, snap.host);
}

/**
 * A bridge in a fresh network namespace (held by a `sleep` we start, killed in afterEach)
 * with a veth "ul0" into each lab: one underlay LAN for three hosts, nothing in this
 * machine's own namespace. Returns each lab's underlay address.
 */
async function underlayLan(labs: LabHost[]): Promise<string[]> {
  const sw = spawn('unshare', ['--net', '--', 'sleep', '600'], { stdio: 'ignore' });
  underlaySwitch = sw;
  const pid = String(sw.pid);
  // unshare has entered its namespace once it has exec'd sleep.
  for (let i = 0; i < 200 && !(await mustRun(['readlink', `/proc/${pid}/exe`]).catch(() => '')).endsWith('/sleep'); i++) await new Promise((r) => setTimeout(r, 10));
  await mustRun(['nsenter', '-t', pid, '-n', 'sh', '-c', 'ip link add br0 type bridge && ip link set br0 up']);
  const addrs: string[] = [];
  for (const [i, lab] of labs.entries()) {
    const addr = `10.235.0.${i + 1}`;
    await mustRun(['ip', 'link', 'add', 'ul0', 'netns', String(lab.pid), 'type', 'veth', 'peer', 'name', `ul${i}`, 'netns', pid]);
    await mustRun(['nsenter', '-t', pid, '-n', 'ip', 'link', 'set', `ul${i}`, 'master', 'br0', 'up']);
    const r = await lab.exec(`ip addr add ${addr}/24 dev ul0 && ip link set ul0 up`);
    if (r.code !== 0) throw new Error(r.stderr);
    addrs.push(addr);
  }
  return addrs;
}

describe.skipIf(skip)('lab hosts: a bridge stretched over VXLAN', () => {
  it('applies both hosts; namespaces on host b reach host a\'s namespace and gateway across the stitch; re-apply runs nothing; destroy restores both', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample(EXAMPLE)));
    if (reason) {
      console.warn(`[skip] stitch: ${reason}`);
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

    // The stitch as the kernel sees it: one VXLAN per side, same VNI, pointing at each other
    // through ul0 without learning, MTU 1450, a port of br-lan (the home bridge on a, its stretch on b).
    const [rootA, rootB] = await Promise.all([links(ha.sb, ''), links(hb.sb, '')]);
    const [vxA, vxB] = [vxlanOf(rootA), vxlanOf(rootB)];
    expect(vxA).toHaveLength(1);
    expect(vxB).toHaveLength(1);
    for (const [vx, local, remote] of [[vxA[0]!, UNDERLAY.a, UNDERLAY.b], [vxB[0]!, UNDERLAY.b, UNDERLAY.a]] as const) {
      const data = vx.linkinfo!.info_data!;
      expect({ id: data['id'], local: data['local'], remote: data['remote'], link: data['link'], port: data['port'], learning: data['learning'], mtu: vx.mtu, master: vx.master }).toEqual({
        id: vxA[0]!.linkinfo!.info_data!['id'],
        local,
        remote,
        link: 'ul0',
        port: 4789,
        learning: false,
        mtu: 1450,
        master: 'br-lan',
      });
    }
    const stretch = rootB.find((l) => l.ifname === 'br-lan')!;
    expect(stretch.ifalias).toBe('wireplan:stitch:br-lan/stretch');
    expect(rootB.filter((l) => l.master === 'br-lan').map((l) => l.ifname).sort()).toEqual(['v-app-b1', 'v-app-b2', vxB[0]!.ifname].sort());

    expect(await ping(hb.sb, 'app-b1', '10.70.0.10', { count: 3, timeoutS: 2 }), 'app-b1 (host b) -> app-a (host a)').toBe(true);
    expect(await ping(hb.sb, 'app-b1', '10.70.0.1', { count: 3, timeoutS: 2 }), 'app-b1 (host b) -> gateway on host a').toBe(true);
    expect(await ping(ha.sb, 'app-a', '10.70.0.22', { count: 3, timeoutS: 2 }), 'app-a (host a) -> app-b2 (host b)').toBe(true);
    expect(await ping(hb.sb, 'app-b2', '10.70.0.21', { count: 3, timeoutS: 2 }), 'app-b2 -> app-b1 on the stretch').toBe(true);
    // A full 1450-byte frame crosses the tunnel unfragmented (1422 bytes of ICMP payload + 28).
    const big = await hb.sb.exec(['ping', '-n', '-q', '-c', '2', '-W', '2', '-M', 'do', '-s', '1422', '10.70.0.10'], { ns: 'app-b1', timeoutMs: 10_000 });
    expect(big.code, big.stdout + big.stderr).toBe(0);
    // The connectivity check (expected matrix vs probes run on both hosts) agrees everywhere.
    const checked = await runCheck(design, new Map(jobs.map((j) => [j.host.host.id, j.target.executor])));
    if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
    expect(checked.report.summary.disagree, formatReport(checked.report, { verbose: true })).toBe(0);
    expect(checked.report.rows.filter((r) => r.expectation.expect === 'reach').length).toBeGreaterThanOrEqual(12);

    const again = await applyHosts(plan, jobs);
    expect(again.reports.map((x) => x.outcome)).toEqual([0, 1].map(() => ({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] })));

    // Live status: every element present on both hosts, the stitch objects count as ours.
    for (const j of jobs) {
      const st = await liveStatus(design, plan, j.host.host.id, j.target.executor);
      expect(st.elements.filter((e) => e.presence !== 'present'), j.host.host.name).toEqual([]);
      expect(st.foreign, j.host.host.name).toEqual([]);
    }
    // A tunnel deleted by hand shows on the home bridge, and the next apply puts it back.
    await ha.sb.execOk(['ip', 'link', 'del', 'dev', vxA[0]!.ifname]);
    const broken = await liveStatus(design, plan, 'a', jobs[0]!.target.executor);
    const bridge = broken.elements.find((e) => e.elementId === 'br-lan')!;
    expect(bridge.presence).toBe('drifted');
    expect(bridge.drift!.join('\n')).toContain(vxA[0]!.ifname);
    const repaired = await applyHosts(plan, jobs);
    expect(repaired.reports.map((x) => x.outcome.kind)).toEqual(['converged', 'converged']);
    expect(repaired.reports[0]!.outcome).toMatchObject({ changed: 2 });
    expect(await ping(hb.sb, 'app-b1', '10.70.0.10', { count: 3, timeoutS: 2 }), 'across the repaired stitch').toBe(true);
    // The tunnel set down by hand on host b: the check fails across hosts and names it.
    await hb.sb.execOk(['ip', 'link', 'set', 'dev', vxB[0]!.ifname, 'down']);
    const down1 = await runCheck(design, new Map(jobs.map((j) => [j.host.host.id, j.target.executor])));
    if (!down1.ok) throw new Error(JSON.stringify(down1.diagnostics));
    const failing = down1.report.rows.filter((r) => !r.ok && r.expectation.probe.kind === 'ping');
    expect(failing.map((r) => `${r.expectation.probe.from.name} -> ${r.expectation.probe.to}`)).toContain('lab-b/app-b1 -> 10.70.0.10');
    expect(failing.map((r) => `${r.expectation.probe.from.name} -> ${r.expectation.probe.to}`)).not.toContain('lab-b/app-b2 -> 10.70.0.21');
    for (const r of failing) expect(r.explanation?.join('\n'), formatReport(down1.report)).toContain(`interface ${vxB[0]!.ifname} in lab-b is down (the design has it up)`);

    const down = await Promise.all(jobs.map((j) => destroyHost(plan, j.host, j.target)));
    expect(down.map((d) => d.outcome.kind)).toEqual(['removed', 'removed']);
    expect(diffSnapshots(beforeA, await snapshot(ha.sb))).toEqual([]);
    expect(diffSnapshots(beforeB, await snapshot(hb.sb))).toEqual([]);
  });

  it('an underlay NIC smaller than the segment needs: refused by validation when declared, and the stitch step fails and rolls back when it is not', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample(EXAMPLE)));
    if (reason) {
      ctx.skip();
      return;
    }
    // Lab b's ul0 carries 1400 bytes: 1450 + 50 of VXLAN headers do not fit.
    const { a, b, plan, jobs, ha, hb } = await twoLabs({ mtuB: 1400 });
    const actual = JSON.parse(await hb.sb.execOk(['ip', '-j', 'link', 'show', 'dev', 'ul0'])) as { mtu: number }[];
    expect(actual[0]!.mtu).toBe(1400);

    // Declared as it is, the design does not compile: expected vs actual, and what to change.
    const declared = compile(labDesign(a, b, actual[0]!.mtu));
    expect(declared.ok).toBe(false);
    const mtu = declared.diagnostics.filter((d) => d.rule === 'stitch-mtu');
    expect(mtu).toHaveLength(1);
    expect(mtu[0]!.message).toBe('bridge "br-lan" is stretched over VXLAN through underlay NIC "ul0" of host "lab-b": MTU 1450 + 50 bytes of headers needs 1500, but "ul0" has MTU 1400');
    expect(mtu[0]!.fix).toBe('set the bridge mtu to 1350 (and the MTU of every interface on its segment), or raise the MTU of "ul0" on host "lab-b" to 1500');

    // Declared wrongly (1500), the kernel refuses the stitch's MTU on lab b: that host rolls
    // back, the other is reverted, and both are as before.
    const [beforeA, beforeB] = await Promise.all([snapshot(ha.sb), snapshot(hb.sb)]);
    const r = await applyHosts(plan, jobs);
    expect(r.ok).toBe(false);
    const [ra, rb] = r.reports;
    expect(rb!.outcome, JSON.stringify(rb!.outcome)).toMatchObject({ kind: 'rolled-back', failedStep: { id: expect.stringMatching(/^link:root:vx\d+$/) } });
    if (rb!.outcome.kind !== 'rolled-back') throw new Error('unreachable');
    expect(rb!.outcome.failedStep!.description).toMatch(/stretches bridge "br-lan" to host lab-a over ul0; mtu 1450 needs ul0 mtu >= 1500$/);
    expect(rb!.outcome.stderr).toMatch(/Invalid argument|mtu/i);
    expect(ra!.outcome.kind).toBe('reverted');
    expect(diffSnapshots(beforeA, await snapshot(ha.sb))).toEqual([]);
    expect(diffSnapshots(beforeB, await snapshot(hb.sb))).toEqual([]);
  });
  it('three hosts: a star around the bridge\'s host; far hosts reach each other through it', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample(EXAMPLE)));
    if (reason) {
      ctx.skip();
      return;
    }
    scope = new LabScope();
    const labs = await Promise.all([scope.lab(), scope.lab(), scope.lab()]);
    const under = await underlayLan(labs);
    const d = structuredClone(loadExample(EXAMPLE));
    d.hosts.push(HostSchema.parse({ id: 'c', name: 'lab-c', target: { kind: 'ssh', address: '192.0.2.12' } }));
    d.namespaces.push(NamespaceSchema.parse({ id: 'app-c', name: 'app-c', host: 'c', routes: [{ to: 'default', via: '10.70.0.1' }] }));
    d.veths.push(VethSchema.parse({ id: 'link-c', name: 'app-c uplink', a: { at: 'app-c', ifname: 'eth0', addresses: ['10.70.0.30/24'], mtu: 1450 }, b: { at: 'br-lan', ifname: 'v-app-c', mtu: 1450 } }));
    d.hosts.forEach((h, i) => {
      const lab = labs[i]!;
      h.target = { kind: 'ssh', address: lab.address, port: lab.port, user: 'root' };
      h.underlay = under[i]!;
      h.underlayDev = 'ul0';
      h.nics = [{ name: 'eth0', management: true }, { name: 'ul0', management: false, mtu: 1500 }];
    });
    const plan = planOf(d);
    const jobs: HostJob[] = plan.hosts.map((h, i) => ({ host: h, target: labTarget(scope!, labs[i]!) }));
    const hosts = labs.map(labExecHost);
    const before = await Promise.all(hosts.map((h) => snapshot(h.sb)));
    const r = await applyHosts(plan, jobs);
    expect(r.reports.map((x) => x.outcome.kind), JSON.stringify(r.reports.map((x) => x.outcome))).toEqual(['converged', 'converged', 'converged']);
    // The home host holds one tunnel per far host; each far host one, to the home host.
    const tunnels = await Promise.all(hosts.map(async (h) => vxlanOf(await links(h.sb, '')).map((l) => l.linkinfo!.info_data!['remote'])));
    expect(tunnels).toEqual([[under[1], under[2]], [under[0]], [under[0]]]);
    const [, hb, hc] = hosts;
    expect(await ping(hb!.sb, 'app-b1', '10.70.0.30', { count: 3, timeoutS: 2 }), 'app-b1 (host b) -> app-c (host c), through host a').toBe(true);
    expect(await ping(hc!.sb, 'app-c', '10.70.0.1', { count: 3, timeoutS: 2 }), 'app-c -> gateway on host a').toBe(true);
    expect(await ping(hc!.sb, 'app-c', '10.70.0.10', { count: 3, timeoutS: 2 }), 'app-c -> app-a').toBe(true);
    const again = await applyHosts(plan, jobs);
    expect(again.reports.map((x) => x.outcome)).toEqual([0, 1, 2].map(() => ({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] })));
    const down = await Promise.all(jobs.map((j) => destroyHost(plan, j.host, j.target)));
    expect(down.map((x) => x.outcome.kind)).toEqual(['removed', 'removed', 'removed']);
    const after = await Promise.all(hosts.map((h) => snapshot(h.sb)));
    after.forEach((snap, i) => expect(diffSnapshots(before[i]!, snap), labs[i]!.name).toEqual([]));
  });
});
