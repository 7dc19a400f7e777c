// The connectivity check across two SSH lab hosts: the VXLAN example (one segment on two
// hosts) plus a port forward inside ns-b, applied by the apply engine, then checked over
// SSH. The TCP probes from host a land on listeners on host b, which a separate "serve"
// run keeps up while host a probes. Then the VXLAN device is set down by hand on host b:
// the check fails and says so.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, type HostJob } from '../../electron/backend/apply';
import { runCheck } from '../../electron/backend/check/run-check';
import type { Design } from '../../shared/model/schema';
import { PortForwardSchema } from '../../shared/model/schema';
import { formatReport } from '../../shared/reach/format';
import { featuresOf, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { labTarget } from '../support/lab-apply';
import { mustRun } from '../support/lab-proc';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { missingFeatures } from '../support/sandbox';

const skip = sshLabSkip('check-vxlan');
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

/** The example pointed at the two labs, with ns-b publishing its port 80 as 8080. */
function labDesign(a: LabHost, b: LabHost): Design {
  const d = structuredClone(loadExample('vxlan-two-hosts.wireplan.json'));
  for (const [h, lab, under] of [[d.hosts[0]!, a, UNDERLAY.a], [d.hosts[1]!, b, UNDERLAY.b]] as const) {
    h.target = { kind: 'ssh', address: lab.address, port: lab.port, user: 'root' };
    h.underlay = under;
    h.nics = [{ name: 'eth0', management: true }, { name: 'ul0', management: false }];
  }
  for (const x of d.vxlans) {
    x.local = x.at === 'a' ? UNDERLAY.a : UNDERLAY.b;
    x.remote = x.at === 'a' ? UNDERLAY.b : UNDERLAY.a;
    x.dev = 'ul0';
  }
  d.namespaces.find((n) => n.id === 'ns-b')!.sysctls.ipForward = true;
  d.portForwards.push(PortForwardSchema.parse({ id: 'web-b', name: 'ns-b web', at: 'ns-b', protocol: 'tcp', port: 8080, to: '10.60.0.2', toPort: 80 }));
  return d;
}

describe.skipIf(skip)('wireplan check over SSH: two hosts joined by VXLAN', () => {
  it('passes once applied (listeners served across hosts), and names the VXLAN device set down by hand', async (ctx) => {
    const reason = await missingFeatures(featuresOf(loadExample('vxlan-two-hosts.wireplan.json')));
    if (reason) {
      console.warn(`[skip] check-vxlan: ${reason}`);
      ctx.skip();
      return;
    }
    scope = new LabScope();
    const [a, b] = await Promise.all([scope.lab(), scope.lab()]);
    await joinLabs(a, b);
    const design = labDesign(a, b);
    const plan = planOf(design);
    const jobs: HostJob[] = plan.hosts.map((h) => ({ host: h, target: labTarget(scope!, h.host.id === 'a' ? a : b) }));
    const applied = await applyHosts(plan, jobs);
    expect(applied.ok, JSON.stringify(applied.reports.map((x) => x.outcome))).toBe(true);

    const executors = new Map([
      ['a', scope.executor(a)],
      ['b', scope.executor(b)],
    ]);
    const first = await runCheck(design, executors);
    if (!first.ok) throw new Error(JSON.stringify(first.diagnostics));
    const report = first.report;
    expect(report.summary.disagree, formatReport(report, { verbose: true })).toBe(0);
    const cross = report.rows.find((r) => r.expectation.probe.from.name === 'lab-a/ns-a' && r.expectation.probe.port === 8080);
    expect(cross?.expectation.expect).toBe('reach');
    expect(cross?.outcome?.listener, 'the connection from host a landed on the listener host b served').toBeDefined();
    expect(cross?.outcome?.seenFrom).toBe('10.60.0.1');
    const served = report.hosts.find((h) => h.hostId === 'b')!.listeners;
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((l) => l.ready)).toBe(true);
    // Nothing of the check is left on host b (serve run stopped, listeners gone).
    const procs = (await b.exec('ps -eo args=')).stdout.split('\n').filter((l) => /IO::Socket|wp_serve|wpcheck/.test(l) && !l.startsWith('ps '));
    expect(procs).toEqual([]);
    expect((await b.exec('ls -d /tmp/wpcheck.* 2>/dev/null || true')).stdout.trim()).toBe('');

    // Break the overlay on host b by hand.
    const down = await b.exec('ip link set vx100 down');
    expect(down.code, down.stderr).toBe(0);
    const second = await runCheck(design, executors);
    if (!second.ok) throw new Error(JSON.stringify(second.diagnostics));
    const broken = second.report.rows.filter((r) => !r.ok);
    expect(broken.map((r) => `${r.expectation.probe.from.name} -> ${r.expectation.probe.to}`)).toEqual(
      expect.arrayContaining(['lab-a/ns-a -> 10.60.0.2', 'lab-b/ns-b -> 10.60.0.1']),
    );
    for (const r of broken.filter((x) => x.expectation.probe.kind === 'ping')) {
      expect(r.explanation?.[0], formatReport(second.report)).toMatch(/interface vx100 in lab-b is down \(the design has it up\)/);
    }
  });
});
