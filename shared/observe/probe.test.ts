import { describe, expect, it } from 'vitest';
import type { Probe } from '../compile/plan';
import { capturedHost, fixture, rawCapturedHost } from '../../tests/fixtures/observe/load';
import { observeHost } from './host';
import { parseBridgeVlan } from './bridge';
import { evaluateProbe } from './probe';

const host = capturedHost();
const state = (p: Probe) => evaluateProbe(p, host).state;

describe('evaluateProbe against the captured host', () => {
  it('netns: present by lo alias, foreign with another/no tag, absent when missing, unobserved when not read', () => {
    expect(state({ type: 'netns', name: 'ns1', owner: 'wireplan:lab1:ns1' })).toBe('present');
    expect(evaluateProbe({ type: 'netns', name: 'ns1', owner: 'wireplan:other:ns1' }, host)).toEqual({ state: 'foreign', detail: 'netns "ns1" is tagged "wireplan:lab1:ns1"' });
    expect(state({ type: 'netns', name: 'nope', owner: 'wireplan:lab1:nope' })).toBe('absent');
    expect(evaluateProbe({ type: 'netns', name: 'h$(id)', owner: 'x' }, host)).toMatchObject({ state: 'absent', unobserved: true });
  });

  it('link: ownership by alias', () => {
    expect(state({ type: 'link', ns: '', ifname: 'h-ns1', owner: 'wireplan:lab1:v1.a' })).toBe('present');
    expect(state({ type: 'link', ns: 'ns1', ifname: 'eth0', owner: 'wireplan:lab1:v1.b' })).toBe('present');
    expect(state({ type: 'link', ns: '', ifname: 'h-ns1', owner: 'wireplan:lab1:v9.a' })).toBe('foreign');
    const hostile = evaluateProbe({ type: 'link', ns: '', ifname: 'pair-a', owner: 'wireplan:lab1:p' }, host);
    expect(hostile.state).toBe('foreign');
    expect(hostile.detail).toBe('"pair-a" exists in the root namespace with alias "<img src=x onerror=alert(1)>"');
    expect(evaluateProbe({ type: 'link', ns: '', ifname: 'a$(id)', owner: 'x' }, host).detail).toBe('"a$(id)" exists in the root namespace without an ownership tag');
    expect(state({ type: 'link', ns: '', ifname: 'nope0', owner: 'x' })).toBe('absent');
    expect(state({ type: 'link', ns: 'ghost', ifname: 'eth0', owner: 'x' })).toBe('absent');
    expect(state({ type: 'link', ns: '', ifname: '__proto__', owner: 'x' })).toBe('foreign');
    expect(state({ type: 'link', ns: '', ifname: 'toString', owner: 'x' })).toBe('absent');
  });

  it('link and alias: the designed MTU and MAC, drift named like the runtime names it', () => {
    const link = host.namespaces.find((n) => n.name === '')!.links.find((l) => l.ifname === 'h-ns1')!;
    expect(state({ type: 'link', ns: '', ifname: 'h-ns1', owner: 'wireplan:lab1:v1.a', mtu: link.mtu! })).toBe('present');
    expect(evaluateProbe({ type: 'link', ns: '', ifname: 'h-ns1', owner: 'wireplan:lab1:v1.a', mtu: link.mtu! - 100 }, host)).toEqual({
      state: 'drifted',
      detail: `"h-ns1": mtu ${link.mtu}, designed ${link.mtu! - 100}`,
    });
    expect(evaluateProbe({ type: 'alias', ns: 'ns1', ifname: 'eth0', owner: 'wireplan:lab1:v1.b', mac: '02:00:00:00:00:99' }, host).state).toBe('drifted');
  });

  it('alias: present, absent (untagged), drifted (other tag)', () => {
    expect(state({ type: 'alias', ns: 'ns2', ifname: 'lo', owner: 'wireplan:lab1:ns2' })).toBe('present');
    expect(state({ type: 'alias', ns: '', ifname: 'lo', owner: 'wireplan:lab1:x' })).toBe('absent');
    expect(state({ type: 'alias', ns: '', ifname: 'br0', owner: 'wireplan:lab1:x' })).toBe('drifted');
  });

  it('link-state: master and admin state', () => {
    expect(state({ type: 'link-state', ns: '', ifname: 'h-ns1', master: 'br0', up: true })).toBe('present');
    expect(state({ type: 'link-state', ns: 'ns1', ifname: 'eth0', up: true })).toBe('present');
    expect(evaluateProbe({ type: 'link-state', ns: '', ifname: 'h-ns1', up: true }, host)).toEqual({ state: 'drifted', detail: '"h-ns1": master is "br0", want none' });
    expect(evaluateProbe({ type: 'link-state', ns: '', ifname: 'br1', up: true }, host).detail).toBe('"br1": admin state is down, want up');
    expect(state({ type: 'link-state', ns: '', ifname: 'nope0', up: true })).toBe('absent');
  });

  it('addr: canonical comparison, wrong length or interface is drift', () => {
    expect(state({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: '10.10.0.2/24' })).toBe('present');
    expect(state({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: 'FD10:0:0::2/64' })).toBe('present');
    expect(evaluateProbe({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: '10.10.0.2/16' }, host).detail).toBe('"eth0" has 10.10.0.2/24, want 10.10.0.2/16');
    expect(evaluateProbe({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: '10.12.0.1/30' }, host).detail).toBe('10.12.0.1 is on "x12", want "eth0"');
    expect(state({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: '10.10.0.9/24' })).toBe('absent');
    expect(state({ type: 'addr', ns: 'ns1', ifname: 'nope0', cidr: '10.10.0.2/24' })).toBe('absent');
    expect(state({ type: 'addr', ns: 'ns1', ifname: 'eth0', cidr: 'garbage' })).toBe('absent');
  });

  it('route: default per family, canonical prefixes, via/dev/metric, multipath, non-unicast', () => {
    expect(state({ type: 'route', ns: 'ns1', to: 'default', via: '10.10.0.1' })).toBe('present');
    expect(state({ type: 'route', ns: 'ns1', to: 'default', via: 'fd10::1' })).toBe('present');
    expect(state({ type: 'route', ns: 'ns1', to: '0.0.0.0/0', dev: 'eth0' })).toBe('present');
    expect(state({ type: 'route', ns: 'ns2', to: 'default', dev: 'eth0' })).toBe('present');
    expect(state({ type: 'route', ns: 'ns1', to: '192.168.50.0/24', via: '10.10.0.1', metric: 100 })).toBe('present');
    expect(evaluateProbe({ type: 'route', ns: 'ns1', to: '192.168.50.0/24', via: '10.10.0.1', metric: 5 }, host)).toEqual({
      state: 'drifted',
      detail: 'have 192.168.50.0/24 via 10.10.0.1 dev "eth0" metric 100, want 192.168.50.0/24 via 10.10.0.1 metric 5',
    });
    expect(state({ type: 'route', ns: 'ns1', to: 'default', via: '10.10.0.254' })).toBe('drifted');
    expect(state({ type: 'route', ns: 'ns1', to: '10.99.0.0/16' })).toBe('absent');
    expect(state({ type: 'route', ns: '', to: '10.77.0.5', dev: 'up0' })).toBe('present');
    expect(state({ type: 'route', ns: '', to: '10.77.0.5/32', dev: 'up0' })).toBe('present');
    expect(state({ type: 'route', ns: '', to: '10.88.0.0/16', via: '10.99.0.3' })).toBe('present');
    expect(state({ type: 'route', ns: '', to: 'fd77:0::/48', via: 'FD99::2', metric: 512 })).toBe('present');
    expect(evaluateProbe({ type: 'route', ns: '', to: '10.66.0.0/16' }, host)).toEqual({ state: 'drifted', detail: '10.66.0.0/16 is a blackhole route' });
    // table 100 routes are not main-table routes
    expect(state({ type: 'route', ns: '', to: '10.55.0.0/16' })).toBe('absent');
  });

  it('sysctl: slash keys from the compiler, whitespace-insensitive values, unobserved keys', () => {
    expect(state({ type: 'sysctl', ns: '', key: 'net/ipv4/ip_forward', value: '1' })).toBe('present');
    expect(evaluateProbe({ type: 'sysctl', ns: '', key: 'net/ipv4/ip_forward', value: '0' }, host)).toEqual({ state: 'drifted', detail: 'net.ipv4.ip_forward = "1", want "0"' });
    expect(state({ type: 'sysctl', ns: 'ns1', key: 'net/ipv4/conf/all/rp_filter', value: '2' })).toBe('present');
    expect(state({ type: 'sysctl', ns: '', key: 'net/ipv4/conf/v.100/forwarding', value: '1' })).toBe('present');
    expect(state({ type: 'sysctl', ns: '', key: 'net.ipv4.ip_local_port_range', value: '32768 60999' })).toBe('present');
    expect(evaluateProbe({ type: 'sysctl', ns: '', key: 'net/ipv4/conf/all/proxy_arp', value: '1' }, host)).toMatchObject({ state: 'absent', unobserved: true });
  });

  it('nft: digest in the table comment; foreign or untagged tables; JSON-only snapshots cannot tell', () => {
    expect(state({ type: 'nft', ns: '', table: 'wp_lab1', digest: '0123456789abcdef' })).toBe('present');
    expect(state({ type: 'nft', ns: 'ns1', table: 'wp_lab1', digest: 'fedcba9876543210' })).toBe('present');
    expect(evaluateProbe({ type: 'nft', ns: '', table: 'wp_lab1', digest: 'ffff' }, host)).toEqual({ state: 'drifted', detail: 'table "wp_lab1" has digest "0123456789abcdef", want "ffff"' });
    expect(state({ type: 'nft', ns: '', table: 'foreign', digest: 'x' })).toBe('foreign');
    expect(state({ type: 'nft', ns: 'ns2', table: 'wp_lab1', digest: 'x' })).toBe('absent');
    const raw = rawCapturedHost();
    for (const n of raw.namespaces) delete n.nftText;
    const jsonOnly = observeHost(raw);
    expect(evaluateProbe({ type: 'nft', ns: '', table: 'wp_lab1', digest: '0123456789abcdef' }, jsonOnly)).toMatchObject({ state: 'absent', unobserved: true });
  });

  it('nft: a wp_ table tagged for another design is foreign', () => {
    const raw = rawCapturedHost();
    raw.namespaces[0]!.nftText = fixture('root.nft.txt').replace('wireplan:lab1:', 'wireplan:other:');
    expect(evaluateProbe({ type: 'nft', ns: '', table: 'wp_lab1', digest: '0123456789abcdef' }, observeHost(raw)).state).toBe('foreign');
  });

  it('bridge-vlan: this kernel reports no VLANs; with VLAN data, PVID decides', () => {
    expect(state({ type: 'bridge-vlan', ns: '', ifname: 'h-ns1', pvid: 10 })).toBe('absent');
    const h = capturedHost();
    const vlans = parseBridgeVlan('[{"ifname":"h-ns1","vlans":[{"vlan":10,"flags":["PVID","Egress Untagged"]}]},{"ifname":"h-ns2","vlans":[{"vlan":20,"flags":["PVID"]}]}]');
    if (!vlans.ok) throw new Error(vlans.error);
    h.namespaces[0]!.bridgeVlans = vlans.value;
    expect(evaluateProbe({ type: 'bridge-vlan', ns: '', ifname: 'h-ns1', pvid: 10 }, h).state).toBe('present');
    expect(evaluateProbe({ type: 'bridge-vlan', ns: '', ifname: 'h-ns2', pvid: 10 }, h)).toEqual({ state: 'drifted', detail: '"h-ns2" PVID is 20, want 10' });
    expect(evaluateProbe({ type: 'bridge-vlan', ns: 'ns1', ifname: 'eth0', pvid: 10 }, h)).toMatchObject({ unobserved: true });
  });

  it('never throws on nonsense probes', () => {
    expect(evaluateProbe({ type: 'bogus' } as unknown as Probe, host)).toMatchObject({ unobserved: true });
    expect(evaluateProbe(null as unknown as Probe, host)).toMatchObject({ unobserved: true });
  });
});
