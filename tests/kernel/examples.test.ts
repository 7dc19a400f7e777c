// Every single-host example, exported as a script and run for real inside a throwaway
// sandbox: the kernel holds what the design says, traffic flows (or is blocked) as
// designed, a second `up` changes nothing, and `down` restores the exact prior state.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import type { Design } from '../../shared/model/schema';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { designMismatches, featuresOf, planOf } from '../support/design-check';
import {
  createSandbox,
  diffSnapshots,
  listen,
  missingFeatures,
  ping,
  snapshot,
  tcpConnect,
  tcpExchange,
  type Sandbox,
  type Uplink,
} from '../support/sandbox';

/** What each example must (and must not) let through, checked after `up`. */
const CONNECTIVITY: Record<string, (sb: Sandbox, uplink: Uplink) => Promise<void>> = {
  'two-namespaces-nat': async (sb, up) => {
    expect(await ping(sb, 'app1', '10.0.0.3'), 'app1 -> app2 on the bridge').toBe(true);
    expect(await ping(sb, 'app2', '10.0.0.1'), 'app2 -> its gateway').toBe(true);
    // Masquerade: the outside world sees the host's uplink address, not 10.0.0.x.
    const world = await listen(sb, up.worldNs, { port: 9000 });
    try {
      expect(await tcpExchange(sb, 'app1', up.gateway, 9000)).toContain(`wireplan-listener ${up.worldNs} ${up.ip} `);
    } finally {
      await world.close();
    }
    // Published port: outside clients and the host itself reach app1:80 via uplink:8080.
    const web = await listen(sb, 'app1', { port: 80, tag: 'app1-web' });
    try {
      expect(await tcpExchange(sb, up.worldNs, up.ip, 8080)).toContain('wireplan-listener app1-web');
      expect(await tcpExchange(sb, '', up.ip, 8080), 'host-local traffic to the published port').toContain('wireplan-listener app1-web');
    } finally {
      await web.close();
    }
  },
  'lxc-bridge': async (sb, up) => {
    expect(await ping(sb, 'web1', '10.0.3.11')).toBe(true);
    expect(await ping(sb, 'db1', up.gateway), 'containers reach the outside through NAT').toBe(true);
    const ssh = await listen(sb, 'web1', { port: 22, tag: 'web1-ssh' });
    try {
      expect(await tcpExchange(sb, up.worldNs, up.ip, 2222)).toContain('wireplan-listener web1-ssh');
    } finally {
      await ssh.close();
    }
  },
  'isolated-service': async (sb) => {
    const http = await listen(sb, 'svc', { port: 80, tag: 'svc-http' });
    const ssh = await listen(sb, 'svc', { port: 22, tag: 'svc-ssh' });
    try {
      expect(await tcpExchange(sb, 'client', '10.10.0.10', 80), 'tcp/80 is admitted').toContain('wireplan-listener svc-http');
      expect(await tcpConnect(sb, 'client', '10.10.0.10', 22, { timeoutS: 1 }), 'tcp/22 is dropped by the policy').toBe(false);
      expect(await ping(sb, 'client', '10.10.0.10'), 'icmp is dropped by the policy').toBe(false);
      expect(ssh.connections).toHaveLength(0);
      expect(await ping(sb, 'svc', '10.20.0.10'), 'the service may reach clients (replies allowed)').toBe(true);
    } finally {
      await http.close();
      await ssh.close();
    }
  },
  'macvlan-shim': async (sb) => {
    expect(await ping(sb, '', '10.50.0.11'), 'host reaches m1 through its shim').toBe(true);
    expect(await ping(sb, '', '10.50.0.12'), 'host reaches m2 through its shim').toBe(true);
    expect(await ping(sb, 'm1', '10.50.0.12'), 'macvlan children reach each other').toBe(true);
  },
};

function singleHost(design: Design): boolean {
  return design.hosts.length === 1;
}

describe('examples on a real kernel', () => {
  let sb: Sandbox | undefined;
  beforeAll(() => {
    if (process.getuid?.() !== 0) console.warn('[kernel] not root: sandboxes use an unprivileged user namespace');
  });
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  for (const file of exampleFiles()) {
    const name = exampleName(file);
    const design = loadExample(file);
    if (!singleHost(design)) continue; // multi-host examples run against SSH lab hosts (tests/ssh)
    it(`${name}: up builds it, traffic flows as designed, up again changes nothing, down restores the exact prior state`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(design));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      const host = design.hosts[0]!;
      const nic = host.nics[0]?.name ?? 'uplink0';
      sb = await createSandbox({ uplink: { name: nic } });
      const uplink = sb.uplink!;
      const script = hostScript(planOf(design), planOf(design).hosts[0]!);
      const before = await snapshot(sb);

      const up = await sb.run(script, ['up']);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(/@wp result converged changed=[1-9]/);
      expect(await designMismatches(sb, design, host.id)).toEqual([]);
      await CONNECTIVITY[name]?.(sb, uplink);

      const afterUp = await snapshot(sb);
      const again = await sb.run(script, ['up']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('@wp result converged changed=0');
      expect(diffSnapshots(afterUp, await snapshot(sb))).toEqual([]);

      const status = await sb.run(script, ['status']);
      expect(status.code, status.stdout).toBe(0);

      const down = await sb.run(script, ['down']);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toContain('@wp result removed');
      expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);

      const downAgain = await sb.run(script, ['down']);
      expect(downAgain.code, 'down succeeds when everything is already gone').toBe(0);
      expect(downAgain.stdout).not.toContain('@wp undo');
    });
  }
});
