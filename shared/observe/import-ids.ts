// Element ids and names for an imported design. Ids must match the design's allowlist
// (ELEMENT_ID) and be unique; an object Wireplan made keeps the id of its ownership tag
// (`wireplan:<tag>:<id>[.a|.b]`), so importing a host built from a design gives that
// design's ids back. Everything else gets an id derived from its kernel name.
import { DESIGN_TAG, ELEMENT_ID } from '../model/identifiers';

const TAG = /^wireplan:([a-z][a-z0-9]{0,11}):([a-z][a-z0-9_-]{0,31})(?:\.(a|b))?$/;

/** The design tag, element id and veth end of a Wireplan ownership tag, if it is one. */
export function parseOwnerTag(alias: string | undefined): { tag: string; id: string; end?: 'a' | 'b' } | undefined {
  if (alias === undefined) return undefined;
  const m = TAG.exec(alias);
  if (!m) return undefined;
  return m[3] === 'a' || m[3] === 'b' ? { tag: m[1]!, id: m[2]!, end: m[3] } : { tag: m[1]!, id: m[2]! };
}

export function isDesignTag(tag: string): boolean {
  return DESIGN_TAG.test(tag);
}

export class IdAllocator {
  private readonly used = new Set<string>();

  /** Reserve an id exactly (a tagged object's own id); false when it is taken or invalid. */
  claim(id: string): boolean {
    if (!ELEMENT_ID.test(id) || this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }

  /** A fresh id from free text: lower-case, [a-z0-9_-], starting with a letter, unique (`prefix` when nothing is left). */
  derive(text: string, prefix: string): string {
    let base = text
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[^a-z]+/, '')
      .replace(/-+$/, '');
    if (base === '') base = prefix;
    base = base.slice(0, 28).replace(/-+$/, '');
    let id = base;
    for (let n = 2; !ELEMENT_ID.test(id) || this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }

  /** The tagged id when it can be had, else a derived one. */
  pick(tagged: string | undefined, text: string, prefix: string): string {
    if (tagged !== undefined && this.claim(tagged)) return tagged;
    return this.derive(text, prefix);
  }
}
