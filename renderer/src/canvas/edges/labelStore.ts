// Where each veth end's label is drawn (worked out for all links at once by LabelPlacer).
// A store of its own: edges subscribe to their own two entries, and an entry keeps its
// identity while its spot is unchanged, so only edges whose labels moved re-render.
import { create } from 'zustand';
import type { PlacedLabel } from '../labelPlacement';

export interface LabelsState {
  /** False when the design is too large to place labels globally (old per-edge spots are used). */
  active: boolean;
  placed: ReadonlyMap<string, PlacedLabel>;
  set(active: boolean, placed: ReadonlyMap<string, PlacedLabel>): void;
}

function same(a: PlacedLabel, b: PlacedLabel): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.text === b.text && a.shortened === b.shortened;
}

export const useLabels = create<LabelsState>()((set, get) => ({
  active: false,
  placed: new Map(),
  set(active, placed) {
    const old = get().placed;
    const next = new Map<string, PlacedLabel>();
    for (const [k, v] of placed) {
      const o = old.get(k);
      next.set(k, o && same(o, v) ? o : v);
    }
    set({ active, placed: next });
  },
}));

let ctx: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();

/** Width of an edge label's text (10px in the page's font), in flow units. */
export function measureLabel(text: string): number {
  const known = widths.get(text);
  if (known !== undefined) return known;
  if (ctx === undefined) {
    ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (ctx) ctx.font = `10px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
  }
  const w = ctx ? ctx.measureText(text).width : text.length * 6;
  if (widths.size > 5000) widths.clear();
  widths.set(text, w);
  return w;
}
