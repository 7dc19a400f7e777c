import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/observe/load';
import { parseIpLink } from './ip-link';
import type { ObservedLink } from './types';

function links(file: string): ObservedLink[] {
  const r = parseIpLink(fixture(file));
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.value;
}

const byName = (ls: ObservedLink[], name: string) => {
  const l = ls.find((x) => x.ifname === name);
  if (!l) throw new Error(`no ${name}`);
  return l;
};

describe('parseIpLink on real `ip -j -d -s link show` output (kernel 6.18, iproute2 6.1)', () => {
  const root = links('root.link.json');

  it('classifies every kind present in the sandbox', () => {
    expect(byName(root, 'lo').kind).toBe('loopback');
    expect(byName(root, 'br0').kind).toBe('bridge');
    expect(byName(root, 'h-ns1').kind).toBe('veth');
    expect(byName(root, 'mv1').kind).toBe('macvlan');
    expect(byName(root, 'vx0').kind).toBe('vxlan');
    expect(byName(root, 'tap0').kind).toBe('tun');
    expect(byName(root, 'tap0').tun).toEqual({ type: 'tap' });
    expect(root.every((l) => l.detailed)).toBe(true);
  });

  it('reads bridge details and bridge-port membership', () => {
    expect(byName(root, 'br0').bridge).toEqual({ stpState: 0, vlanFiltering: false });
    expect(byName(root, 'br1').bridge).toEqual({ stpState: 1, vlanFiltering: false });
    for (const port of ['h-ns1', 'h-ns2', 'vx0']) {
      expect(byName(root, port).master).toBe('br0');
      expect(byName(root, port).bridgePort?.state).toBe('forwarding');
    }
    expect(byName(root, 'pair-a').master).toBeUndefined();
  });

  it('reads VXLAN VNI, endpoints, port and underlay device (v4 unicast, multicast, v6)', () => {
    expect(byName(root, 'vx0').vxlan).toEqual({ id: 4242, remote: '10.99.0.2', local: '10.99.0.1', port: 4789, dev: 'up0' });
    expect(byName(root, 'vx1').vxlan).toEqual({ id: 77, group: '239.1.1.1', port: 4789, dev: 'up0' });
    expect(byName(root, 'vx6').vxlan).toEqual({ id: 16000000, remote: 'fd99::2', local: 'fd99::1', port: 4790, dev: 'up0' });
  });

  it('reads macvlan mode and parent', () => {
    const mv1 = byName(root, 'mv1');
    expect(mv1.macvlan).toEqual({ mode: 'private' });
    expect(mv1.link).toBe('up0');
    expect(mv1.linkIndex).toBe(byName(root, 'up0').ifindex);
  });

  it('links a same-namespace veth pair by name and resolves the ifindex', () => {
    const a = byName(root, 'pair-a');
    const b = byName(root, 'pair-b');
    expect(a.link).toBe('pair-b');
    expect(a.linkIndex).toBe(b.ifindex);
    expect(b.linkIndex).toBe(a.ifindex);
    expect(a.linkNetnsid).toBeUndefined();
  });

  it('gives cross-namespace veths link_index + link_netnsid instead of a name', () => {
    const h1 = byName(root, 'h-ns1');
    expect(h1.link).toBeUndefined();
    expect(h1.linkIndex).toBe(2);
    expect(h1.linkNetnsid).toBe(0);
    expect(byName(root, 'h-ns2').linkNetnsid).toBe(1);
  });

  it('reads flags, state, mtu, mac and counters', () => {
    const h1 = byName(root, 'h-ns1');
    expect(h1.up).toBe(true);
    expect(h1.lowerUp).toBe(true);
    expect(h1.operstate).toBe('UP');
    expect(h1.mtu).toBe(1500);
    expect(h1.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(h1.stats!.rxPackets).toBeGreaterThan(0);
    expect(h1.stats!.txPackets).toBeGreaterThan(0);
    expect(h1.stats!.rxBytes).toBeGreaterThan(h1.stats!.rxPackets);
    expect(byName(root, 'br1').up).toBe(false);
  });

  it('keeps hostile aliases byte-for-byte as data', () => {
    expect(byName(root, 'pair-a').alias).toBe('<img src=x onerror=alert(1)>');
    expect(byName(root, 'pair-b').alias).toBe('a$(id) "q" \'s\' `id` \\ back');
    expect(byName(root, 'up0-peer').alias).toBe('line1\nline2');
    // iproute2 prints \x1b, \x01 and \x7f raw inside the JSON string: still read exactly.
    expect(byName(root, 'vx1').alias).toBe('esc\x1b[31mred\x01ctl\ttab\x7fdel');
    expect(byName(root, 'vx6').alias).toBe('utf8 ünï €😀');
    expect(byName(root, 'up0').alias).toBe('x'.repeat(255));
  });

  it('keeps hostile interface names (the kernel allows them) as data', () => {
    const names = root.map((l) => l.ifname);
    for (const n of ['a$(id)', 'b;rm', 'x"y', '<b>', 'c\x01d', 'é€', '__proto__', 'constructor']) expect(names).toContain(n);
    expect(byName(root, 'a$(id)').link).toBe('b;rm');
    expect(byName(root, 'a$(id)').linkIndex).toBe(byName(root, 'b;rm').ifindex);
    expect(byName(root, '__proto__').linkIndex).toBe(byName(root, 'constructor').ifindex);
    expect(byName(root, 'c\x01d').link).toBe('é€');
  });

  it('reads a namespace side: veth to the root and to another namespace, macvlan moved in', () => {
    const ns1 = links('ns1.link.json');
    expect(byName(ns1, 'lo').alias).toBe('wireplan:lab1:ns1');
    expect(byName(ns1, 'eth0')).toMatchObject({ kind: 'veth', alias: 'wireplan:lab1:v1.b', linkNetnsid: 0 });
    expect(byName(ns1, 'x12')).toMatchObject({ kind: 'veth', mtu: 9000, linkNetnsid: 1 });
    const ns2 = links('ns2.link.json');
    expect(byName(ns2, 'mv0')).toMatchObject({ kind: 'macvlan', macvlan: { mode: 'bridge' }, linkNetnsid: 0 });
  });

  it('warns that kinds are unknown when -d was not given', () => {
    const r = parseIpLink(fixture('root.link-plain.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.join('\n')).toMatch(/-d/);
    expect(r.value.find((l) => l.ifname === 'br0')!.kind).toBe('other');
    expect(r.value.find((l) => l.ifname === 'lo')!.kind).toBe('loopback');
  });

  it('skips bad entries with a warning and rejects non-JSON with a clear error', () => {
    const r = parseIpLink('[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"]},{"ifname":"x"},42,{"ifindex":1,"ifname":"dup"}]');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((l) => l.ifname)).toEqual(['lo']);
    expect(r.warnings.filter((w) => w.includes('skipped'))).toHaveLength(3);
    const bad = parseIpLink('Cannot open netlink socket: Operation not permitted\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBe('ip link: not JSON (expected "[" or "{", got "Cannot open netlink socket: Operation no")');
    const empty = parseIpLink('');
    expect(empty.ok).toBe(false);
    const obj = parseIpLink('{"ifindex":1}');
    expect(obj.ok).toBe(false);
  });
});
