// IPv4/IPv6 address and prefix arithmetic. Pure, no node:* (shared/ runs anywhere).
// Addresses are held as bigint so v4 and v6 share one code path.

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

export interface Prefix {
  family: Family;
  /** The address as written (host bits may be set: 10.0.0.1/24 is an interface address). */
  address: bigint;
  length: number;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

export function bits(family: Family): number {
  return family === 4 ? 32 : 128;
}

/**
 * Dotted quad with no leading zeros ("10.0.0.1", not "10.0.0.01"), as a 32-bit number.
 * A char-code loop: validation and the compiler parse every address of a design, and a
 * regex + split + BigInt per octet was the largest single cost of validating.
 */
function parseV4Number(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let i = 0;
  while (octets < 4) {
    const start = i;
    let octet = 0;
    while (i < text.length && i - start < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || octet > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return undefined;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  return i === text.length ? value : undefined;
}

function parseV4(text: string): bigint | undefined {
  const n = parseV4Number(text);
  return n === undefined ? undefined : BigInt(n);
}

function parseV6(text: string): bigint | undefined {
  if (text.length > 45 || text.includes(':::')) return undefined;
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tail4 = parseV4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] === '' ? [] : halves[0]!.split(':');
  const right = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : [];
  const groups = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (halves.length === 1 && left.length !== 8) return undefined;
  if (halves.length === 2 && groups < 1) return undefined;
  const all = [...left, ...Array<string>(groups).fill('0'), ...right];
  if (all.length !== 8 || !all.every((h) => HEXTET.test(h))) return undefined;
  let value = all.reduce((acc, h) => (acc << 16n) | BigInt(parseInt(h, 16)), 0n);
  if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
  return value;
}

export function parseAddress(text: string): Address | undefined {
  if (typeof text !== 'string') return undefined;
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** The prefix length after the slash: 1-3 decimal digits (leading zeros allowed). */
function parseLength(text: string, from: number): number | undefined {
  const digits = text.length - from;
  if (digits < 1 || digits > 3) return undefined;
  let n = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

export function parsePrefix(text: string): Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const length = parseLength(text, slash + 1);
  if (length === undefined) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  if (!addr || length > bits(addr.family)) return undefined;
  return { family: addr.family, address: addr.value, length };
}

/** Netmasks by length, built once: contains() and overlaps() run for every address pair a rule compares. */
const MASKS: Record<Family, bigint[]> = { 4: [], 6: [] };
for (const family of [4, 6] as const) {
  const total = bits(family);
  for (let length = 0; length <= total; length++) MASKS[family].push(((1n << BigInt(length)) - 1n) << BigInt(total - length));
}

export function mask(family: Family, length: number): bigint {
  const cached = MASKS[family]?.[length];
  if (cached !== undefined) return cached;
  const total = bits(family);
  return ((1n << BigInt(length)) - 1n) << BigInt(total - length);
}

export function network(p: Prefix): bigint {
  return p.address & mask(p.family, p.length);
}

/** True when the prefix has no host bits set (a route/subnet, not an interface address). */
export function isNetwork(p: Prefix): boolean {
  return network(p) === p.address;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family) return false;
  const len = Math.min(a.length, b.length);
  const m = mask(a.family, len);
  return (a.address & m) === (b.address & m);
}

export function contains(p: Prefix, addr: Address): boolean {
  if (p.family !== addr.family) return false;
  const m = mask(p.family, p.length);
  return (p.address & m) === (addr.value & m);
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value & 0xffffffffn);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of a prefix's network, e.g. "10.0.0.0/24". */
export function formatNetwork(p: Prefix): string {
  return `${formatAddress(p.family, network(p))}/${p.length}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.family, p.address)}/${p.length}`;
}

/** Canonical form of an address string (lower-case, compressed), or undefined if invalid. */
export function canonicalAddress(text: string): string | undefined {
  const a = parseAddress(text);
  return a && formatAddress(a.family, a.value);
}

/** Canonical form of an interface prefix string, or undefined if invalid. */
export function canonicalPrefix(text: string): string | undefined {
  const p = parsePrefix(text);
  return p && formatPrefix(p);
}

/** The n-th host address of a subnet (1 = first usable), used for automatic addressing. */
export function hostAddress(p: Prefix, n: bigint): bigint {
  return network(p) + n;
}

export function subnetSize(p: Prefix): bigint {
  return 1n << BigInt(bits(p.family) - p.length);
}
