// Memoised address canonicalisation. Snapshots repeat the same few thousand address and
// prefix strings (127.0.0.1, fe80::/64, every namespace's gateway) on every poll; the
// bigint arithmetic in shared/net/ip.ts is exact but not free. Bounded, pure caches.
import { canonicalAddress } from '../net/ip';

// Enough for the distinct addresses of a 1,000-namespace snapshot; a host that keeps
// making new ones (random link-local addresses of veths created and deleted all day) only
// ever costs this many entries: the live monitor runs for days.
const LIMIT = 16_384;

const caches = new Set<Map<string, unknown>>();

/** Entries held by all memo caches now (each at most MEMO_LIMIT). */
export function memoEntries(): number {
  let n = 0;
  for (const c of caches) n += c.size;
  return n;
}

/**
 * Empty every memo cache. For leak checks: these caches grow up to their bound by design
 * on a host that keeps making new addresses, which would hide (or fake) a real leak.
 */
export function clearMemos(): void {
  for (const c of caches) c.clear();
}

export const MEMO_LIMIT = LIMIT;

export function memo<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  caches.add(cache);
  return (text: string) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = fn(text);
    if (cache.size >= LIMIT) cache.clear();
    cache.set(text, value);
    return value;
  };
}

/** canonicalAddress, memoised. */
export const canonAddr = memo((text: string) => canonicalAddress(text));
