// Micro-benchmark of a full live-state parse for a host with N namespaces, for `npm run
// bench` (not a timed test). Pure: the caller passes its clock (performance.now in Node).
//
// The input is synthetic but shaped like what `ip -n NSi -j -d -s -batch -` with
// RECOMMENDED_BATCH_COMMANDS prints on iproute2 6.1 (see tests/fixtures/observe): per
// namespace lo + one veth (peer in the root, by link_index/link_netnsid), v4+v6 addresses,
// the full routing table; the root holds a bridge and the N host-side veth ends.
import { observeHost, resolveLinkPeer, type RawHostOutput, type RawNamespaceOutput } from './host';
import { RECOMMENDED_BATCH_COMMANDS } from './ip-batch';

const STATS = (rx: number, tx: number) => ({
  rx: { bytes: rx * 84, packets: rx, errors: 0, dropped: 0, over_errors: 0, multicast: 0 },
  tx: { bytes: tx * 84, packets: tx, errors: 0, dropped: 0, carrier_errors: 0, collisions: 0 },
});

const DETAIL = {
  promiscuity: 0,
  allmulti: 0,
  min_mtu: 68,
  max_mtu: 65535,
  inet6_addr_gen_mode: 'eui64',
  num_tx_queues: 2,
  num_rx_queues: 2,
  gso_max_size: 65536,
  gso_max_segs: 65535,
  tso_max_size: 524280,
  tso_max_segs: 65535,
  gro_max_size: 65536,
};

