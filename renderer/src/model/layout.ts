// Where things are drawn. design.layout.frames holds each host frame and
// design.layout.nodes each element's top-left corner, both in absolute canvas coordinates
// (the file's drawing reads as-is; the v1 -> v2 migration moved absolute positions there).
// Elements without a stored position get a free grid slot in their frame; a frame always
// grows to contain its children. React Flow wants child positions relative to the frame:
// childPosition() gives those.
import type { Design, Layout } from '../../../shared/model/schema';
import { FRAME_HEADER, FRAME_MIN, FRAME_PAD, NODE_SIZE, type NodeKind } from './kinds';
import { lookup } from './lookup';
import { memoByDesign } from './memo';

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

/** Grid slot n inside a frame (relative to the frame). */
export function gridSlot(n: number): XY {
  return { x: FRAME_PAD + (n % GRID.cols) * GRID.dx, y: FRAME_HEADER + 20 + Math.floor(n / GRID.cols) * GRID.dy };
}

const sizeOf = (design: Design, id: string) => nodeSize(lookup(design).byId.get(id)!.kind as Exclude<NodeKind, 'host' | 'veth'>);

/** Frame rectangles before growing to fit their children: stored, else right of the previous frame. */
const baseFrames = memoByDesign((design): Map<string, Rect> => {
  const out = new Map<string, Rect>();
  let right = 0;
  for (const h of design.hosts) {
    const stored = design.layout.frames[h.id];
    const base = stored ?? { x: right, y: 0, ...FRAME_MIN };
    out.set(h.id, base);
    right = Math.max(right, base.x + base.width + 60);
  }
  return out;
});

/** Absolute positions of every element: stored, else the next grid slot no stored element overlaps. */
const positions = memoByDesign((design): Map<string, XY> => {
  const map = new Map<string, XY>();
  const { byId, childrenOf } = lookup(design);
  for (const [hostId, children] of childrenOf) {
    const base = baseFrames(design).get(hostId)!;
    const placed: Rect[] = [];
    for (const id of children) {
      const p = design.layout.nodes[id];
      if (p) {
        map.set(id, p);
        placed.push({ x: p.x - base.x, y: p.y - base.y, ...sizeOf(design, id) });
      }
    }
    // Unplaced elements go in rows under the placed ones, within the frame's width, so a
    // frame drawn by hand keeps its width (and its neighbours).
    const top = placed.length ? Math.max(...placed.map((t) => t.y + t.height)) + 24 - gridSlot(0).y : 0;
    const cols = Math.max(1, Math.min(GRID.cols, Math.floor((base.width - FRAME_PAD) / GRID.dx)));
    const slotAt = (n: number): XY => ({ x: FRAME_PAD + (n % cols) * GRID.dx, y: gridSlot(0).y + Math.max(0, top) + Math.floor(n / cols) * GRID.dy });
    let slot = 0;
    for (const id of children) {
      if (design.layout.nodes[id]) continue;
      const size = nodeSize(byId.get(id)!.kind as Exclude<NodeKind, 'host' | 'veth'>);
      let p = slotAt(slot++);
      while (placed.some((t) => p.x < t.x + t.width + 8 && t.x < p.x + size.width + 8 && p.y < t.y + t.height + 8 && t.y < p.y + size.height + 8)) p = slotAt(slot++);
      map.set(id, { x: base.x + p.x, y: base.y + p.y });
    }
  }
  return map;
});

/** Frame rectangles grown (never shrunk) to contain every child with padding and header room. */
const frames = memoByDesign((design): Map<string, Rect> => {
  const out = new Map<string, Rect>();
  for (const [hostId, base] of baseFrames(design)) {
    let x1 = base.x;
    let y1 = base.y;
    let x2 = base.x + Math.max(base.width, FRAME_MIN.width);
    let y2 = base.y + Math.max(base.height, FRAME_MIN.height);
    for (const id of lookup(design).childrenOf.get(hostId) ?? []) {
      const p = positions(design).get(id)!;
      const s = sizeOf(design, id);
      x1 = Math.min(x1, p.x - FRAME_PAD);
      y1 = Math.min(y1, p.y - FRAME_HEADER - 8);
      x2 = Math.max(x2, p.x + s.width + FRAME_PAD);
      y2 = Math.max(y2, p.y + s.height + FRAME_PAD);
    }
    out.set(hostId, { x: x1, y: y1, width: x2 - x1, height: y2 - y1 });
  }
  return out;
});

export function frameRect(design: Design, hostId: string): Rect {
  return frames(design).get(hostId) ?? { x: 0, y: 0, ...FRAME_MIN };
}

/** Absolute canvas position of an element's top-left corner (a host: its frame's). */
export function absolutePosition(design: Design, id: string): XY | undefined {
  const e = lookup(design).byId.get(id);
  if (!e) return undefined;
  if (e.kind === 'host') return frameRect(design, id);
  return positions(design).get(id);
}

/** Position of an element relative to its host frame (what React Flow wants for a child). */
export function childPosition(design: Design, id: string): XY {
  const abs = positions(design).get(id);
  const host = lookup(design).byId.get(id)?.hostId;
  if (!abs || !host) return gridSlot(0);
  const f = frameRect(design, host);
  return { x: abs.x - f.x, y: abs.y - f.y };
}

/** Stores a frame exactly as drawn (grown to its contents). Same layout object when unchanged. */
export function fitFrame(design: Design, hostId: string): Layout {
  const rect = frameRect(design, hostId);
  const stored = design.layout.frames[hostId];
  if (stored && stored.x === rect.x && stored.y === rect.y && stored.width === rect.width && stored.height === rect.height) return design.layout;
  return { ...design.layout, frames: { ...design.layout.frames, [hostId]: rect } };
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

/** Every element of a host with its absolute position (unplaced ones materialized). */
export function hostChildPositions(design: Design, hostId: string): [string, XY][] {
  return (lookup(design).childrenOf.get(hostId) ?? []).map((id) => [id, positions(design).get(id)!]);
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

/** An element's rectangle on the canvas (a host: its frame). */
export function elementBox(design: Design, id: string): Rect | undefined {
  const e = lookup(design).byId.get(id);
  if (!e || e.kind === 'veth') return undefined;
  if (e.kind === 'host') return frameRect(design, id);
  const p = positions(design).get(id);
  return p && { ...p, ...nodeSize(e.kind as Exclude<NodeKind, 'host'>) };
}

/** The rectangle around every host frame (which contain their elements); undefined when there are none. */
export function designBounds(design: Design): Rect | undefined {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const h of design.hosts) {
    const r = frameRect(design, h.id);
    x1 = Math.min(x1, r.x);
    y1 = Math.min(y1, r.y);
    x2 = Math.max(x2, r.x + r.width);
    y2 = Math.max(y2, r.y + r.height);
  }
  return Number.isFinite(x1) ? { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } : undefined;
}
