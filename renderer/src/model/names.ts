// Fresh ids and names for new, pasted and duplicated elements: deterministic (smallest
// free number), valid for the id allowlist, never colliding with what the design has.
import { ELEMENT_ID, IFNAME_MAX_BYTES, utf8Length } from '../../../shared/model/identifiers';
import type { Design } from '../../../shared/model/schema';
import { usedIds } from './lookup';

/** Base of a name or id without its trailing number: "ns12" -> "ns", "web-2" -> "web-". */
export function stem(text: string): string {
  return text.replace(/\d+$/, '');
}

/** Smallest `${base}${n}` (n >= start) not in `taken`. */
export function nextFree(base: string, taken: ReadonlySet<string>, start = 1): string {
  for (let n = start; ; n++) {
    const candidate = `${base}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Turns any text into a valid id stem ([a-z][a-z0-9_-]*), short enough to add a number. */
export function idStem(text: string): string {
  const cleaned = stem(text.toLowerCase()).replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 24);
  return cleaned || 'el';
}

export function freshId(design: Design, base: string, extraTaken: ReadonlySet<string> = new Set()): string {
  const taken = new Set([...usedIds(design), ...extraTaken]);
  const id = nextFree(idStem(base), taken);
  if (!ELEMENT_ID.test(id)) throw new Error(`generated an invalid id: ${id}`);
  return id;
}

/** A name not used by any of `names`, built from `base` (its trailing number is replaced). */
export function freshName(base: string, names: Iterable<string>, start = 1): string {
  const taken = new Set(names);
  return nextFree(stem(base) || 'x', taken, start);
}

/** Truncates to the kernel's 15-byte interface name limit. */
export function clampIfname(name: string): string {
  let out = name;
  while (utf8Length(out) > IFNAME_MAX_BYTES) out = out.slice(0, -1);
  return out;
}

/** `base` truncated so that `base + suffix` fits in 15 bytes. */
export function ifnameWithSuffix(base: string, suffix: string): string {
  return clampIfname(base.slice(0, Math.max(1, IFNAME_MAX_BYTES - utf8Length(suffix)))) + suffix;
}

/** Kernel-safe fragment of a display name: lower-case, [a-z0-9.-]. */
export function ifnameFragment(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '') || 'x';
}

/** `base` itself when free, else `base-2`, `base-3`, ... */
export function distinctName(base: string, names: Iterable<string>): string {
  const taken = new Set(names);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The element's name as its id when that is a valid, unused id; else a fresh id from it. */
export function idFromName(design: Design, name: string, extraTaken: ReadonlySet<string> = new Set()): string {
  if (ELEMENT_ID.test(name) && !usedIds(design).has(name) && !extraTaken.has(name)) return name;
  return freshId(design, name, extraTaken);
}
