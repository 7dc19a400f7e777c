// Where things are drawn. design.layout.frames holds each host frame (absolute canvas
// coordinates); design.layout.nodes holds each element's top-left corner RELATIVE to its
// host frame, so moving a host moves its contents with one change. Elements without a
// stored position get a grid slot; frames always grow to contain their children.
import type { Design, Layout } from '../../../shared/model/schema';
import { FRAME_HEADER, FRAME_MIN, FRAME_PAD, NODE_SIZE, type NodeKind } from './kinds';
import { lookup } from './lookup';

export interface XY {
  x: number;
  y: number;
}
export interface Rect extends XY {
  width: number;
  height: number;
}

export function nodeSize(kind: Exclude<NodeKind, 'host'>): { width: number; height: number } {
  return NODE_SIZE[kind];
}

const GRID = { cols: 4, dx: 180, dy: 90 };

/** Grid slot n inside a frame (relative). */
export function gridSlot(n: number): XY {
  return { x: FRAME_PAD + (n % GRID.cols) * GRID.dx, y: FRAME_HEADER + 20 + Math.floor(n / GRID.cols) * GRID.dy };
}

const positionCache = new WeakMap<Design, Map<string, XY>>();

/** Relative positions of every element (stored, else the next grid slot no stored element overlaps), per design. */
function positions(design: Design): Map<string, XY> {
  let map = positionCache.get(design);
  if (map) return map;
  map = new Map();
  const { byId, childrenOf } = lookup(design);
  const sizeOf = (id: string) => nodeSize(byId.get(id)!.kind as Exclude<NodeKind, 'host' | 'veth'>);
  for (const children of childrenOf.values()) {
    const placed: Rect[] = [];
    for (const id of children) {
      const p = design.layout.nodes[id];
      if (p) {
        map.set(id, p);
        placed.push({ ...p, ...sizeOf(id) });
      }
    }
    let slot = 0;
    for (const id of children) {
      if (design.layout.nodes[id]) continue;
      const size = sizeOf(id);
      let p = gridSlot(slot++);
      while (placed.some((t) => p.x < t.x + t.width + 8 && t.x < p.x + size.width + 8 && p.y < t.y + t.height + 8 && t.y < p.y + size.height + 8)) p = gridSlot(slot++);
      map.set(id, p);
    }
  }
  positionCache.set(design, map);
  return map;
}

/** Relative position of an element in its frame. */
export function childPosition(design: Design, id: string): XY {
  return positions(design).get(id) ?? design.layout.nodes[id] ?? gridSlot(0);
}

/** A frame's rectangle: stored, else next to the frames before it. */
const frameCache = new WeakMap<Design, Map<string, Rect>>();

export function frameRect(design: Design, hostId: string): Rect {
  let cache = frameCache.get(design);
  if (!cache) frameCache.set(design, (cache = new Map()));
  let rect = cache.get(hostId);
  if (!rect) cache.set(hostId, (rect = computeFrameRect(design, hostId)));
  return rect;
}

function computeFrameRect(design: Design, hostId: string): Rect {
  const stored = design.layout.frames[hostId];
  const children = lookup(design).childrenOf.get(hostId) ?? [];
  let base: Rect;
  if (stored) base = stored;
  else {
    let x = 0;
    for (const h of design.hosts) {
      if (h.id === hostId) break;
      const r = frameRect(design, h.id);
      x = Math.max(x, r.x + r.width + 60);
    }
    base = { x, y: 0, ...FRAME_MIN };
  }
  // Grow (never shrink) to contain every child.
  let width = Math.max(base.width, FRAME_MIN.width);
  let height = Math.max(base.height, FRAME_MIN.height);
  for (const id of children) {
    const e = lookup(design).byId.get(id)!;
    const p = childPosition(design, id);
    const s = nodeSize(e.kind as Exclude<NodeKind, 'host' | 'veth'>);
    width = Math.max(width, p.x + s.width + FRAME_PAD);
    height = Math.max(height, p.y + s.height + FRAME_PAD);
  }
  return { x: base.x, y: base.y, width, height };
}

/**
 * Normalizes a frame after its children moved: children never sit above the header or
 * left of the padding (the frame moves out instead, children keep their canvas spot);
 * the stored size grows to fit. Returns the same layout object when nothing changed.
 */
