// One captured frame -> one row of the packet list (time, source, destination, protocol,
// length, summary), the columns tcpdump and Wireshark users expect. Decodes the layers a
// Wireplan lab carries: Ethernet (with 802.1Q/802.1ad tags) or Linux cooked capture,
// ARP, IPv4, IPv6, ICMP, ICMPv6, TCP and UDP. Anything else is named by its number, and a
// frame cut short says so instead of throwing: a live list must never stop on a packet.
import type { PcapRecord } from './reader';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface PacketRow {
  /** 1-based position in the capture. */
  no: number;
  /** Seconds since the epoch. */
  time: number;
  src: string;
  dst: string;
  /** The innermost protocol decoded: ICMP, TCP, UDP, ARP, ICMPv6, IPv4, IPv6, ... */
  protocol: string;
  /** Length on the wire in bytes. */
  length: number;
  summary: string;
}

class Truncated extends Error {}

/** Reads fields of one frame with bounds checks (a short frame throws Truncated). */
class Bytes {
  constructor(private readonly d: Uint8Array) {}
  get length(): number {
    return this.d.length;
  }
  u8(at: number): number {
    if (at >= this.d.length) throw new Truncated();
    return this.d[at]!;
  }
  u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  u32(at: number): number {
    return this.u16(at) * 0x10000 + this.u16(at + 2);
  }
  need(end: number): void {
    if (end > this.d.length) throw new Truncated();
  }
}

interface Layer {
  src: string;
  dst: string;
  protocol: string;
  summary: string;
}

const ETHERTYPE_NAMES: Record<number, string> = { 0x88cc: 'LLDP', 0x8863: 'PPPoE-D', 0x8864: 'PPPoE', 0x8847: 'MPLS', 0x88e5: 'MACsec', 0x0842: 'WoL' };

export function decodeRecord(no: number, record: PcapRecord, linkType: number): PacketRow {
  const b = new Bytes(record.data);
  const base = { no, time: record.time, length: record.origLen };
  let layer: Layer;
  try {
    layer = decodeLink(b, linkType);
  } catch (e) {
    if (!(e instanceof Truncated)) throw e;
    layer = { src: '', dst: '', protocol: '?', summary: `frame truncated (${record.data.length} of ${record.origLen} bytes captured)` };
  }
  return { ...base, ...layer };
}

function decodeLink(b: Bytes, linkType: number): Layer {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      b.need(14);
      const dst = mac(b, 0);
      const src = mac(b, 6);
      return decodeEtherType(b, b.u16(12), 14, src, dst, []);
    }
    case LINKTYPE_LINUX_SLL: {
      b.need(16);
      const src = b.u16(4) === 6 ? mac(b, 6) : '';
      return decodeEtherType(b, b.u16(14), 16, src, '', []);
    }
    case LINKTYPE_LINUX_SLL2: {
      b.need(20);
      const src = b.u8(11) === 6 ? mac(b, 12) : '';
      return decodeEtherType(b, b.u16(0), 20, src, '', []);
    }
    default:
      return { src: '', dst: '', protocol: `link ${linkType}`, summary: `link-layer type ${linkType} is not decoded` };
  }
}

function decodeEtherType(b: Bytes, type: number, at: number, src: string, dst: string, vlans: number[]): Layer {
  const tagged = (l: Layer): Layer => (vlans.length ? { ...l, summary: `${vlans.map((v) => `VLAN ${v}`).join(', ')}: ${l.summary}` } : l);
  switch (type) {
    case 0x8100:
    case 0x88a8:
      return decodeEtherType(b, b.u16(at + 2), at + 4, src, dst, [...vlans, b.u16(at) & 0x0fff]);
    case 0x0806:
      return tagged(decodeArp(b, at, src, dst));
    case 0x0800:
      return tagged(decodeIpv4(b, at));
    case 0x86dd:
      return tagged(decodeIpv6(b, at));
    default: {
      const name = ETHERTYPE_NAMES[type];
      return tagged({ src, dst, protocol: name ?? `0x${hex16(type)}`, summary: type < 0x0600 ? `802.3 frame, length ${type}` : `ethertype 0x${hex16(type)}${name ? ` (${name})` : ''}` });
    }
  }
}

function decodeArp(b: Bytes, at: number, src: string, dst: string): Layer {
  const hlen = b.u8(at + 4);
  const plen = b.u8(at + 5);
  const op = b.u16(at + 6);
  if (b.u16(at + 2) !== 0x0800 || hlen !== 6 || plen !== 4) return { src, dst, protocol: 'ARP', summary: `ARP op ${op}` };
  const sha = mac(b, at + 8);
  const spa = ipv4(b, at + 14);
  const tpa = ipv4(b, at + 24);
  if (op === 1) return { src: sha, dst: dst || 'broadcast', protocol: 'ARP', summary: spa === tpa ? `Gratuitous ARP for ${spa}` : `Who has ${tpa}? Tell ${spa}` };
  if (op === 2) return { src: sha, dst: dst || mac(b, at + 18), protocol: 'ARP', summary: `${spa} is at ${sha}` };
  return { src: sha, dst, protocol: 'ARP', summary: `ARP op ${op}, ${spa} -> ${tpa}` };
}

function decodeIpv4(b: Bytes, at: number): Layer {
  const ihl = (b.u8(at) & 0x0f) * 4;
  const total = b.u16(at + 2);
  const frag = b.u16(at + 6);
  const ttl = b.u8(at + 8);
  const proto = b.u8(at + 9);
  const src = ipv4(b, at + 12);
  const dst = ipv4(b, at + 16);
  const offset = (frag & 0x1fff) * 8;
  if (offset > 0) return { src, dst, protocol: 'IPv4', summary: `fragment of protocol ${proto} at offset ${offset}` };
  // The payload ends where the IP header says, not at the frame's end (Ethernet pads short frames).
  const end = Math.min(at + total, b.length);
  const l4 = decodeL4(b, proto, at + ihl, end, src, dst, false);
  return l4 ?? { src, dst, protocol: 'IPv4', summary: `protocol ${proto}, ttl ${ttl}` };
}

