// The minimap of a large design. React Flow's own minimap keeps one component per node,
// each with a store subscription that runs on every drag move and every pan frame: with
// thousands of nodes that is most of a frame's budget. This one draws from the design (one
// path per colour, recomputed only when the design changes) plus a viewport rectangle that
// follows the transform; click or drag in it to move the view there.
import { Panel, useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import { memo, useMemo, useRef, type PointerEvent } from 'react';
import type { Design } from '../../../shared/model/schema';
import { NODE_SIZE, type NodeKind } from '../model/kinds';
import { absolutePosition, frameRect } from '../model/layout';
import { lookup } from '../model/lookup';
import { useEditor } from '../store/designStore';

const WIDTH = 200;
const HEIGHT = 150;
const COLOR: Partial<Record<NodeKind, string>> = { namespace: '#4f7cff', bridge: '#1faa7a', nic: '#777' };
const OTHER = '#d08a2c';

interface Drawing {
  x: number;
  y: number;
  w: number;
  h: number;
  frames: string;
  paths: [string, string][];
}

function draw(design: Design): Drawing {
  const { byId } = lookup(design);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  const grow = (x: number, y: number, w: number, h: number) => {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x + w);
    y2 = Math.max(y2, y + h);
  };
  let frames = '';
  for (const h of design.hosts) {
    const r = frameRect(design, h.id);
    grow(r.x, r.y, r.width, r.height);
    frames += `M${r.x} ${r.y}h${r.width}v${r.height}h${-r.width}z`;
  }
  const byColor = new Map<string, string>();
  for (const [id, e] of byId) {
    if (e.kind === 'host' || e.kind === 'veth' || !e.hostId) continue;
    const p = absolutePosition(design, id);
    if (!p) continue;
    const s = NODE_SIZE[e.kind as Exclude<NodeKind, 'host'>];
    grow(p.x, p.y, s.width, s.height);
    const c = COLOR[e.kind as NodeKind] ?? OTHER;
    byColor.set(c, `${byColor.get(c) ?? ''}M${p.x} ${p.y}h${s.width}v${s.height}h${-s.width}z`);
  }
  if (!Number.isFinite(x1)) return { x: 0, y: 0, w: 1, h: 1, frames: '', paths: [] };
  return { x: x1, y: y1, w: Math.max(1, x2 - x1), h: Math.max(1, y2 - y1), frames, paths: [...byColor] };
}

function LargeMiniMapView() {
  const design = useEditor((s) => s.design);
  const d = useMemo(() => draw(design), [design]);
  const rf = useReactFlow();
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const vw = useFlowStore((s) => s.width);
  const vh = useFlowStore((s) => s.height);
  const dragging = useRef(false);
  // The visible part of the canvas in flow coordinates, and the box that shows both.
  const view = { x: -tx / zoom, y: -ty / zoom, w: vw / zoom, h: vh / zoom };
  const bx = Math.min(d.x, view.x);
  const by = Math.min(d.y, view.y);
  const bw = Math.max(d.x + d.w, view.x + view.w) - bx;
  const bh = Math.max(d.y + d.h, view.y + view.h) - by;
  const scale = Math.max(bw / WIDTH, bh / HEIGHT);
  const pad = 4 * scale;
  const moveTo = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = bx - pad + ((e.clientX - r.left) / r.width) * (bw + 2 * pad);
    const fy = by - pad + ((e.clientY - r.top) / r.height) * (bh + 2 * pad);
    void rf.setCenter(fx, fy, { zoom });
  };
  return (
    <Panel position="bottom-right" className="large-minimap" data-testid="large-minimap">
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${bx - pad} ${by - pad} ${bw + 2 * pad} ${bh + 2 * pad}`}
        preserveAspectRatio="xMidYMid meet"
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => dragging.current && moveTo(e)}
        onPointerUp={() => (dragging.current = false)}
      >
        <path d={d.frames} fill="rgba(120,130,150,0.18)" />
        {d.paths.map(([color, path]) => (
          <path key={color} d={path} fill={color} />
        ))}
        <rect x={view.x} y={view.y} width={view.w} height={view.h} className="large-minimap-view" strokeWidth={2 * scale} />
      </svg>
    </Panel>
  );
}

export const LargeMiniMap = memo(LargeMiniMapView);
