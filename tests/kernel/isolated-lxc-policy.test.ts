// The isolated-LXC article's recipe on a real kernel, as a Wireplan design and by hand:
//   iptables -t nat -A POSTROUTING -s 10.10.20.0/24 ! -o br0 -j MASQUERADE
//   iptables -A FORWARD -i eth0 -d 10.10.20.10 -p tcp --dport 80 -j ACCEPT
//   iptables -A FORWARD -i eth0 -j DROP
//   iptables -A FORWARD -i br0 -m state --state NEW,INVALID -j DROP
// The design's policy admits exactly tcp/80 to c1 from the uplink and blocks new
// connections from br0 (replies still flow); the masquerade takes everything but br0.
// A host built by the iptables recipe imports back as that very design.
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import { importFromHost } from '../../electron/backend/live/snapshot';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type Design } from '../../shared/model/schema';
import { planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, listen, missingFeatures, snapshot, tcpConnect, tcpExchange, type Sandbox } from '../support/sandbox';

const POLICY_RULES = [
  { in: 'eth0', to: '10.10.20.10/32', protocol: 'tcp' as const, ports: '80', action: 'accept' as const },
  { in: 'eth0', protocol: 'any' as const, action: 'drop' as const },
  { in: 'br0', state: ['new' as const, 'invalid' as const], protocol: 'any' as const, action: 'drop' as const },
];

function lxcDesign(withPolicy: boolean): Design {
  return DesignSchema.parse({
    wireplan: 2,
    tag: 'isolxc',
    name: 'isolated LXC',
    hosts: [{ id: 'host', name: 'host', target: { kind: 'sandbox' }, nics: [{ name: 'eth0' }], sysctls: { ipForward: true } }],
    namespaces: [
      { id: 'c1', name: 'c1', host: 'host', routes: [{ to: 'default', via: '10.10.20.1' }] },
      { id: 'c2', name: 'c2', host: 'host', routes: [{ to: 'default', via: '10.10.20.1' }] },
    ],
    bridges: [{ id: 'br0', name: 'br0', at: 'host', addresses: ['10.10.20.1/24'] }],
    veths: [
      { id: 'c1-link', name: 'c1', a: { at: 'c1', ifname: 'eth0', addresses: ['10.10.20.10/24'] }, b: { at: 'br0', ifname: 'vc1' } },
      { id: 'c2-link', name: 'c2', a: { at: 'c2', ifname: 'eth0', addresses: ['10.10.20.11/24'] }, b: { at: 'br0', ifname: 'vc2' } },
    ],
    masquerades: [{ id: 'nat', name: 'containers out', at: 'host', source: '10.10.20.0/24', egressExcept: 'br0' }],
    policies: withPolicy
      ? [{ id: 'iso', name: 'isolated', at: 'host', protects: ['0.0.0.0/0'], defaultAction: 'accept', allowEstablished: false, rules: POLICY_RULES }]
      : [],
  });
}

