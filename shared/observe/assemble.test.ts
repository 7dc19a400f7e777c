import { describe, expect, it } from 'vitest';
import { assembleHost, patchInterface, sysctlPathsToKeys } from './assemble';
import { emptyNamespace } from './host';
import { normalizeSysctlKey } from './sysctl';
import type { ObservedAddress, ObservedLink, ObservedNamespace } from './types';

const link = (ifindex: number, ifname: string, extra: Partial<ObservedLink> = {}): ObservedLink => ({ ifindex, ifname, kind: 'veth', detailed: true, flags: [], up: true, lowerUp: true, ...extra });
const addr = (ifindex: number, ifname: string, cidr: string): ObservedAddress => {
  const [local, len] = cidr.split('/') as [string, string];
  return { ifindex, ifname, family: 4, local, prefixlen: Number(len), cidr, flags: [] };
};

function root(): ObservedNamespace {
  const ns = emptyNamespace('');
  ns.links = [link(1, 'lo', { kind: 'loopback' }), link(2, 'br0', { kind: 'bridge' }), link(3, 'v1', { master: 'br0' })];
  ns.addresses = [addr(2, 'br0', '10.0.0.1/24'), addr(3, 'v1', '10.9.0.1/24')];
  ns.nsids = [{ nsid: 4, name: 'a' }];
  return ns;
}

describe('patchInterface', () => {
  it('replaces one interface and its addresses, in place', () => {
    const ns = root();
    const p = patchInterface(ns, 'v1', { links: [link(3, 'v1', { up: false })], addresses: [] });
    expect(p.links.map((l) => [l.ifname, l.up])).toEqual([['lo', true], ['br0', true], ['v1', false]]);
    expect(p.addresses.map((a) => a.cidr)).toEqual(['10.0.0.1/24']);
    expect(ns.links[2]!.up).toBe(true); // the original is untouched
  });

  it('removes an interface that no longer exists, and follows a rename by ifindex', () => {
    expect(patchInterface(root(), 'v1', { links: [], addresses: [] }).links.map((l) => l.ifname)).toEqual(['lo', 'br0']);
    const renamed = patchInterface(root(), 'v9', { links: [link(3, 'v9')], addresses: [addr(3, 'v9', '10.9.0.1/24')] });
    expect(renamed.links.map((l) => l.ifname)).toEqual(['lo', 'br0', 'v9']);
    expect(renamed.addresses.map((a) => `${a.ifname} ${a.cidr}`)).toEqual(['br0 10.0.0.1/24', 'v9 10.9.0.1/24']);
  });

  it('resolves a same-namespace peer by name', () => {
    const p = patchInterface(root(), 'v2', { links: [link(7, 'v2', { link: 'br0' })], addresses: [] });
    expect(p.links.find((l) => l.ifname === 'v2')!.linkIndex).toBe(2);
  });
});

describe('assembleHost', () => {
  it('sorts namespaces, gives each the nsid the root assigned, and never mutates its input', () => {
    const a = emptyNamespace('a');
    const host = assembleHost({ collectedAt: 5, namespaces: [a, root()], bootId: 'x' });
    expect(host.namespaces.map((n) => [n.name, n.nsid])).toEqual([['', undefined], ['a', 4]]);
    expect(a.nsid).toBeUndefined();
    expect(sysctlPathsToKeys('net/ipv4/ip_forward = 1\nnet/ipv4/conf/eth0.100/forwarding = 0', normalizeSysctlKey)).toBe('net.ipv4.ip_forward = 1\nnet.ipv4.conf.eth0/100.forwarding = 0');
  });
});