function mac(i: number, salt: number): string {
  const b = [0x02, salt & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 0x01];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function lo(alias?: string) {
  return {
    ifindex: 1,
    ifname: 'lo',
    flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
    mtu: 65536,
    qdisc: 'noqueue',
    operstate: 'UNKNOWN',
    linkmode: 'DEFAULT',
    group: 'default',
    txqlen: 1000,
    link_type: 'loopback',
    address: '00:00:00:00:00:00',
    broadcast: '00:00:00:00:00:00',
    ...DETAIL,
    min_mtu: 0,
    max_mtu: 0,
    ...(alias !== undefined ? { ifalias: alias } : {}),
    stats64: STATS(0, 0),
  };
}

function veth(ifindex: number, ifname: string, peerIndex: number, netnsid: number, alias: string, i: number, master?: string) {
  return {
    ifindex,
    link_index: peerIndex,
    ifname,
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    mtu: 1500,
    qdisc: 'noqueue',
    ...(master !== undefined ? { master } : {}),
    operstate: 'UP',
    linkmode: 'DEFAULT',
    group: 'default',
    txqlen: 1000,
    link_type: 'ether',
    address: mac(i, master ? 1 : 2),
    broadcast: 'ff:ff:ff:ff:ff:ff',
    link_netnsid: netnsid,
    ...DETAIL,
    linkinfo: master
      ? { info_kind: 'veth', info_slave_kind: 'bridge', info_slave_data: { state: 'forwarding', priority: 32, cost: 2, hairpin: false, learning: true, flood: true } }
      : { info_kind: 'veth' },
    ifalias: alias,
    stats64: STATS(100 + i, 200 + i),
  };
}

function v4(i: number, host: number): string {
  return `10.${100 + ((i >> 8) & 0x3f)}.${i & 0xff}.${host}`;
}

/** One namespace's batch stdout (link show / addr show / route show table all / netns list-id). */
export function synthesizeNamespaceBatch(i: number, tag = 'bench'): string {
  const links = [lo(`wireplan:${tag}:ns${i}`), veth(2, 'eth0', 3 + i, 0, `wireplan:${tag}:v${i}.b`, i)];
  const addrInfo = [
    [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ],
    [
      { family: 'inet', local: v4(i, 2), prefixlen: 24, broadcast: v4(i, 255), scope: 'global', label: 'eth0', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: `fd00:${i.toString(16)}::2`, prefixlen: 64, scope: 'global', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: `fe80::${i.toString(16)}:1`, prefixlen: 64, scope: 'link', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ],
  ];
  const addrs = links.map((l, k) => ({ ...l, addr_info: addrInfo[k] }));
  const net = `${v4(i, 0)}/24`;
  const routes = [
    { dst: 'default', gateway: v4(i, 1), dev: 'eth0', flags: [] },
    { dst: net, dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: v4(i, 2), flags: [] },
    { type: 'local', dst: v4(i, 2), dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: v4(i, 2), flags: [] },
    { type: 'broadcast', dst: v4(i, 255), dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: v4(i, 2), flags: [] },
    { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
    { type: 'local', dst: '127.0.0.1', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
    { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '127.0.0.1', flags: [] },
    { dst: `fd00:${i.toString(16)}::/64`, dev: 'eth0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
    { dst: 'fe80::/64', dev: 'eth0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
    { dst: 'default', gateway: `fd00:${i.toString(16)}::1`, dev: 'eth0', metric: 1024, flags: [], pref: 'medium' },
    { type: 'local', dst: '::1', dev: 'lo', table: 'local', protocol: 'kernel', metric: 0, flags: [], pref: 'medium' },
    { type: 'local', dst: `fd00:${i.toString(16)}::2`, dev: 'eth0', table: 'local', protocol: 'kernel', metric: 0, flags: [], pref: 'medium' },
    { type: 'multicast', dst: 'ff00::/8', dev: 'eth0', table: 'local', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
  ];
  return [links, addrs, routes, [{ nsid: 0 }]].map((v) => JSON.stringify(v)).join('\n') + '\n';
}

/** The root namespace's batch stdout: lo, a bridge, and `count` host-side veth ends. */
export function synthesizeRootBatch(count: number, tag = 'bench'): string {
  const bridge = { ...lo(`wireplan:${tag}:br0`), ifindex: 2, ifname: 'br0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, link_type: 'ether', linkinfo: { info_kind: 'bridge', info_data: { stp_state: 0, vlan_filtering: 0 } } };
  const links: unknown[] = [lo(), bridge];
  for (let i = 0; i < count; i++) links.push(veth(3 + i, `h${i}`, 2, i, `wireplan:${tag}:v${i}.a`, i, 'br0'));
  const addrs = links.map((l) => ({ ...(l as object), addr_info: [] }));
  const routes = [{ dst: '10.0.0.0/8', dev: 'br0', protocol: 'kernel', scope: 'link', prefsrc: '10.0.0.1', flags: [] }];
  const ids = Array.from({ length: count }, (_, i) => ({ nsid: i, name: `ns${i}` }));
  return [links, addrs, routes, ids].map((v) => JSON.stringify(v)).join('\n') + '\n';
}

export function synthesizeHostOutput(namespaces: number): RawHostOutput {
  const ns: RawNamespaceOutput[] = [{ name: '', batch: { stdout: synthesizeRootBatch(namespaces), commands: RECOMMENDED_BATCH_COMMANDS } }];
  for (let i = 0; i < namespaces; i++) ns.push({ name: `ns${i}`, batch: { stdout: synthesizeNamespaceBatch(i), commands: RECOMMENDED_BATCH_COMMANDS } });
  return { bootId: '00000000-0000-4000-8000-000000000000', collectedAt: 0, namespaces: ns };
}

export interface ObserveBenchResult {
  namespaces: number;
  /** Characters of tool output parsed per round. */
  bytes: number;
  rounds: number;
  /** Median milliseconds for one full parse + assembly + veth peer resolution. */
  medianMs: number;
  minMs: number;
  links: number;
  addresses: number;
  routes: number;
  peersResolved: number;
}

/** Parse a synthetic N-namespace host `rounds` times with the caller's clock. */
export function benchObserveParse(options: { namespaces?: number; rounds?: number; now?: () => number } = {}): ObserveBenchResult {
  const n = options.namespaces ?? 500;
  const rounds = Math.max(1, options.rounds ?? 5);
  const now = options.now ?? Date.now;
  const raw = synthesizeHostOutput(n);
  const bytes = raw.namespaces.reduce((s, x) => s + (x.batch?.stdout.length ?? 0), 0);
  const times: number[] = [];
  let last = { links: 0, addresses: 0, routes: 0, peers: 0 };
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    const host = observeHost(raw);
    let peers = 0;
    let links = 0;
    let addresses = 0;
    let routes = 0;
    for (const ns of host.namespaces) {
      links += ns.links.length;
      addresses += ns.addresses.length;
      routes += ns.routes.length;
      for (const l of ns.links) if (l.kind === 'veth' && resolveLinkPeer(host, ns, l)) peers++;
    }
    times.push(now() - t0);
    last = { links, addresses, routes, peers };
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    namespaces: n,
    bytes,
    rounds,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    links: last.links,
    addresses: last.addresses,
    routes: last.routes,
    peersResolved: last.peers,
  };
}