export function fitFrame(design: Design, hostId: string): Layout {
  const children = lookup(design).childrenOf.get(hostId) ?? [];
  const rect = frameRect(design, hostId);
  let minX = Infinity;
  let minY = Infinity;
  for (const id of children) {
    const p = childPosition(design, id);
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
  }
  const dx = minX < FRAME_PAD ? FRAME_PAD - minX : 0;
  const dy = minY < FRAME_HEADER + 8 ? FRAME_HEADER + 8 - minY : 0;
  const stored = design.layout.frames[hostId];
  if (!dx && !dy && stored && stored.width === rect.width && stored.height === rect.height) return design.layout;
  const nodes = { ...design.layout.nodes };
  for (const id of children) {
    const p = childPosition(design, id);
    nodes[id] = { x: p.x + dx, y: p.y + dy };
  }
  const shifted: Design = { ...design, layout: { ...design.layout, nodes } };
  const grown = frameRect(shifted, hostId);
  return {
    nodes,
    frames: { ...design.layout.frames, [hostId]: { x: rect.x - dx, y: rect.y - dy, width: grown.width, height: grown.height } },
  };
}

export function fitFrames(design: Design, hostIds: Iterable<string>): Design {
  let out = design;
  for (const h of new Set(hostIds)) {
    if (!out.hosts.some((x) => x.id === h)) continue;
    const layout = fitFrame(out, h);
    if (layout !== out.layout) out = { ...out, layout };
  }
  return out;
}

/** Drops layout entries of ids that are no longer drawn. */
export function pruneLayout(design: Design): Design {
  const live = lookup(design).byId;
  const nodes = Object.fromEntries(Object.entries(design.layout.nodes).filter(([id]) => live.has(id)));
  const frames = Object.fromEntries(Object.entries(design.layout.frames).filter(([id]) => live.get(id)?.kind === 'host'));
  if (Object.keys(nodes).length === Object.keys(design.layout.nodes).length && Object.keys(frames).length === Object.keys(design.layout.frames).length) {
    return design;
  }
  return { ...design, layout: { nodes, frames } };
}

/** Host frame containing an absolute canvas point (topmost = last drawn). */
export function frameAt(design: Design, point: XY): string | undefined {
  for (let i = design.hosts.length - 1; i >= 0; i--) {
    const h = design.hosts[i]!;
    const r = frameRect(design, h.id);
    if (point.x >= r.x && point.x <= r.x + r.width && point.y >= r.y && point.y <= r.y + r.height) return h.id;
  }
  return undefined;
}

/** Frame whose rectangle is nearest a point. */
export function nearestFrame(design: Design, point: XY): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const h of design.hosts) {
    const r = frameRect(design, h.id);
    const dx = Math.max(r.x - point.x, 0, point.x - (r.x + r.width));
    const dy = Math.max(r.y - point.y, 0, point.y - (r.y + r.height));
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = h.id;
    }
  }
  return best;
}

/** Absolute canvas position of an element's top-left corner. */
export function absolutePosition(design: Design, id: string): XY | undefined {
  const e = lookup(design).byId.get(id);
  if (!e) return undefined;
  if (e.kind === 'host') return frameRect(design, id);
  if (!e.hostId) return undefined;
  const f = frameRect(design, e.hostId);
  const p = childPosition(design, id);
  return { x: f.x + p.x, y: f.y + p.y };
}

/** Absolute centre of the first grid slot in a frame that no element overlaps (click-to-add). */
export function freeSlotCentre(design: Design, hostId: string, kind: Exclude<NodeKind, 'host'>): XY {
  const f = frameRect(design, hostId);
  const size = nodeSize(kind);
  const taken: Rect[] = (lookup(design).childrenOf.get(hostId) ?? []).map((id) => {
    const e = lookup(design).byId.get(id)!;
    return { ...childPosition(design, id), ...nodeSize(e.kind as Exclude<NodeKind, 'host' | 'veth'>) };
  });
  for (let n = 0; ; n++) {
    const p = gridSlot(n);
    const r = { ...p, ...size };
    const hit = taken.some((t) => r.x < t.x + t.width + 8 && t.x < r.x + r.width + 8 && r.y < t.y + t.height + 8 && t.y < r.y + r.height + 8);
    if (!hit) return { x: f.x + p.x + size.width / 2, y: f.y + p.y + size.height / 2 };
  }
}
