// Changing an element's id: every reference to it moves along (placements, veth ends,
// enslaving bridges, layout keys, the host's NIC node keys), so the design stays
// connected. Ids name objects on hosts (ownership tags), so the user may want to pick
// them; they must stay valid and unique.
import { ELEMENT_ID } from '../../../shared/model/identifiers';
import type { Design } from '../../../shared/model/schema';
import { nicNodeId, parseNicNodeId } from './kinds';
import { lookup, usedIds } from './lookup';

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
