// The side panel's left edge: drag it (or focus it and use the arrow keys) to widen the
// panel, so long plan commands and drift tables fit. The width is kept for the next visit.
import { useCallback, useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';

const KEY = 'wireplan.sidePanelWidth';
export const SIDE_MIN = 300;
const SIDE_DEFAULT = 360;
/** At most this share of the window, so the canvas keeps room. */
const SIDE_MAX_SHARE = 0.7;

function clamp(width: number): number {
  const max = Math.max(SIDE_MIN, Math.floor(window.innerWidth * SIDE_MAX_SHARE));
  return Math.round(Math.min(max, Math.max(SIDE_MIN, width)));
}

function stored(): number {
  const v = Number(globalThis.localStorage?.getItem(KEY));
  return Number.isFinite(v) && v > 0 ? clamp(v) : SIDE_DEFAULT;
}

/** The panel's width and the handle that changes it. */
export function useSideWidth(): [number, (w: number) => void] {
  const [width, setWidth] = useState(stored);
  const set = useCallback((w: number) => {
    const c = clamp(w);
    setWidth(c);
    globalThis.localStorage?.setItem(KEY, String(c));
  }, []);
  // A smaller window must not leave the panel wider than its share.
  useEffect(() => {
    const onResize = () => setWidth((w) => clamp(w));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return [width, set];
}

export function SideResizer({ width, onWidth }: { width: number; onWidth: (w: number) => void }) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    // The panel sits at the right: moving the edge left widens it.
    const move = (ev: globalThis.PointerEvent) => onWidth(startWidth + (startX - ev.clientX));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 80 : 20;
    if (e.key === 'ArrowLeft') onWidth(width + step);
    else if (e.key === 'ArrowRight') onWidth(width - step);
    else if (e.key === 'Home') onWidth(SIDE_MIN);
    else return;
    e.preventDefault();
  };
  return (
    <div
      className="side-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Side panel width"
      aria-valuenow={width}
      aria-valuemin={SIDE_MIN}
      tabIndex={0}
      data-testid="side-resizer"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
