// Where each veth end's label goes so that no two labels overlap, and no label covers a
// node, a host frame's header or a link's rate badge. Pure: flow coordinates in, boxes out.
//
// Every end tries spots near its port first, offset along its line and on either side of
// it; the first free spot wins. An end with no free spot for "name address" tries its name
// alone, and an end with no free spot at all is not drawn (it shows when its link is
// selected). Ends are placed in a fixed order (the link id), so the same drawing always
// gets the same labels.
import type { Box } from './geometry';

export interface Pt {
  x: number;
  y: number;
}

export interface LabelRequest {
  /** `${vethId}.a` / `${vethId}.b`. */
  key: string;
  /** The end's port (where the line leaves its node). */
  from: Pt;
  /** The other end of the line. */
  to: Pt;
  /** "eth0 10.0.0.2/24". */
  text: string;
  /** "eth0" (drawn when the full text finds no room). */
  short: string;
}

export interface PlacedLabel {
  /** Top-left corner and size, flow coordinates. */
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  /** The short text was drawn instead of the full one. */
  shortened: boolean;
}

export const LABEL_HEIGHT = 12;
/** Gap kept between a label and anything else. */
const GAP = 2;
/** Distances from the port along the line, nearest first. */
const ALONG = [6, 18, 32, 48, 66, 88, 112];
/** Sideways distances from the line (beyond the label's own half extent). */
const ASIDE = [3, 12];

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** A grid of boxes for quick overlap tests. */
class Grid {
  private readonly cells = new Map<string, Box[]>();
  constructor(private readonly size = 80) {}
  private keys(b: Box): string[] {
    const out: string[] = [];
    const s = this.size;
    for (let i = Math.floor((b.x - GAP) / s); i <= Math.floor((b.x + b.width + GAP) / s); i++)
      for (let j = Math.floor((b.y - GAP) / s); j <= Math.floor((b.y + b.height + GAP) / s); j++) out.push(`${i},${j}`);
    return out;
  }
  add(b: Box): void {
    for (const k of this.keys(b)) {
      const l = this.cells.get(k);
      if (l) l.push(b);
      else this.cells.set(k, [b]);
    }
  }
  hits(b: Box): boolean {
    for (const k of this.keys(b)) for (const o of this.cells.get(k) ?? []) if (overlaps(b, o)) return true;
    return false;
  }
}

/** Candidate boxes for one end's label of `width`, nearest to its port first. */
export function candidates(from: Pt, to: Pt, width: number, height = LABEL_HEIGHT): Box[] {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy);
  const u = len > 0 ? { x: dx / len, y: dy / len } : { x: 1, y: 0 };
  const n = { x: -u.y, y: u.x };
  // Half the label's extent along the line and across it.
  const halfAlong = (Math.abs(u.x) * width + Math.abs(u.y) * height) / 2;
  const halfAcross = (Math.abs(n.x) * width + Math.abs(n.y) * height) / 2;
  // An end's label stays on its own half of the line (past it, it would read as the other end's).
  const limit = Math.max(ALONG[0]!, len * 0.6 - 2 * halfAlong);
  const out: Box[] = [];
  for (const d of ALONG) {
    if (d > limit) break;
    for (const a of ASIDE)
      for (const side of [-1, 1]) {
        const c = { x: from.x + u.x * (d + halfAlong) + n.x * side * (halfAcross + a), y: from.y + u.y * (d + halfAlong) + n.y * side * (halfAcross + a) };
        out.push({ x: c.x - width / 2, y: c.y - height / 2, width, height });
      }
  }
  return out;
}

/**
 * Places every label. `obstacles` are boxes labels must stay clear of (nodes, frame
 * headers, rate badges); `measure` gives a text's width in flow units.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], measure: (text: string) => number): Map<string, PlacedLabel> {
  const grid = new Grid();
  for (const o of obstacles) grid.add(o);
  const out = new Map<string, PlacedLabel>();
  const sorted = [...requests].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  for (const r of sorted) {
    const texts = r.text && r.text !== r.short ? [r.text, r.short] : [r.short || r.text];
    let placed: PlacedLabel | undefined;
    for (const text of texts) {
      if (!text) continue;
      const width = Math.ceil(measure(text)) + 2;
      const spot = candidates(r.from, r.to, width).find((b) => !grid.hits(b));
      if (spot) {
        placed = { ...spot, text, shortened: text !== r.text };
        break;
      }
    }
    if (!placed) continue;
    grid.add(placed);
    out.set(r.key, placed);
  }
  return out;
}

/** True when any two of the boxes overlap (for tests and the DOM check). */
export function anyOverlap(boxes: readonly Box[]): [number, number] | undefined {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) return [i, j];
    }
  return undefined;
}
