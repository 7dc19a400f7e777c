import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/observe/load';
import { parseBridgeLink, parseBridgeVlan } from './bridge';
import { parseIpAddr } from './ip-addr';
import { parseIpNetns } from './ip-netns';
import { canonicalRouteDst, parseIpRoute } from './ip-route';

function value<T>(r: { ok: true; value: T; warnings: string[] } | { ok: false; error: string; warnings: string[] }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('parseIpAddr (`ip -j addr show`)', () => {
  it('reads v4, v6 and point-to-point addresses with canonical cidrs', () => {
    const { addresses, links } = value(parseIpAddr(fixture('ns1.addr.json')));
    expect(links.map((l) => l.ifname)).toEqual(['lo', 'eth0', 'x12']);
    const on = (ifname: string) => addresses.filter((a) => a.ifname === ifname).map((a) => a.cidr);
    expect(on('eth0')).toEqual(expect.arrayContaining(['10.10.0.2/24', 'fd10::2/64']));
    expect(on('x12')).toEqual(expect.arrayContaining(['10.12.0.1/30', '10.12.0.5/32', 'fd12::1/64']));
    const p2p = addresses.find((a) => a.cidr === '10.12.0.5/32')!;
    expect(p2p.peer).toBe('10.12.0.6');
    const v6 = addresses.find((a) => a.cidr === 'fd10::2/64')!;
    expect(v6).toMatchObject({ family: 6, local: 'fd10::2', prefixlen: 64, scope: 'global' });
    expect(addresses.find((a) => a.cidr === '127.0.0.1/8')).toMatchObject({ family: 4, scope: 'host', label: 'lo' });
  });

  it('canonicalises address text and reports flags', () => {
    const text = JSON.stringify([
      { ifindex: 2, ifname: 'e', flags: [], addr_info: [{ family: 'inet6', local: 'FD00:0:0::0001', prefixlen: 64, tentative: true, dadfailed: false }] },
    ]);
    const { addresses } = value(parseIpAddr(text));
    expect(addresses[0]).toMatchObject({ local: 'fd00::1', cidr: 'fd00::1/64', flags: ['tentative'] });
  });

  it('skips unusable addresses with warnings', () => {
    const text = JSON.stringify([
      { ifindex: 2, ifname: 'e', flags: [], addr_info: [{ family: 'inet', local: 'nope', prefixlen: 24 }, { family: 'inet', local: '10.0.0.1', prefixlen: 99 }, 7] },
    ]);
    const r = parseIpAddr(text);
    expect(r.ok && r.value.addresses).toEqual([]);
    expect(r.warnings).toHaveLength(3);
  });
});

describe('parseIpRoute', () => {
  it('`route show table all`: both families, main vs local tables, canonical destinations', () => {
    const routes = value(parseIpRoute(fixture('ns1.route-all.json')));
    const main = routes.filter((r) => r.table === 'main');
    expect(main.find((r) => r.dst === '0.0.0.0/0')).toMatchObject({ family: 4, gateway: '10.10.0.1', dev: 'eth0', dstRaw: 'default', type: 'unicast' });
    expect(main.find((r) => r.dst === '::/0')).toMatchObject({ family: 6, gateway: 'fd10::1', dev: 'eth0', metric: 1024 });
    expect(main.find((r) => r.dst === '192.168.50.0/24')).toMatchObject({ gateway: '10.10.0.1', metric: 100 });
    expect(main.find((r) => r.dst === '10.12.0.6/32')).toMatchObject({ dstRaw: '10.12.0.6', dev: 'x12', protocol: 'kernel' });
    expect(routes.filter((r) => r.table === 'local').length).toBeGreaterThan(5);
    expect(routes.find((r) => r.dst === '10.10.0.2/32' && r.table === 'local')!.type).toBe('local');
  });

  it('reads blackhole, multipath and non-main-table routes in the root namespace', () => {
    const routes = value(parseIpRoute(fixture('root.route-all.json')));
    expect(routes.find((r) => r.dst === '10.66.0.0/16')).toMatchObject({ type: 'blackhole', table: 'main' });
    expect(routes.find((r) => r.dst === '10.88.0.0/16')!.nexthops).toEqual([
      { gateway: '10.99.0.2', dev: 'up0', weight: 1 },
      { gateway: '10.99.0.3', dev: 'up0', weight: 2 },
    ]);
    expect(routes.find((r) => r.dst === '10.55.0.0/16')).toMatchObject({ table: '100', gateway: '10.99.0.2' });
    expect(routes.find((r) => r.dst === 'fd77::/48')).toMatchObject({ family: 6, gateway: 'fd99::2', metric: 512 });
    expect(routes.find((r) => r.dst === '10.77.0.5/32')).toMatchObject({ scope: 'link', dev: 'up0' });
  });

  it('plain `route show` is IPv4 only; `-6 route show` needs the family hint for default', () => {
    const v4 = value(parseIpRoute(fixture('root.route-main.json')));
    expect(v4.every((r) => r.family === 4)).toBe(true);
    const v6 = value(parseIpRoute(fixture('root.route6-main.json'), { family: 6 }));
    expect(v6.every((r) => r.family === 6)).toBe(true);
    const bare = value(parseIpRoute('[{"dst":"default","dev":"eth0","flags":[]}]', { family: 6 }));
    expect(bare[0]!.dst).toBe('::/0');
  });

  it('-d output (explicit type unicast) parses the same', () => {
    const routes = value(parseIpRoute(fixture('root.route-all-detail.json')));
    expect(routes.find((r) => r.dst === '172.16.0.0/16')).toMatchObject({ type: 'unicast', gateway: '10.99.0.2' });
  });

  it('canonicalRouteDst', () => {
    expect(canonicalRouteDst('default', 4)).toBe('0.0.0.0/0');
    expect(canonicalRouteDst('default', 6)).toBe('::/0');
    expect(canonicalRouteDst('10.1.2.3', 4)).toBe('10.1.2.3/32');
    expect(canonicalRouteDst('FD00:0::/64', 6)).toBe('fd00::/64');
    expect(canonicalRouteDst('bogus', 4)).toBeUndefined();
  });
});

describe('parseIpNetns', () => {
  it('reads `netns list` and `netns list-id` from the root and from inside a namespace', () => {
    expect(value(parseIpNetns(fixture('root.netns-list.json')))).toEqual(
      expect.arrayContaining([{ name: 'ns1', nsid: 0 }, { name: 'ns2', nsid: 1 }, { name: 'h$(id)' }]),
    );
    expect(value(parseIpNetns(fixture('root.netns-list-id.json')))).toEqual([{ nsid: 0, name: 'ns1' }, { nsid: 1, name: 'ns2' }]);
    // Inside ns1, the root is the id without a name.
    expect(value(parseIpNetns(fixture('ns1.netns-list-id.json')))).toEqual([{ nsid: 0 }, { nsid: 1, name: 'ns2' }]);
    expect(value(parseIpNetns(''))).toEqual([]);
  });
});

describe('bridge -j', () => {
  it('link show: ports with master and STP state', () => {
    const ports = value(parseBridgeLink(fixture('root.bridge-link.json')));
    expect(ports.map((p) => p.ifname).sort()).toEqual(['h-ns1', 'h-ns2', 'vx0']);
    expect(ports.every((p) => p.master === 'br0' && p.state === 'forwarding')).toBe(true);
  });

  it('vlan show: this kernel has no VLAN filtering and prints []', () => {
    expect(value(parseBridgeVlan(fixture('root.bridge-vlan.json')))).toEqual([]);
  });

  it('vlan show: the iproute2 >= 5 shape (PVID/untagged flags, -c ranges) and the old object shape', () => {
    // Not capturable here (CONFIG_BRIDGE_VLAN_FILTERING is off); shape from iproute2's bridge/vlan.c.
    const text = '[{"ifname":"br0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]}]},{"ifname":"veth1","vlans":[{"vlan":10,"flags":["PVID"]},{"vlan":20,"vlanEnd":22},{"vlan":5000}]}]';
    const r = parseBridgeVlan(text);
    expect(value(r)).toEqual([
      { ifname: 'br0', vlans: [{ vid: 1, pvid: true, untagged: true }] },
      { ifname: 'veth1', vlans: [{ vid: 10, pvid: true, untagged: false }, { vid: 20, vidEnd: 22, pvid: false, untagged: false }] },
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(value(parseBridgeVlan('{"br0":[{"vlan":1,"flags":["PVID"]}]}'))).toEqual([{ ifname: 'br0', vlans: [{ vid: 1, pvid: true, untagged: false }] }]);
  });
});
