// Remembered window size and position, checked against the screens that exist now: a
// window saved on an unplugged monitor comes back on a visible one. Pure.
import { z } from 'zod';

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(150).max(20_000),
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false),
});
export type WindowState = z.output<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MIN_SIZE = { width: 900, height: 600 };
/** How much of the title bar must be on a screen for the saved position to be used. */
const VISIBLE = 64;

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return { w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x), h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) };
}

/** Bounds to open with: the saved ones if a usable part is on a screen; else the default size, centered by the caller. */
export function restoreBounds(saved: WindowState | undefined, workAreas: readonly Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean; fullScreen: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false, fullScreen: false };
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.w >= Math.min(VISIBLE, saved.width) && o.h > 0;
  });
  const largest = workAreas.reduce((m, a) => ({ width: Math.max(m.width, a.width), height: Math.max(m.height, a.height) }), { width: 0, height: 0 });
  const width = Math.max(MIN_SIZE.width, largest.width ? Math.min(saved.width, largest.width) : saved.width);
  const height = Math.max(MIN_SIZE.height, largest.height ? Math.min(saved.height, largest.height) : saved.height);
  return {
    bounds: visible ? { x: saved.x, y: saved.y, width, height } : { width, height },
    maximized: saved.maximized,
    fullScreen: saved.fullScreen,
  };
}
