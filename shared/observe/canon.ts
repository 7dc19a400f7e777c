// Memoised address canonicalisation. Snapshots repeat the same few thousand address and
// prefix strings (127.0.0.1, fe80::/64, every namespace's gateway) on every poll; the
// bigint arithmetic in shared/net/ip.ts is exact but not free. Bounded, pure caches.
import { canonicalAddress } from '../net/ip';

// Enough for the distinct addresses of a 1,000-namespace snapshot; a host that keeps
// making new ones (random link-local addresses of veths created and deleted all day) only
// ever costs this many entries: the live monitor runs for days.
const LIMIT = 16_384;

export function memo<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
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
