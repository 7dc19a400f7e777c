// Committing a drag: new positions for frames (their contents move with them) and
// elements, and re-homing an element dropped onto another host's frame.
import type { Design } from '../../../shared/model/schema';
import { NODE_SIZE, parseNicNodeId, type NodeKind } from './kinds';
import { fitFrames, frameAt, frameRect, hostChildPositions, type XY } from './layout';
import { lookup } from './lookup';

export interface NodeMove {
  id: string;
  /** Absolute canvas position of the node's top-left corner. */
  absolute: XY;
}

const PLACED = ['bridges', 'macvlans', 'vlans', 'vxlans', 'masquerades', 'portForwards', 'policies'] as const;

/** Moves an element (and nothing else) to host `to`. */
function rehome(design: Design, id: string, to: string): Design {
  const e = lookup(design).byId.get(id);
  if (!e || e.kind === 'nic' || e.kind === 'host' || e.kind === 'veth') return design;
  if (e.kind === 'namespace') return { ...design, namespaces: design.namespaces.map((n) => (n.id === id ? { ...n, host: to } : n)) };
  const out: Design = { ...design };
  for (const c of PLACED) {
    const list = design[c] as { id: string; at: string }[];
    if (list.some((x) => x.id === id)) (out as unknown as Record<string, unknown>)[c] = list.map((x) => (x.id === id ? { ...x, at: to } : x));
  }
  return out;
}

export function commitMoves(design: Design, moves: readonly NodeMove[]): Design {
  const { byId } = lookup(design);
  const frames = { ...design.layout.frames };
  const nodes = { ...design.layout.nodes };
  const touched = new Set<string>();
  const rehomes: { id: string; to: string }[] = [];
  const movedHosts = new Set(moves.filter((m) => byId.get(m.id)?.kind === 'host').map((m) => m.id));

  for (const m of moves) {
    const e = byId.get(m.id);
    if (!e) continue;
    if (e.kind === 'host') {
      const r = frameRect(design, m.id);
      const x = Math.round(m.absolute.x);
      const y = Math.round(m.absolute.y);
      frames[m.id] = { ...r, x, y };
      for (const [child, p] of hostChildPositions(design, m.id)) nodes[child] = { x: p.x + x - r.x, y: p.y + y - r.y };
      touched.add(m.id);
      continue;
    }
    if (!e.hostId || movedHosts.has(e.hostId)) continue;
    const size = NODE_SIZE[e.kind as Exclude<NodeKind, 'host'>] ?? { width: 0, height: 0 };
    const centre = { x: m.absolute.x + size.width / 2, y: m.absolute.y + size.height / 2 };
    const over = frameAt(design, centre);
    // NICs belong to their machine; everything else can be dragged to another host.
    const host = over && over !== e.hostId && !parseNicNodeId(m.id) ? over : e.hostId;
    if (host !== e.hostId) rehomes.push({ id: m.id, to: host });
    nodes[m.id] = { x: Math.round(m.absolute.x), y: Math.round(m.absolute.y) };
    touched.add(host);
    touched.add(e.hostId);
  }
  let d: Design = { ...design, layout: { nodes, frames } };
  for (const r of rehomes) d = rehome(d, r.id, r.to);
  return fitFrames(d, touched);
}
