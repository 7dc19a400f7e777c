// Works out every veth end label's spot at once (see labelPlacement.ts) whenever the
// geometry, the links or their texts change, and hands the spots to the edges through
// useLabels. Renders nothing. Large designs keep the simple per-edge spots.
import { useStore as useFlowStore, type InternalNode, type ReactFlowState } from '@xyflow/react';
import { useLayoutEffect, useMemo } from 'react';
import type { VethEnd } from '../../../../shared/model/schema';
import { FRAME_HEADER } from '../../model/kinds';
import { badgesOf } from '../../store/derived';
import { useEditor } from '../../store/designStore';
import { useLive } from '../../store/liveStore';
import type { Box } from '../geometry';
import { placeLabels, type LabelRequest } from '../labelPlacement';
import { segment } from './endpoints';
import { measureLabel, useLabels } from './labelStore';

/** Above this many nodes labels keep their simple per-edge spots (placement is O(n) per frame). */
export const PLACE_LABELS_UP_TO = 120;

/** The widest rate badge ("▲999 kB/s ▼999 kB/s") reserved at the middle of a watched link. */
export const RATE_SAMPLE = '▲99.9 kB/s ▼99.9 kB/s';

export function endText(end: VethEnd): { text: string; short: string } {
  const short = end.ifname ?? '';
  return { text: [short, end.addresses[0] ?? ''].filter(Boolean).join(' '), short };
}

/** A string that changes when any node moves or is resized (nodes are few here). */
function geometry(s: ReactFlowState): string {
  if (s.nodeLookup.size > PLACE_LABELS_UP_TO) return 'large';
  let sig = '';
  for (const n of s.nodeLookup.values()) {
    const p = n.internals.positionAbsolute;
    sig += `${n.id}:${p.x},${p.y},${n.measured.width ?? 0},${n.measured.height ?? 0};`;
  }
  return sig;
}

export function rateBox(p1: { x: number; y: number }, p2: { x: number; y: number }): Box {
  const w = measureLabel(RATE_SAMPLE) + 4;
  return { x: (p1.x + p2.x) / 2 - w / 2, y: (p1.y + p2.y) / 2 - 6, width: w, height: 12 };
}

/** Where a link's diagnostics badge sits: mid-edge, or beside the rate badge while watching. */
export function edgeBadgeSpot(p1: { x: number; y: number }, p2: { x: number; y: number }, watching: boolean): { x: number; y: number } {
  const mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
  if (!watching) return mid;
  const len = Math.hypot(p2.x - p1.x, p2.y - p1.y) || 1;
  const shift = Math.min(len / 4, measureLabel(RATE_SAMPLE) / 2 + 12);
  return { x: mid.x - ((p2.x - p1.x) / len) * shift, y: mid.y - ((p2.y - p1.y) / len) * shift };
}

export const EDGE_BADGE_R = 8;

export function LabelPlacer() {
  const sig = useFlowStore(geometry);
  const edges = useFlowStore((s) => s.edges);
  const veths = useEditor((s) => s.design.veths);
  const watching = useLive((s) => s.watch.state !== 'off');
  const badges = useEditor((s) => badgesOf(s.design));
  // The lookup is updated in place: `sig` says when it changed.
  const lookupNodes = useFlowStore((s) => s.nodeLookup);
  const result = useMemo(() => {
    if (sig === 'large') return undefined;
    const obstacles: Box[] = [];
    for (const n of lookupNodes.values()) {
      const p = n.internals.positionAbsolute;
      const w = n.measured.width ?? 0;
      const h = n.measured.height ?? 0;
      // A frame's body is free room; its header (name, kind, connection state) is not.
      if (n.type === 'host') obstacles.push({ x: p.x, y: p.y, width: w, height: FRAME_HEADER });
      // An element's live badge sits above its top edge and its port beside it.
      else obstacles.push({ x: p.x - 6, y: p.y - 12, width: w + 12, height: h + 16 });
    }
    const byId = new Map(veths.map((v) => [v.id, v]));
    const requests: LabelRequest[] = [];
    for (const e of edges) {
      if (e.type !== 'veth') continue;
      const v = byId.get(e.id);
      const a = lookupNodes.get(e.source) as InternalNode | undefined;
      const b = lookupNodes.get(e.target) as InternalNode | undefined;
      if (!v || !a || !b) continue;
      const { p1, p2 } = segment(a, b);
      if (watching) obstacles.push(rateBox(p1, p2));
      if (badges.has(e.id)) {
        const c = edgeBadgeSpot(p1, p2, watching);
        obstacles.push({ x: c.x - EDGE_BADGE_R - 1, y: c.y - EDGE_BADGE_R - 1, width: 2 * EDGE_BADGE_R + 2, height: 2 * EDGE_BADGE_R + 2 });
      }
      requests.push({ key: `${e.id}.a`, from: p1, to: p2, ...endText(v.a) });
      requests.push({ key: `${e.id}.b`, from: p2, to: p1, ...endText(v.b) });
    }
    return placeLabels(requests, obstacles, measureLabel);
  }, [sig, lookupNodes, edges, veths, watching, badges]);
  useLayoutEffect(() => {
    useLabels.getState().set(result !== undefined, result ?? new Map());
  }, [result]);
  return null;
}
