// Kernel interface names: explicit `ifname` when given, otherwise derived from the
// element's name. Derived names are deterministic, at most 15 bytes, and unique within
// their namespace (a short hash of the element id breaks ties), so the same design always
// produces the same names and adding an element never renames another.
import { IFNAME_MAX_BYTES } from '../model/identifiers';
import type { Design } from '../model/schema';
import { DesignIndex, type Placement } from '../model/topology';

export interface InterfaceSlot {
  /** Element id (+ end for veths). */
  element: string;
  end?: 'a' | 'b';
  collection: 'bridges' | 'veths' | 'macvlans' | 'vlans' | 'vxlans';
  logical: string;
  /** Host id and netns name ("" = root) the interface lives in. */
  hostId: string;
  ns: string;
  explicit?: string;
  derived: string;
}

/** FNV-1a 32-bit: tiny, deterministic, good enough to separate colliding names. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function sanitizeIfname(logical: string): string {
  const cleaned = logical
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return cleaned || 'if';
}

function withSuffix(base: string, suffix: string): string {
  return base.slice(0, IFNAME_MAX_BYTES - suffix.length) + suffix;
}

/**
 * `derived` itself, or with a 4-hex-digit suffix hashed from `seed` (and the attempt) while
 * `taken` says the name is in use. "lo" is never free.
 */
export function untakenName(derived: string, seed: string, taken: (name: string) => boolean): string {
  let name = derived;
  for (let attempt = 0; taken(name) || name === 'lo'; attempt++) {
    const hash = fnv1a(`${seed}/${attempt}`).toString(16).padStart(8, '0').slice(0, 4);
    name = withSuffix(derived, `-${hash}`);
  }
  return name;
}

/** Every interface Wireplan creates, with its placement and derived name (before tie-breaking). */
export function interfaceSlots(design: Design, index = new DesignIndex(design)): InterfaceSlot[] {
  const slots: InterfaceSlot[] = [];
  const add = (
    collection: InterfaceSlot['collection'],
    element: string,
    logical: string,
    at: Placement | undefined,
    explicit: string | undefined,
    derived: string,
    end?: 'a' | 'b',
  ) => {
    if (!at) return;
    // Fields in the order the spread-built slots had; no spread copies (this runs per interface).
    const slot: InterfaceSlot = { collection, element, logical, hostId: at.host.id, ns: at.ns ? at.ns.name : '' } as InterfaceSlot;
    if (end) slot.end = end;
    if (explicit) slot.explicit = explicit;
    slot.derived = derived;
    slots.push(slot);
  };
  for (const b of design.bridges) add('bridges', b.id, b.name, index.placeNoBridge(b.at), b.ifname, sanitizeIfname(b.name).slice(0, 15));
  for (const v of design.veths) {
    const base = sanitizeIfname(v.name);
    add('veths', v.id, `${v.name} (a)`, index.placeEnd(v, 'a'), v.a.ifname, withSuffix(base, '-a'), 'a');
    add('veths', v.id, `${v.name} (b)`, index.placeEnd(v, 'b'), v.b.ifname, withSuffix(base, '-b'), 'b');
  }
  for (const m of design.macvlans) add('macvlans', m.id, m.name, index.placeNoBridge(m.at), m.ifname, sanitizeIfname(m.name).slice(0, 15));
  for (const v of design.vlans) add('vlans', v.id, v.name, index.placeNoBridge(v.at), v.ifname, sanitizeIfname(v.name).slice(0, 15));
  for (const x of design.vxlans) add('vxlans', x.id, x.name, index.placeNoBridge(x.at), x.ifname, sanitizeIfname(x.name).slice(0, 15));
  return slots;
}

export interface ResolvedName extends InterfaceSlot {
  ifname: string;
}

/**
 * Final kernel names. Explicit names are kept as written (validation reports clashes);
 * a derived name that clashes with a NIC, an explicit name or an earlier derived name
 * in the same namespace gets a 4-hex-digit suffix from the element id.
 */
export function resolveNames(design: Design, index = new DesignIndex(design)): ResolvedName[] {
  const slots = interfaceSlots(design, index);
  const taken = new Set<string>();
  const key = (hostId: string, ns: string, name: string) => `${hostId}\u0000${ns}\u0000${name}`;
  for (const host of design.hosts) for (const nic of host.nics) taken.add(key(host.id, '', nic.name));
  for (const s of slots) if (s.explicit) taken.add(key(s.hostId, s.ns, s.explicit));
  // The slots are our own fresh objects: each becomes its ResolvedName in place.
  return slots.map((s) => {
    const resolved = s as ResolvedName;
    if (s.explicit) {
      resolved.ifname = s.explicit;
      return resolved;
    }
    const name = untakenName(s.derived, `${s.element}/${s.end ?? ''}`, (n) => taken.has(key(s.hostId, s.ns, n)));
    taken.add(key(s.hostId, s.ns, name));
    resolved.ifname = name;
    return resolved;
  });
}

/** Lookup: element id (+ end) -> kernel name. */
export function nameTable(resolved: ResolvedName[]): Map<string, ResolvedName> {
  return new Map(resolved.map((r) => [r.end ? `${r.element}.${r.end}` : r.element, r]));
}