const V6_EXTENSIONS = new Set([0, 43, 60]);

function decodeIpv6(b: Bytes, at: number): Layer {
  const payload = b.u16(at + 4);
  let next = b.u8(at + 6);
  const src = ipv6(b, at + 8);
  const dst = ipv6(b, at + 24);
  let p = at + 40;
  const end = Math.min(p + payload, b.length);
  // Walk hop-by-hop, routing and destination options headers to the transport.
  while (V6_EXTENSIONS.has(next)) {
    next = b.u8(p);
    p += (b.u8(p + 1) + 1) * 8;
  }
  if (next === 44) {
    const offset = b.u16(p + 2) & 0xfff8;
    const inner = b.u8(p);
    if (offset > 0) return { src, dst, protocol: 'IPv6', summary: `fragment of protocol ${inner} at offset ${offset}` };
    next = inner;
    p += 8;
  }
  const l4 = decodeL4(b, next, p, end, src, dst, true);
  return l4 ?? { src, dst, protocol: 'IPv6', summary: `next header ${next}` };
}

function decodeL4(b: Bytes, proto: number, at: number, end: number, src: string, dst: string, v6: boolean): Layer | undefined {
  switch (proto) {
    case 1:
      return v6 ? undefined : { src, dst, protocol: 'ICMP', summary: icmpSummary(b, at) };
    case 58:
      return v6 ? { src, dst, protocol: 'ICMPv6', summary: icmpv6Summary(b, at) } : undefined;
    case 6:
      return { src, dst, protocol: 'TCP', summary: tcpSummary(b, at, end) };
    case 17: {
      const len = b.u16(at + 4);
      return { src, dst, protocol: 'UDP', summary: `${b.u16(at)} → ${b.u16(at + 2)} Len=${Math.max(0, len - 8)}` };
    }
    default:
      return undefined;
  }
}

const ICMP_UNREACH: Record<number, string> = { 0: 'net unreachable', 1: 'host unreachable', 2: 'protocol unreachable', 3: 'port unreachable', 4: 'fragmentation needed', 9: 'net prohibited', 10: 'host prohibited', 13: 'communication prohibited' };

function icmpSummary(b: Bytes, at: number): string {
  const type = b.u8(at);
  const code = b.u8(at + 1);
  switch (type) {
    case 0:
    case 8:
      return `Echo ${type === 8 ? 'request' : 'reply'} id=${b.u16(at + 4)} seq=${b.u16(at + 6)}`;
    case 3:
      return `Destination unreachable (${ICMP_UNREACH[code] ?? `code ${code}`})`;
    case 11:
      return code === 0 ? 'Time exceeded (TTL expired in transit)' : 'Time exceeded (fragment reassembly)';
    case 5:
      return `Redirect to ${ipv4(b, at + 4)}`;
    default:
      return `ICMP type ${type} code ${code}`;
  }
}

const ICMP6_NAMES: Record<number, string> = { 133: 'Router solicitation', 134: 'Router advertisement', 143: 'Multicast listener report v2', 130: 'Multicast listener query', 137: 'Redirect' };

function icmpv6Summary(b: Bytes, at: number): string {
  const type = b.u8(at);
  const code = b.u8(at + 1);
  switch (type) {
    case 128:
    case 129:
      return `Echo ${type === 128 ? 'request' : 'reply'} id=${b.u16(at + 4)} seq=${b.u16(at + 6)}`;
    case 135:
      return `Neighbor solicitation for ${ipv6(b, at + 8)}`;
    case 136:
      return `Neighbor advertisement ${ipv6(b, at + 8)}`;
    case 1:
      return `Destination unreachable (code ${code})`;
    case 2:
      return `Packet too big (MTU ${b.u32(at + 4)})`;
    case 3:
      return 'Time exceeded';
    default:
      return ICMP6_NAMES[type] ?? `ICMPv6 type ${type} code ${code}`;
  }
}

/** In Wireshark's order, so rows read as its users expect: [SYN, ACK], [FIN, ACK], [PSH, ACK]. */
const TCP_FLAGS: [number, string][] = [
  [0x01, 'FIN'],
  [0x02, 'SYN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
];

function tcpSummary(b: Bytes, at: number, end: number): string {
  const flags = b.u8(at + 13);
  const dataOffset = (b.u8(at + 12) >> 4) * 4;
  const names = TCP_FLAGS.filter(([bit]) => flags & bit).map(([, n]) => n);
  const len = Math.max(0, end - at - dataOffset);
  const ack = flags & 0x10 ? ` Ack=${b.u32(at + 8)}` : '';
  return `${b.u16(at)} → ${b.u16(at + 2)} [${names.join(', ')}] Seq=${b.u32(at + 4)}${ack} Win=${b.u16(at + 14)} Len=${len}`;
}

function mac(b: Bytes, at: number): string {
  b.need(at + 6);
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b.u8(at + i).toString(16).padStart(2, '0'));
  return parts.join(':');
}

function ipv4(b: Bytes, at: number): string {
  return `${b.u8(at)}.${b.u8(at + 1)}.${b.u8(at + 2)}.${b.u8(at + 3)}`;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups as ::. */
function ipv6(r: Bytes, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(r.u16(at + i * 2));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return text(groups);
  return `${text(groups.slice(0, bestAt))}::${text(groups.slice(bestAt + bestLen))}`;
}

function hex16(n: number): string {
  return n.toString(16).padStart(4, '0');
}
