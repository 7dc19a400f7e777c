// Where an edge attaches to a node: an element's border, or a host frame's root port.
import type { InternalNode } from '@xyflow/react';
import { FRAME_HEADER } from '../../model/kinds';
import { borderPoint, centre, type Box } from '../geometry';

export function endpointBox(n: InternalNode): Box {
  const p = n.internals.positionAbsolute;
  if (n.type === 'host') return { x: p.x, y: p.y + FRAME_HEADER / 2, width: 0, height: 0 };
  return { x: p.x, y: p.y, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 };
}

export function segment(a: InternalNode, b: InternalNode): { p1: { x: number; y: number }; p2: { x: number; y: number } } {
  const ab = endpointBox(a);
  const bb = endpointBox(b);
  return { p1: borderPoint(ab, centre(bb)), p2: borderPoint(bb, centre(ab)) };
}
