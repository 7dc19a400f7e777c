// The nft text of port forwards (the Docker / CNI portmap way), masquerades and policy
// rules with interface and state matches; docs/firewall.md explains each line.
import { describe, expect, it } from 'vitest';
import { MasqueradeSchema, PolicySchema, PortForwardSchema, type PortForward } from '../model/schema';
import { parsePrefix } from '../net/ip';
import { nftRuleset, portForwardLink, servesLoopback, type RouterFirewall } from './nft';

const pf = (p: Partial<PortForward>): PortForward => PortForwardSchema.parse({ id: 'web', name: 'web', at: 'h', protocol: 'tcp', port: 8080, to: '10.0.0.2', toPort: 80, ...p });
const owner = (id: string) => `wireplan:t:${id}`;
const text = (fw: Partial<RouterFirewall>) => nftRuleset('wp_t', 't', { masquerades: [], portForwards: [], policies: [], ...fw }, owner).text;
const lines = (fw: Partial<RouterFirewall>) => text(fw).split('\n').map((l) => l.trim());
const subnet = parsePrefix('10.0.0.0/24')!;

describe('nft text', () => {
  it('a port forward: DNAT for local destinations only, its host-local twin, loopback and hairpin masquerade, the loopback guard', () => {
    const l = lines({ portForwards: [pf({})], targets: new Map([['web', { ifname: 'br0', subnet }]]) });
    expect(l).toContain('fib daddr type local tcp dport 8080 counter dnat ip to 10.0.0.2:80 comment "wireplan:t:web"');
    expect(l.filter((x) => x.startsWith('fib daddr type local tcp dport 8080'))).toHaveLength(2); // prerouting + output
    expect(l).toContain('ip saddr 127.0.0.0/8 ip daddr 10.0.0.2 tcp dport 80 ct status dnat counter masquerade comment "wireplan:t:web"');
    expect(l).toContain('ip saddr 10.0.0.0/24 ip daddr 10.0.0.2 tcp dport 80 ct status dnat counter masquerade comment "wireplan:t:web"');
    expect(l).toContain('type filter hook prerouting priority raw; policy accept;');
    expect(l).toContain('iifname != "lo" ip daddr 127.0.0.0/8 counter drop comment "wireplan:t:web"');
  });

  it('a listen address replaces the local-destination match; no hostLocal, no output twin, no loopback parts', () => {
    const l = lines({ portForwards: [pf({ listen: '192.0.2.1', ingress: 'eth0', hostLocal: false })] });
    expect(l).toContain('iifname "eth0" ip daddr 192.0.2.1 tcp dport 8080 counter dnat ip to 10.0.0.2:80 comment "wireplan:t:web"');
    expect(text({ portForwards: [pf({ listen: '192.0.2.1', hostLocal: false })] })).not.toMatch(/fib|127\.0\.0\.0|chain output|chain guard/);
  });

  it('IPv6: the output twin leaves ::1 alone, and nothing needs route_localnet', () => {
    const v6 = pf({ to: 'fd00::2' });
    expect(lines({ portForwards: [v6] })).toContain('fib daddr type local ip6 daddr != ::1 tcp dport 8080 counter dnat ip6 to [fd00::2]:80 comment "wireplan:t:web"');
    expect(servesLoopback(v6)).toBe(false);
    expect(servesLoopback(pf({}))).toBe(true);
    expect(servesLoopback(pf({ listen: '10.9.9.9' }))).toBe(false);
    expect(servesLoopback(pf({ hostLocal: false }))).toBe(false);
  });

  it('masquerade out of an egress, or out of anything but one', () => {
    const m = (x: object) => MasqueradeSchema.parse({ id: 'm', name: 'm', at: 'h', source: '172.18.0.0/16', ...x });
    expect(lines({ masquerades: [m({ egressExcept: 'br0' })] })).toContain('ip saddr 172.18.0.0/16 ip daddr != 172.18.0.0/16 oifname != "br0" counter masquerade comment "wireplan:t:m"');
    expect(lines({ masquerades: [m({ egress: 'eth0' })] })).toContain('ip saddr 172.18.0.0/16 ip daddr != 172.18.0.0/16 oifname "eth0" counter masquerade comment "wireplan:t:m"');
  });

  it('policy rules with in/out interfaces and conntrack states (in nft\'s own listing order)', () => {
    const p = PolicySchema.parse({
      id: 'p',
      name: 'p',
      at: 'h',
      protects: ['0.0.0.0/0'],
      defaultAction: 'accept',
      allowEstablished: false,
      rules: [
        { in: 'eth0', out: 'br0', to: '10.10.20.10/32', protocol: 'tcp', ports: '80', state: ['new'], action: 'accept' },
        { in: 'br0', state: ['new', 'invalid'], action: 'drop' },
      ],
    });
    expect(lines({ policies: [p] })).toEqual(
      expect.arrayContaining([
        'iifname "eth0" oifname "br0" ip daddr 10.10.20.10/32 meta l4proto tcp th dport 80 ct state new counter accept comment "wireplan:t:p"',
        'iifname "br0" ip daddr 0.0.0.0/0 ct state invalid,new counter drop comment "wireplan:t:p"',
      ]),
    );
  });
});

describe('portForwardLink', () => {
  const links = [
    { ifname: 'br0', addresses: ['10.0.0.1/24'] },
    { ifname: 'br1', addresses: ['10.0.0.129/25', 'fd00::1/64'] },
    { ifname: 'eth1', addresses: ['192.168.1.5/24'] },
  ];
  it('the connected subnet holding the target (longest prefix), else the route towards it', () => {
    expect(portForwardLink(pf({ to: '10.0.0.2' }), links, [])).toEqual({ ifname: 'br0', subnet: parsePrefix('10.0.0.0/24') });
    expect(portForwardLink(pf({ to: '10.0.0.200' }), links, [])?.ifname).toBe('br1');
    expect(portForwardLink(pf({ to: '10.5.0.2' }), links, [{ to: '10.5.0.0/16', via: '192.168.1.1' }])).toEqual({ ifname: 'eth1' });
    expect(portForwardLink(pf({ to: '10.5.0.2' }), links, [{ to: 'default', dev: 'eth9' }, { to: '10.5.0.0/16', dev: 'vx1' }])).toEqual({ ifname: 'vx1' });
    expect(portForwardLink(pf({ to: '10.5.0.2' }), links, [{ to: 'default', via: 'fd00::9' }])).toBeUndefined();
    expect(portForwardLink(pf({ to: '10.5.0.2' }), links, [])).toBeUndefined();
  });
});
