// The connectivity check on a real kernel: every single-host example is applied with its
// exported script inside a throwaway sandbox (the host's NICs are the sandbox's fake
// uplinks), then `runCheck` probes it through a HostExecutor that runs in that sandbox.
// Everything the design expects (reach and blocked) must hold, the listeners must be
// gone afterwards, and the check must fit in a few executor runs.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../electron/backend/check/run-check';
import { hostScript } from '../../shared/export/script';
import { formatReport } from '../../shared/reach/format';
import type { Design } from '../../shared/model/schema';
import type { CheckReport } from '../../shared/reach/report';
import { featuresOf, planOf } from '../support/design-check';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { createSandbox, missingFeatures, type Sandbox } from '../support/sandbox';
import { processCmdline } from '../support/sandbox-proc';
import { sandboxHostExecutor } from '../support/sandbox-host-executor';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const wpcheckDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('wpcheck.'));

function describeReport(r: CheckReport): string {
  return formatReport(r, { verbose: true });
}

/** isolated-service with IPv6 only: DAD, ping -6, IPv6 DNAT and policy, listeners on IPv6 addresses. */
function ipv6Only(): Design {
  const d = structuredClone(loadExample('isolated-service.wireplan.json'));
  d.tag = 'iso6';
  d.hosts[0]!.sysctls = { ipv6Forward: true, interfaces: [] };
  d.bridges[0]!.addresses = ['fd10::1/64'];
  d.bridges[1]!.addresses = ['fd20::1/64'];
  d.veths[0]!.a.addresses = ['fd10::10/64'];
  d.veths[1]!.a.addresses = ['fd20::10/64'];
  d.namespaces[0]!.routes = [{ to: 'default', via: 'fd10::1' }];
  d.namespaces[1]!.routes = [{ to: 'default', via: 'fd20::1' }];
  d.policies[0]!.protects = ['fd10::/64'];
  d.portForwards[0]!.to = 'fd10::10';
  return d;
}

describe('wireplan check on a real kernel: every single-host example', () => {
  const cases = [...exampleFiles().map((file) => ({ name: exampleName(file), design: loadExample(file) })), { name: 'isolated-service (IPv6 only)', design: ipv6Only() }];
  for (const { name, design } of cases) {
    if (design.hosts.length !== 1) continue; // the VXLAN example runs on two SSH lab hosts (tests/ssh/check-vxlan)
    it(`${name}: applied by its script, every expected reach and block holds`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(design));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      const host = design.hosts[0]!;
      sb = await createSandbox({ uplink: { name: host.nics[0]?.name ?? 'uplink0' } });
      const plan = planOf(design);
      const up = await sb.run(hostScript(plan, plan.hosts[0]!), ['up']);
      expect(up.code, up.stderr).toBe(0);
      const dirsBefore = wpcheckDirs();

      const exec = sandboxHostExecutor(sb);
      const t0 = performance.now();
      const result = await runCheck(design, new Map([[host.id, exec]]));
      const ms = performance.now() - t0;
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
      const report = result.report;
      expect(report.summary.disagree, describeReport(report)).toBe(0);
      expect(report.rows.length).toBeGreaterThan(0);
      expect(report.rows.every((r) => r.outcome !== undefined), 'every probe ran').toBe(true);
      expect(report.hosts[0]!.error).toBeUndefined();
      expect(report.hosts[0]!.listeners.every((l) => l.ready), JSON.stringify(report.hosts[0]!.listeners)).toBe(true);
      expect(exec.runs, 'one probe run (no evidence run when all agree)').toBe(1);

      // Both kinds of expectation are exercised where the design has a firewall.
      if (design.policies.length + design.portForwards.length > 0) {
        expect(report.rows.some((r) => r.expectation.probe.kind === 'tcp')).toBe(true);
      }
      if (design.policies.length > 0) expect(report.summary.expectedBlocked).toBeGreaterThan(0);

      // Cleaned up: no listener left in the sandbox, no temp dir left behind.
      const leftovers = sb.processes().filter((pid) => pid !== sb!.pid).map((pid) => `${pid} ${processCmdline(pid)}`);
      expect(leftovers).toEqual([]);
      expect(wpcheckDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
      console.log(`[check-examples] ${name}: ${report.rows.length} probes (${report.summary.expectedBlocked} blocked) in ${ms.toFixed(0)} ms`);
    });
  }
});
