// Zoomed far out on a large design, elements are not React Flow nodes at all: one SVG in
// flow coordinates draws every element as a tinted box and every veth as a line. Mounting
// thousands of node components is what makes a big design slow to show in full; this
// layer costs one component. Host frames stay real nodes (drag, select, fit). Live status
// is drawn as one outline path per presence state, so a status batch for thousands of
// elements re-renders a handful of SVG paths, not thousands of nodes.
import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { ElementPresence } from '../../../shared/api/contract';
import type { Design } from '../../../shared/model/schema';
import { NODE_SIZE, type NodeKind } from '../model/kinds';
import { absolutePosition } from '../model/layout';
import { lookup } from '../model/lookup';
import { relations } from '../model/relations';
import { badgesOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { useLive } from '../store/liveStore';

type Box = { id: string; x: number; y: number; w: number; h: number; kind: NodeKind };

const PRESENCES: readonly ElementPresence[] = ['present', 'missing', 'drifted', 'foreign', 'unknown'];

const FILL: Partial<Record<NodeKind, string>> = {
  namespace: 'var(--ns)',
  bridge: 'var(--br)',
  nic: 'var(--nic)',
  macvlan: 'var(--sub)',
  ipvlan: 'var(--sub)',
  vlan: 'var(--sub)',
  vxlan: 'var(--sub)',
};

function overviewMarkup(design: Design) {
  const { byId } = lookup(design);
  const badges = badgesOf(design);
  const boxes = new Map<string, Omit<Box, 'id'>>();
  for (const [id, e] of byId) {
    if (e.kind === 'host' || e.kind === 'veth' || !e.hostId) continue;
    const p = absolutePosition(design, id);
    if (!p) continue;
    const size = NODE_SIZE[e.kind as Exclude<NodeKind, 'host'>];
    boxes.set(id, { x: p.x, y: p.y, w: size.width, h: size.height, kind: e.kind as NodeKind });
  }
  const lines: string[] = [];
  for (const r of relations(design)) {
    const a = boxes.get(r.source);
    const b = boxes.get(r.target);
    if (!a || !b) continue;
    lines.push(`M${a.x + a.w / 2} ${a.y + a.h / 2}L${b.x + b.w / 2} ${b.y + b.h / 2}`);
  }
  return { boxes: [...boxes.entries()].map(([id, b]) => ({ id, ...b, badge: badges.get(id)?.severity })), path: lines.join('') };
}

/** One outline path per presence state over the boxes the live store has a status for. */
function liveOutlines(boxes: readonly Box[], elements: ReadonlyMap<string, { presence: ElementPresence }>): Map<ElementPresence, string[]> {
  const parts = new Map<ElementPresence, string[]>();
  for (const b of boxes) {
    const presence = elements.get(b.id)?.presence;
    if (!presence) continue;
    let list = parts.get(presence);
    if (!list) parts.set(presence, (list = []));
    list.push(`M${b.x - 6} ${b.y - 6}h${b.w + 12}v${b.h + 12}h${-(b.w + 12)}Z`);
  }
  return parts;
}

function OverviewLive({ boxes }: { boxes: readonly Box[] }) {
  const version = useLive((s) => s.version);
  const elements = useLive((s) => s.elements);
  // `elements` is updated in place; `version` is what says it changed.
  const outlines = useMemo(() => liveOutlines(boxes, elements), [boxes, elements, version]);
  return (
    <>
      {PRESENCES.map((p) => {
        const list = outlines.get(p);
        return list && <path key={p} d={list.join('')} className={`overview-live live-${p}`} data-testid={`overview-live-${p}`} data-count={list.length} />;
      })}
    </>
  );
}

function OverviewView() {
  const design = useEditor((s) => s.design);
  const { boxes, path } = useMemo(() => overviewMarkup(design), [design]);
  return (
    <ViewportPortal>
      <svg className="overview" data-testid="overview" style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible', pointerEvents: 'none' }} width={1} height={1}>
        <path d={path} className="overview-edges" />
        {boxes.map((b) => (
          <rect
            key={b.id}
            x={b.x}
            y={b.y}
            width={b.w}
            height={b.h}
            rx={8}
            fill={FILL[b.kind] ?? 'var(--svc)'}
            className={b.badge ? `overview-node has-${b.badge}` : 'overview-node'}
          />
        ))}
        <OverviewLive boxes={boxes} />
      </svg>
    </ViewportPortal>
  );
}

export const OverviewLayer = memo(OverviewView);