describe('the isolated-LXC recipe on a real kernel', () => {
  let sb: Sandbox | undefined;
  let ex: SandboxExecutor | undefined;
  afterEach(async () => {
    await sb?.close();
    await ex?.close();
    sb = undefined;
    ex = undefined;
  });

  async function up(design: Design) {
    const plan = planOf(design);
    const script = hostScript(plan, plan.hosts[0]!);
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const uplink = sb.uplink!;
    // The outside world routes the containers' subnet to the host (no NAT needed inbound).
    await sb.execOk(['ip', 'route', 'add', '10.10.20.0/24', 'via', uplink.ip], { ns: uplink.worldNs });
    const before = await snapshot(sb);
    const r = await sb.run(script, ['up']);
    expect(r.code, r.stderr).toBe(0);
    return { sb, script, uplink, before };
  }

  it('the policy admits exactly tcp/80 to c1 from the uplink and blocks new connections from br0', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    const { sb, script, uplink, before } = await up(lxcDesign(true));
    const web = await listen(sb, 'c1', { port: 80, tag: 'c1-web' });
    const ssh = await listen(sb, 'c1', { port: 22, tag: 'c1-ssh' });
    const web2 = await listen(sb, 'c2', { port: 80, tag: 'c2-web' });
    const outside = await listen(sb, uplink.worldNs, { port: 9000, tag: 'outside' });
    try {
      expect(await tcpExchange(sb, uplink.worldNs, '10.10.20.10', 80), 'tcp/80 to c1 from the uplink').toContain('wireplan-listener c1-web');
      expect(await tcpConnect(sb, uplink.worldNs, '10.10.20.10', 22, { timeoutS: 1 }), 'tcp/22 to c1').toBe(false);
      expect(await tcpConnect(sb, uplink.worldNs, '10.10.20.11', 80, { timeoutS: 1 }), 'tcp/80 to c2').toBe(false);
      expect(await tcpConnect(sb, 'c1', uplink.gateway, 9000, { timeoutS: 1 }), 'a new connection from br0').toBe(false);
      expect(ssh.connections).toHaveLength(0);
      expect(web2.connections).toHaveLength(0);
      expect(outside.connections).toHaveLength(0);
    } finally {
      await Promise.all([web.close(), ssh.close(), web2.close(), outside.close()]);
    }
    expect((await sb.run(script, ['up'])).stdout).toContain('changed=0');
    expect((await sb.run(script, ['down'])).code).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });

  it('the masquerade takes traffic out of anything but br0', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    const { sb, uplink } = await up(lxcDesign(false));
    const outside = await listen(sb, uplink.worldNs, { port: 9000, tag: 'outside' });
    // c2 also answers for 10.99.0.1 (outside the containers' subnet), routed there by the host.
    await sb.execOk(['ip', 'addr', 'add', '10.99.0.1/32', 'dev', 'lo'], { ns: 'c2' });
    await sb.execOk(['ip', 'route', 'add', '10.99.0.1/32', 'via', '10.10.20.11']);
    const c2 = await listen(sb, 'c2', { port: 80, tag: 'c2-web' });
    try {
      expect(await tcpExchange(sb, 'c1', uplink.gateway, 9000), 'out of eth0: masqueraded').toContain(`wireplan-listener outside ${uplink.ip} `);
      // Routed by the host back out of br0, to a destination outside the subnet: not masqueraded.
      expect(await tcpExchange(sb, 'c1', '10.99.0.1', 80), 'out of br0: the real source').toContain('wireplan-listener c2-web 10.10.20.10 ');
    } finally {
      await Promise.all([outside.close(), c2.close()]);
    }
  });

  it('a host built by the iptables recipe imports back as the design', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    ex = await SandboxExecutor.start({ name: 'isolated-lxc' });
    const recipe = [
      'ip netns add world',
      'ip link add eth0 type veth peer name w0 netns world',
      'ip link set eth0 up',
      'ip link add br0 type bridge',
      'ip addr add 10.10.20.1/24 dev br0',
      'ip link set br0 up',
      'for c in c1:10 c2:11; do n=${c%%:*}; ip netns add $n; ip link add v$n type veth peer name eth0 netns $n; ip link set v$n master br0 up;',
      '  ip -n $n addr add 10.10.20.${c#*:}/24 dev eth0; ip -n $n link set eth0 up; ip -n $n route add default via 10.10.20.1; done',
      'echo 1 > /proc/sys/net/ipv4/ip_forward',
      'iptables -t nat -A POSTROUTING -s 10.10.20.0/24 ! -o br0 -j MASQUERADE',
      'iptables -A FORWARD -i eth0 -d 10.10.20.10 -p tcp --dport 80 -j ACCEPT',
      'iptables -A FORWARD -i eth0 -j DROP',
      'iptables -A FORWARD -i br0 -m state --state NEW,INVALID -j DROP',
    ].join('\n');
    const r = await ex.run(`set -e\n${recipe}`);
    if (r.code !== 0 && /iptables: (command )?not found|No such file/.test(r.stderr)) return ctx.skip(`iptables is not installed: ${r.stderr.trim()}`);
    expect(r.code, r.stderr).toBe(0);
    const im = await importFromHost(ex, { hostId: 'host', hostName: 'host', nics: ['eth0'], skipNamespaces: ['world'] });
    const d = im.design;
    expect(im.notes.filter((n) => n.message.includes('not understood'))).toEqual([]);
    expect(d.masquerades.map((m) => [m.source, m.egress, m.egressExcept])).toEqual([['10.10.20.0/24', undefined, 'br0']]);
    expect(d.policies.map((p) => [p.protects, p.defaultAction, p.allowEstablished, p.rules])).toEqual([[['0.0.0.0/0'], 'accept', false, POLICY_RULES]]);
    expect(im.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
