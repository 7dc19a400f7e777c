// What each single-host example must (and must not) let through once applied, on any
// machine the sandbox helpers can enter (a lab host, the sandbox target). Same checks as
// tests/kernel/examples.test.ts, against the uplink this harness made.
import { expect } from 'vitest';
import type { Uplink } from './lab-apply';
import { listen, ping, tcpConnect, tcpExchange, type Sandbox } from './sandbox';

export const CONNECTIVITY: Record<string, (sb: Sandbox, up: Uplink | undefined) => Promise<void>> = {
  'two-namespaces-nat': async (sb, up) => {
    expect(await ping(sb, 'app1', '10.0.0.3'), 'app1 -> app2 on the bridge').toBe(true);
    expect(await ping(sb, 'app2', '10.0.0.1'), 'app2 -> its gateway').toBe(true);
    const world = await listen(sb, up!.worldNs, { port: 9000 });
    try {
      expect(await tcpExchange(sb, 'app1', up!.gateway, 9000), 'masquerade: the world sees the uplink address').toContain(`wireplan-listener ${up!.worldNs} ${up!.ip} `);
    } finally {
      await world.close();
    }
    const web = await listen(sb, 'app1', { port: 80, tag: 'app1-web' });
    try {
      expect(await tcpExchange(sb, up!.worldNs, up!.ip, 8080)).toContain('wireplan-listener app1-web');
      expect(await tcpExchange(sb, '', up!.ip, 8080), 'host-local traffic to the published port').toContain('wireplan-listener app1-web');
    } finally {
      await web.close();
    }
  },
  'lxc-bridge': async (sb, up) => {
    expect(await ping(sb, 'web1', '10.0.3.11')).toBe(true);
    expect(await ping(sb, 'db1', up!.gateway), 'containers reach the outside through NAT').toBe(true);
    const ssh = await listen(sb, 'web1', { port: 22, tag: 'web1-ssh' });
    try {
      expect(await tcpExchange(sb, up!.worldNs, up!.ip, 2222)).toContain('wireplan-listener web1-ssh');
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
