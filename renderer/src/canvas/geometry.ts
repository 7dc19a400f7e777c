// Floating-edge geometry: where the line between two node centres crosses each node's border.
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Point on the border of `b` along the ray from its centre towards `toward`. */
export function borderPoint(b: Box, toward: { x: number; y: number }): { x: number; y: number } {
  const c = centre(b);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : b.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

/** A point `dist` along the segment from `from` toward `to` (clamped to the middle). */
export function along(from: { x: number; y: number }, to: { x: number; y: number }, dist: number): { x: number; y: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const d = Math.min(dist, len / 2);
  return { x: from.x + (dx / len) * d, y: from.y + (dy / len) * d };
}

/**
 * Where to put an end's label so it reads away from its node: beside the line, anchored
 * at the end nearest the node (start/end for mostly horizontal lines, centred for vertical).
 */
export function endLabelSpot(from: { x: number; y: number }, to: { x: number; y: number }): { x: number; y: number; anchor: 'start' | 'middle' | 'end' } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (Math.abs(dx) >= Math.abs(dy)) {
    const p = along(from, to, 8);
    return { x: p.x, y: p.y - 6, anchor: dx >= 0 ? 'start' : 'end' };
  }
  const p = along(from, to, 22);
  return { x: p.x + 6, y: p.y + 3, anchor: 'start' };
}
