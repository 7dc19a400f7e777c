// Changing an element's id: every reference to it moves along (placements, veth ends,
// enslaving bridges, layout keys, the host's NIC node keys), so the design stays
// connected. Ids name objects on hosts (ownership tags), so the user may want to pick
// them; they must stay valid and unique.
import { ELEMENT_ID } from '../../../shared/model/identifiers';
import type { Design } from '../../../shared/model/schema';
import { nicNodeId, parseNicNodeId } from './kinds';
import { lookup, usedIds } from './lookup';
import { distinctName, ifnameFragment, ifnameWithSuffix } from './names';

export type RenameResult = { ok: true; design: Design } | { ok: false; reason: string };

/** Why `newId` cannot replace `oldId` (undefined: it can). */
export function renameRefusal(design: Design, oldId: string, newId: string): string | undefined {
  if (newId === oldId) return undefined;
  if (!ELEMENT_ID.test(newId)) return 'an id starts with a lower-case letter and has at most 32 of a-z, 0-9, "_" and "-"';
  if (usedIds(design).has(newId)) return `the id "${newId}" is already used`;
  const entry = lookup(design).byId.get(oldId);
  if (!entry || entry.kind === 'nic') return `no element "${oldId}"`;
  return undefined;
}

const swap = (ref: string, from: string, to: string) => (ref === from ? to : ref);

function renameKeys<T>(record: Record<string, T>, rename: (key: string) => string): Record<string, T> {
  let changed = false;
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(record)) {
    const nk = rename(k);
    if (nk !== k) changed = true;
    out[nk] = v;
  }
  return changed ? out : record;
}

export function renameElement(design: Design, oldId: string, newId: string): RenameResult {
  const refusal = renameRefusal(design, oldId, newId);
  if (refusal) return { ok: false, reason: refusal };
  if (newId === oldId) return { ok: true, design };
  const r = (ref: string) => swap(ref, oldId, newId);
  const self = <T extends { id: string }>(e: T): T => (e.id === oldId ? { ...e, id: newId } : e);
  const at = <T extends { id: string; at: string }>(e: T): T => {
    const moved = self(e);
    return moved.at === oldId ? { ...moved, at: newId } : moved;
  };
  const bridgeRef = <T extends { bridge?: string | undefined }>(e: T): T => (e.bridge === oldId ? { ...e, bridge: newId } : e);
  const layoutKey = (key: string) => {
    if (key === oldId) return newId;
    const nic = parseNicNodeId(key);
    return nic && nic.hostId === oldId ? nicNodeId(newId, nic.name) : key;
  };
  const d: Design = {
    ...design,
    hosts: design.hosts.map(self),
    namespaces: design.namespaces.map((n) => {
      const moved = self(n);
      return moved.host === oldId ? { ...moved, host: newId } : moved;
    }),
    bridges: design.bridges.map(at),
    veths: design.veths.map((v) => {
      const moved = self(v);
      if (moved.a.at !== oldId && moved.b.at !== oldId) return moved;
      return { ...moved, a: { ...moved.a, at: r(moved.a.at) }, b: { ...moved.b, at: r(moved.b.at) } };
    }),
    macvlans: design.macvlans.map(at),
    vlans: design.vlans.map((v) => bridgeRef(at(v))),
    vxlans: design.vxlans.map((x) => bridgeRef(at(x))),
    masquerades: design.masquerades.map(at),
    portForwards: design.portForwards.map(at),
    policies: design.policies.map(at),
    layout: { ...design.layout, nodes: renameKeys(design.layout.nodes, layoutKey), frames: renameKeys(design.layout.frames, layoutKey) },
  };
  return { ok: true, design: d };
}

/** The canvas/selection id after a rename (NIC node ids follow their host). */
export function renamedNodeId(nodeId: string, oldId: string, newId: string): string {
  if (nodeId === oldId) return newId;
  const nic = parseNicNodeId(nodeId);
  if (nic && nic.hostId === oldId) return nicNodeId(newId, nic.name);
  return nodeId;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * After an element's name changed from `oldName` to `newName`: the names Wireplan derived
 * from it follow, unless they were set by hand (no longer look derived). A link's name
 * ("ns1-br0", "ns1-br0-2") and the kernel names made for the element's links on the other
 * side ("v-ns1", "v-ns1-2") change with it.
 */
export function propagateName(design: Design, id: string, oldName: string, newName: string): Design {
  if (!oldName || oldName === newName) return design;
  const { byId } = lookup(design);
  const nameOf = (ref: string) => (byId.get(ref)?.element as { name?: string } | undefined)?.name ?? '';
  const taken = new Set(design.veths.map((v) => v.name));
  const oldFrag = ifnameFragment(oldName);
  const newFrag = ifnameFragment(newName);
  let changed = false;
  const veths = design.veths.map((v) => {
    let out = v;
    const mine = v.a.at === id ? 'a' : v.b.at === id ? 'b' : undefined;
    if (!mine) return v;
    const other = mine === 'a' ? 'b' : 'a';
    const otherName = nameOf(v[other].at);
    // The link's own name.
    for (const [from, to] of [
      [`${oldName}-${otherName}`, `${newName}-${otherName}`],
      [`${otherName}-${oldName}`, `${otherName}-${newName}`],
    ] as const) {
      const m = new RegExp(`^${escapeRe(from)}(-\\d+)?$`).exec(v.name);
      if (m) {
        taken.delete(v.name);
        const base = `${to}`.slice(0, 60);
        let name = `${base}${m[1] ?? ''}`;
        if (taken.has(name)) name = distinctName(base, taken);
        taken.add(name);
        out = { ...out, name };
        break;
      }
    }
    // The kernel name at the other end, made from this element's name.
    const ifname = v[other].ifname;
    if (ifname) {
      for (const suffix of ['', ...Array.from({ length: 30 }, (_, i) => `-${i + 2}`)]) {
        if (ifname !== ifnameWithSuffix(`v-${oldFrag}`, suffix)) continue;
        out = { ...out, [other]: { ...out[other], ifname: ifnameWithSuffix(`v-${newFrag}`, suffix) } };
        break;
      }
    }
    if (out !== v) changed = true;
    return out;
  });
  return changed ? { ...design, veths } : design;
}

/** What a rename of element `id` would carry along (for the inspector's preview). */
export function followingNames(design: Design, id: string): string[] {
  const self = lookup(design).byId.get(id)?.element as { name?: string } | undefined;
  if (!self?.name) return [];
  // Rename to a marker and see what changed.
  const after = propagateName(design, id, self.name, `${self.name}x`);
  const out: string[] = [];
  design.veths.forEach((v, i) => {
    const w = after.veths[i]!;
    if (w.name !== v.name) out.push(`link "${v.name}"`);
    for (const end of ['a', 'b'] as const) if (w[end].ifname !== v[end].ifname && v[end].ifname) out.push(`kernel name ${v[end].ifname}`);
  });
  return out;
}
