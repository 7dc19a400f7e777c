// Pans (never zooms) so a canvas point is on screen, e.g. after click-to-add.
import type { ReactFlowInstance } from '@xyflow/react';
import type { XY } from '../model/layout';

const MARGIN = 90;

export function revealPoint(rf: Pick<ReactFlowInstance, 'flowToScreenPosition' | 'getViewport' | 'setCenter'>, point: XY): void {
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  if (!pane) return;
  const p = rf.flowToScreenPosition(point);
  const inside = p.x > pane.left + MARGIN && p.x < pane.right - MARGIN && p.y > pane.top + MARGIN && p.y < pane.bottom - MARGIN;
  if (!inside) void rf.setCenter(point.x, point.y, { zoom: rf.getViewport().zoom, duration: 200 });
}
