// The connectivity check against deliberately broken hosts: an example is applied in a
// throwaway sandbox, then changed by hand the way people break labs (forwarding turned
// off, a firewall rule deleted, a route deleted, an interface set down, an address
// removed, a DNAT rule deleted). The check must fail, on the probes that cross the
// damage, and name the cause from the live host.
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../electron/backend/check/run-check';
import { hostScript } from '../../shared/export/script';
import { formatReport } from '../../shared/reach/format';
import type { CheckReport, CheckRow } from '../../shared/reach/report';
import { featuresOf, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { createSandbox, missingFeatures, type Sandbox } from '../support/sandbox';
import { sandboxHostExecutor } from '../support/sandbox-host-executor';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Applies the example, runs `breakIt` (a bash snippet) in the sandbox, then checks. */
async function checkBroken(file: string, breakIt: string, ctx: { skip: () => void }): Promise<CheckReport | undefined> {
  const design = loadExample(file);
  const reason = await missingFeatures(featuresOf(design));
  if (reason) {
    console.warn(`[skip] ${file}: ${reason}`);
    ctx.skip();
    return undefined;
  }
  const host = design.hosts[0]!;
  sb = await createSandbox({ uplink: { name: host.nics[0]?.name ?? 'uplink0' } });
  const plan = planOf(design);
  const up = await sb.run(hostScript(plan, plan.hosts[0]!), ['up']);
  expect(up.code, up.stderr).toBe(0);
  const broken = await sb.run(`set -e\n${breakIt}\n`);
  expect(broken.code, `breaking it failed: ${broken.stderr}`).toBe(0);
  const r = await runCheck(design, new Map([[host.id, sandboxHostExecutor(sb)]]));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.report;
}

const bad = (r: CheckReport) => r.rows.filter((x) => !x.ok);
const label = (row: CheckRow) => `${row.expectation.probe.from.name} -> ${row.expectation.probe.to}${row.expectation.probe.port ? `:${row.expectation.probe.port}` : ''} ${row.expectation.probe.kind}`;
const show = (r: CheckReport) => formatReport(r, { verbose: false });

/** The probes that disagree, with the first line of each explanation. */
function causes(r: CheckReport): Record<string, string> {
  return Object.fromEntries(bad(r).map((row) => [label(row), row.explanation?.[0] ?? `(no explanation) ${row.problem ?? ''}`]));
}

const ISO = 'isolated-service.wireplan.json';
const NAT = 'two-namespaces-nat.wireplan.json';

describe('wireplan check names the cause when a host is broken by hand', () => {
  it('forwarding turned off on the router (sysctl)', async (ctx) => {
    const r = await checkBroken(ISO, 'sysctl -qw net.ipv4.ip_forward=0', ctx);
    if (!r) return;
    expect(r.summary.disagree, show(r)).toBeGreaterThan(0);
    const c = causes(r);
    // Everything the host routes breaks; what stays on one segment does not.
    expect(Object.keys(c)).toEqual(expect.arrayContaining(['host/client -> 10.10.0.10:80 tcp', 'host/svc -> 10.20.0.10 ping']));
    expect(Object.keys(c)).not.toContain('host/client -> 10.20.0.1 ping');
    for (const [k, why] of Object.entries(c)) expect(why, k).toMatch(/ip_forward is 0 in host \(the design turns it on\)/);
    // Probes designed to be blocked stay blocked: no false alarm on them.
    expect(bad(r).every((row) => row.expectation.expect === 'reach')).toBe(true);
  });

  it('the policy rule admitting tcp/80 deleted (nft delete rule)', async (ctx) => {
    const r = await checkBroken(
      ISO,
      'h=$(nft -a list chain inet wp_isosvc forward | awk \'/tcp dport 80 counter .*accept/ { print $NF }\'); [ -n "$h" ]; nft delete rule inet wp_isosvc forward handle "$h"',
      ctx,
    );
    if (!r) return;
    const row = bad(r).find((x) => label(x) === 'host/client -> 10.10.0.10:80 tcp');
    expect(row, show(r)).toBeDefined();
    expect(row!.outcome?.reached).toBe(false);
    expect(row!.explanation![0]).toMatch(/the firewall in host drops it: rule `ip daddr 10\.10\.0\.0\/24 drop` .*table inet wp_isosvc chain forward/);
    expect(row!.explanation!.join('\n')).toMatch(/the designed rule `ip daddr 10\.10\.0\.0\/24 tcp dport 80 accept` \("only http into the service segment"\) is missing from chain forward/);
    // Only tcp/80 towards the service is affected.
    expect(bad(r).every((x) => x.expectation.probe.port === 80)).toBe(true);
  });

  it('the policy\'s default drop deleted: what the design blocks now gets through', async (ctx) => {
    const r = await checkBroken(
      ISO,
      'h=$(nft -a list chain inet wp_isosvc forward | awk \'/ip daddr 10.10.0.0\\/24 counter .*drop/ { print $NF }\'); [ -n "$h" ]; nft delete rule inet wp_isosvc forward handle "$h"',
      ctx,
    );
    if (!r) return;
    const c = causes(r);
    expect(Object.keys(c).sort(), show(r)).toEqual(['host/client -> 10.10.0.10 ping', 'host/client -> 10.10.0.10:22 tcp']);
    for (const row of bad(r)) {
      expect(row.expectation.expect).toBe('blocked');
      expect(row.problem).toMatch(/expected blocked, but it got through/);
      expect(row.explanation![0]).toMatch(/the firewall in host lets it through .* but the design says: policy "only http into the service segment" at host drops it by its default action/);
      expect(row.explanation!.join('\n')).toMatch(/designed rule `ip daddr 10\.10\.0\.0\/24 drop` .* is missing/);
    }
  });

  it('a namespace\'s default route deleted', async (ctx) => {
    const r = await checkBroken(ISO, 'ip -n client route del default', ctx);
    if (!r) return;
    const c = causes(r);
    expect(c['host/client -> 10.10.0.10:80 tcp'], show(r)).toMatch(/host\/client has no route to 10\.10\.0\.10 \(ip route get: .*Network is unreachable\); the design routes it default via 10\.20\.0\.1 dev eth0/);
    // A probe from elsewhere fails on its reply, and says so.
    expect(c['host/svc -> 10.20.0.10 ping']).toMatch(/^on the way back: host\/client has no route to 10\.10\.0\.10/);
    // The client still reaches its own segment.
    expect(Object.keys(c)).not.toContain('host/client -> 10.20.0.1 ping');
  });

  it('an interface set down', async (ctx) => {
    const r = await checkBroken(ISO, 'ip -n svc link set eth0 down', ctx);
    if (!r) return;
    const c = causes(r);
    expect(c['host -> 10.10.0.10 ping'], show(r)).toMatch(/interface eth0 in host\/svc is down \(the design has it up\)/);
    expect(c['host/client -> 10.10.0.10:80 tcp']).toMatch(/eth0 in host\/svc is down/);
  });

  it('an address removed from a namespace', async (ctx) => {
    const r = await checkBroken(NAT, 'ip -n app2 addr del 10.0.0.3/24 dev eth0', ctx);
    if (!r) return;
    const c = causes(r);
    expect(c['lab -> 10.0.0.3 ping'], show(r)).toMatch(/address 10\.0\.0\.3 is missing in lab\/app2/);
    expect(c['lab/app2 -> 10.0.0.1 ping']).toMatch(/lab\/app2 does not have its source address 10\.0\.0\.3|no route/);
  });

  it('the port forward\'s DNAT rule deleted: the connection lands on the host itself', async (ctx) => {
    const r = await checkBroken(
      NAT,
      'h=$(nft -a list chain inet wp_twons prerouting | awk \'/dnat/ { print $NF }\'); [ -n "$h" ]; nft delete rule inet wp_twons prerouting handle "$h"',
      ctx,
    );
    if (!r) return;
    const row = bad(r).find((x) => label(x) === 'lab/app2 -> 10.0.0.1:8080 tcp');
    expect(row, show(r)).toBeDefined();
    expect(row!.problem).toMatch(/connected, but to lab 10\.0\.0\.1:8080 instead of lab\/app1 10\.0\.0\.2:80/);
    expect(row!.explanation!.join('\n')).toMatch(/the designed rule `fib daddr type local tcp dport 8080 dnat ip to 10\.0\.0\.2:80` \("app1 web"\) is missing from chain prerouting/);
    // The host's own connections use the output rule, which is still there.
    expect(bad(r).some((x) => label(x) === 'lab -> 10.0.0.1:8080 tcp')).toBe(false);
  });
});
