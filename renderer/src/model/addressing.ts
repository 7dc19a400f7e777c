// Automatic addressing: a free /24 for a new bridge, the next free host address in a
// bridge's subnet for a new link. Uses the shared prefix arithmetic.
import { contains, formatAddress, hostAddress, network, overlaps, parseAddress, parsePrefix, subnetSize, type Address, type Prefix } from '../../../shared/net/ip';
import type { Design } from '../../../shared/model/schema';

/** The address part of "a.b.c.d/len" or "a.b.c.d". */
function pointOf(text: string): Address | undefined {
  const p = parsePrefix(text);
  return p ? { family: p.family, value: p.address } : parseAddress(text);
}

/** Every interface address written in the design (bridges, veth ends, sub-interfaces). */
export function allAddresses(design: Design): string[] {
  const out: string[] = [];
  for (const b of design.bridges) out.push(...b.addresses);
  for (const v of design.veths) out.push(...v.a.addresses, ...v.b.addresses);
  for (const m of design.macvlans) out.push(...m.addresses);
  for (const v of design.vlans) out.push(...v.addresses);
  for (const x of design.vxlans) out.push(...x.addresses);
  return out;
}

function prefixes(design: Design): Prefix[] {
  return allAddresses(design)
    .map((a) => parsePrefix(a))
    .filter((p): p is Prefix => p !== undefined);
}

/** First 10.0.N.0/24 .. 10.255.255.0/24 overlapping nothing in the design; returns "10.x.y.1/24". */
export function nextFreeSubnet(design: Design, extra: readonly string[] = []): string {
  const used = [...prefixes(design), ...extra.map((e) => parsePrefix(e)).filter((p): p is Prefix => !!p)];
  for (let i = 0; i < 65536; i++) {
    const candidate = parsePrefix(`10.${i >> 8}.${i & 255}.1/24`)!;
    if (!used.some((u) => overlaps(u, candidate))) return `10.${i >> 8}.${i & 255}.1/24`;
  }
  return '10.0.0.1/24';
}

/**
 * Next free host address in `subnet` (an interface prefix such as "10.0.0.1/24"),
 * skipping every address the design already uses; v4 skips network and broadcast.
 */
export function nextFreeAddress(design: Design, subnet: string, alsoTaken: readonly string[] = []): string | undefined {
  const p = parsePrefix(subnet);
  if (!p) return undefined;
  const taken = new Set<bigint>();
  for (const text of [...allAddresses(design), ...alsoTaken]) {
    const q = pointOf(text);
    if (q && contains(p, q)) taken.add(q.value);
  }
  const size = subnetSize(p);
  const last = p.family === 4 && p.length < 31 ? size - 2n : size - 1n;
  const limit = last < 65536n ? last : 65536n;
  for (let n = 1n; n <= limit; n++) {
    const value = hostAddress(p, n);
    if (!taken.has(value)) return `${formatAddress(p.family, value)}/${p.length}`;
  }
  return undefined;
}

/** The network of an interface prefix, e.g. "10.0.0.1/24" -> "10.0.0.0/24". */
export function subnetOf(address: string): string | undefined {
  const p = parsePrefix(address);
  return p && `${formatAddress(p.family, network(p))}/${p.length}`;
}

/** The gateway address (without length) of an interface prefix. */
export function addressOnly(prefix: string): string | undefined {
  const p = parsePrefix(prefix);
  return p && formatAddress(p.family, p.address);
}

/**
 * Moves an address from one subnet to another keeping its host part
 * ("10.0.0.7/24" from 10.0.0.0/24 to 10.0.3.0/24 -> "10.0.3.7/24"); undefined if outside.
 */
export function translateAddress(text: string, from: string, to: string): string | undefined {
  const f = parsePrefix(from);
  const t = parsePrefix(to);
  const a = pointOf(text);
  if (!f || !t || !a || f.family !== t.family || !contains(f, a)) return undefined;
  const addr = formatAddress(t.family, network(t) + (a.value - network(f)));
  const slash = text.indexOf('/');
  return slash >= 0 ? `${addr}${text.slice(slash)}` : addr;
}
