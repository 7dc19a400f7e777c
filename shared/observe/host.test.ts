import { describe, expect, it } from 'vitest';
import { capturedHost, fixture, rawCapturedHost } from '../../tests/fixtures/observe/load';
import { findLink, findNamespace, namespaceByNsid, namespaceOwner, observeHost, observeNamespace, resolveLinkPeer } from './host';
import type { ObservedHost, ObservedNamespace } from './types';

function ns(host: ObservedHost, name: string): ObservedNamespace {
  const n = findNamespace(host, name);
  if (!n) throw new Error(`no namespace ${name}`);
  return n;
}

function peerOf(host: ObservedHost, nsName: string, ifname: string): string | undefined {
  const n = ns(host, nsName);
  const link = findLink(n, ifname);
  if (!link) throw new Error(`no ${ifname} in ${nsName}`);
  const p = resolveLinkPeer(host, n, link);
  return p && `${p.namespace.name}/${p.link.ifname}`;
}

describe('observeHost on the captured sandbox', () => {
  const host = capturedHost();

  it('assembles every namespace, with nsids the root assigned and the listed-but-unobserved one', () => {
    expect(host.warnings).toEqual([]);
    expect(host.namespaces.map((n) => n.name)).toEqual(['', 'ns1', 'ns2', 'h$(id)']);
    expect(ns(host, 'ns1').nsid).toBe(0);
    expect(ns(host, 'ns2').nsid).toBe(1);
    for (const name of ['', 'ns1', 'ns2']) expect(ns(host, name).warnings).toEqual([]);
    expect(ns(host, 'h$(id)').observed.links).toBe(false);
    expect(host.firewall).toEqual({ iptables: { version: '1.8.9', backend: 'nf_tables' }, nft: { version: '1.0.6' } });
    expect(host.bootId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('matches each veth to its peer across namespaces by peer ifindex + link-netnsid', () => {
    // root <-> ns1, root <-> ns2 (both directions)
    expect(peerOf(host, '', 'h-ns1')).toBe('ns1/eth0');
    expect(peerOf(host, 'ns1', 'eth0')).toBe('/h-ns1');
    expect(peerOf(host, '', 'h-ns2')).toBe('ns2/eth0');
    expect(peerOf(host, 'ns2', 'eth0')).toBe('/h-ns2');
    // ns1 <-> ns2: each side numbers the other with its own nsid
    expect(peerOf(host, 'ns1', 'x12')).toBe('ns2/x21');
    expect(peerOf(host, 'ns2', 'x21')).toBe('ns1/x12');
    // same namespace, by name
    expect(peerOf(host, '', 'pair-a')).toBe('/pair-b');
    expect(peerOf(host, '', 'a$(id)')).toBe('/b;rm');
    expect(peerOf(host, '', '__proto__')).toBe('/constructor');
    // a macvlan moved into ns2 points at its parent in the root
    expect(peerOf(host, 'ns2', 'mv0')).toBe('/up0');
  });

  it('the two ends agree: a veth peer is the peer of its peer', () => {
    for (const n of host.namespaces) {
      for (const l of n.links.filter((x) => x.kind === 'veth')) {
        const p = resolveLinkPeer(host, n, l);
        expect(p, `${n.name}/${l.ifname}`).toBeDefined();
        const back = resolveLinkPeer(host, p!.namespace, p!.link);
        expect(back && `${back.namespace.name}/${back.link.ifname}`).toBe(`${n.name}/${l.ifname}`);
      }
    }
  });

  it('knows the bridge master of each port and namespace ownership tags', () => {
    const root = ns(host, '');
    const ports = root.links.filter((l) => l.master === 'br0').map((l) => l.ifname).sort();
    expect(ports).toEqual(['h-ns1', 'h-ns2', 'vx0']);
    expect(root.bridgePorts!.map((p) => p.ifname).sort()).toEqual(ports);
    expect(namespaceOwner(ns(host, 'ns1'))).toBe('wireplan:lab1:ns1');
    expect(namespaceOwner(root)).toBeUndefined();
  });

  it('merges nft text table comments into the JSON parse', () => {
    expect(ns(host, '').nft!.tables.find((t) => t.name === 'wp_lab1')!.comment).toBe('wireplan:lab1:0123456789abcdef');
    expect(ns(host, 'ns1').nft!.tables[0]!.comment).toBe('wireplan:lab1:fedcba9876543210');
    expect(ns(host, '').iptables!.tables.map((t) => t.name)).toEqual(['filter', 'nat']);
    expect(ns(host, '').sysctls['net.ipv4.ip_forward']).toBe('1');
  });

  it('namespaceByNsid: named ids, root-assigned ids, and the unnamed root', () => {
    expect(namespaceByNsid(host, ns(host, ''), 1)!.name).toBe('ns2');
    expect(namespaceByNsid(host, ns(host, 'ns1'), 1)!.name).toBe('ns2');
    expect(namespaceByNsid(host, ns(host, 'ns1'), 0)!.name).toBe('');
    expect(namespaceByNsid(host, ns(host, 'ns1'), 7)).toBeUndefined();
  });

  it('falls back to reciprocal matching when nsid lists were not collected', () => {
    const raw = rawCapturedHost();
    for (const n of raw.namespaces) n.batch = { stdout: fixture(`${n.name || 'root'}.batch-basic.json`) };
    delete raw.netnsList;
    const h = observeHost(raw);
    expect(peerOf(h, 'ns1', 'x12')).toBe('ns2/x21');
    expect(peerOf(h, '', 'h-ns1')).toBe('ns1/eth0');
  });
});

describe('observeNamespace / observeHost never throw', () => {
  it('bad parts become warnings and unobserved flags', () => {
    const n = observeNamespace({ name: 'x', batch: { stdout: 'garbage' }, sysctl: 'sysctl: nope', nftJson: '{', iptablesSave: 'nope', bridgeVlan: '[[' });
    expect(n.observed).toEqual({ links: false, addresses: false, routes: false, sysctls: false, nft: false, iptables: false, bridgeVlans: false, nsids: false });
    expect(n.warnings.length).toBeGreaterThanOrEqual(5);
  });

  it('single-command outputs work as well as a batch', () => {
    const n = observeNamespace({ name: '', link: fixture('root.link.json'), addr: fixture('root.addr.json'), route: fixture('root.route-main.json'), route6: fixture('root.route6-main.json') });
    expect(n.observed.links && n.observed.addresses && n.observed.routes).toBe(true);
    expect(n.routes.some((r) => r.dst === 'fd77::/48')).toBe(true);
    expect(n.links.find((l) => l.ifname === 'h-ns1')!.stats).toBeDefined();
  });

  it('a host without a root namespace says so', () => {
    const h = observeHost({ collectedAt: 0, namespaces: [], bootId: 'junk' });
    expect(h.warnings.some((w) => w.includes('root namespace was not observed'))).toBe(true);
    expect(h.warnings.some((w) => w.includes('boot_id'))).toBe(true);
    expect(h.bootId).toBeUndefined();
  });
});
