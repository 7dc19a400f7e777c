// Values computed from a design, remembered by the design object's identity: edits make
// new design objects, so a cached value is never stale, and the cache lets go with it.
import type { Design } from '../../../shared/model/schema';

export function memoByDesign<T>(f: (d: Design) => T): (d: Design) => T {
  const cache = new WeakMap<Design, T>();
  return (d) => {
    if (cache.has(d)) return cache.get(d)!;
    const v = f(d);
    cache.set(d, v);
    return v;
  };
}
