// A veth pair: a straight line between its two ends with each end's kernel name (and
// address) next to its port, at a spot worked out for all links at once so that no labels
// collide (LabelPlacer). Addresses hide below a zoom level (shown on hover and selection);
// all labels disappear when zoomed far out. Rates sit in one badge at mid-edge.
import { BaseEdge, useInternalNode, useStore as useFlowStore, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Veth, VethEnd } from '../../../../shared/model/schema';
import { describeImpair, impairs } from '../../../../shared/compile/impair';
import { vethById } from '../../model/lookup';
import { vethDegree } from '../../model/relations';
import { useEditor } from '../../store/designStore';
import { useLive } from '../../store/liveStore';
import type { CanvasEdge } from '../derive';
import { endLabelSpot } from '../geometry';
import { useBadge, useSimplified } from '../hooks';
import { candidates, type PlacedLabel } from '../labelPlacement';
import { segment } from './endpoints';
import { EDGE_BADGE_R, edgeBadgeSpot, endText } from './LabelPlacer';
import { measureLabel, useLabels } from './labelStore';
import { LinkRates } from './LinkRates';

const MAX_LABELLED_LINKS = 8;

/** Below this zoom an end label shows its name only (the address on hover and selection). */
export const ADDRESSES_FROM_ZOOM = 0.8;

function endLabel(end: VethEnd): string {
  return [end.ifname ?? '', end.addresses[0] ?? ''].filter(Boolean).join(' ');
}

function PlacedEndLabel({ spot, end, testId, forced }: { spot: PlacedLabel; end: VethEnd; testId: string; forced?: boolean }) {
  const { short } = endText(end);
  const addr = spot.shortened ? '' : (end.addresses[0] ?? '');
  return (
    <text className={`end-label${forced ? ' forced' : ''}`} x={spot.x + 1} y={spot.y + 9} data-testid={testId}>
      {short && <tspan className="ifn">{short}</tspan>}
      {addr && <tspan className="addr">{short ? ` ${addr}` : addr}</tspan>}
    </text>
  );
}

/** A selected link's label that found no free spot: drawn at its nearest spot anyway. */
function forcedSpot(end: VethEnd, from: { x: number; y: number }, to: { x: number; y: number }): PlacedLabel | undefined {
  const { text } = endText(end);
  if (!text) return undefined;
  const width = Math.ceil(measureLabel(text)) + 2;
  const b = candidates(from, to, width)[0];
  return b ? { ...b, text, shortened: false } : undefined;
}

/** A link's diagnostics badge, drawn like a node's (worst severity, count). */
function EdgeBadge({ id, badge, at }: { id: string; badge: string; at: { x: number; y: number } }) {
  const [severity, count] = badge.split(':');
  return (
    <g className={`edge-badge diag-${severity}`} data-testid={`edge-badge-${id}`} data-severity={severity} transform={`translate(${at.x} ${at.y})`}>
      <title>{`${count} ${severity}${count === '1' ? '' : 's'}: see Problems`}</title>
      <circle r={EDGE_BADGE_R} />
      <text y={3.5} textAnchor="middle">
        {severity === 'error' ? '!' : severity === 'warning' ? '▲' : 'i'}
      </text>
    </g>
  );
}

/** The link's impairments in a few words ("a→b 1000 kbit/s; b→a delay 40 ms"), or undefined for none. */
function impairText(v: Veth): string | undefined {
  if (impairs(v.impair)) return describeImpair(v.impair);
  const a = impairs(v.a.impair) ? `a→b ${describeImpair(v.a.impair)}` : undefined;
  const b = impairs(v.b.impair) ? `b→a ${describeImpair(v.b.impair)}` : undefined;
  return a && b ? `${a}; ${b}` : (a ?? b);
}

function VethEdgeView({ id, source, target, selected }: EdgeProps<CanvasEdge>) {
  const a = useInternalNode(source);
  const b = useInternalNode(target);
  const veth = useEditor((s) => vethById(s.design, id));
  const badge = useBadge(id);
  const simplified = useSimplified();
  // A hub's labels would pile up on top of each other: name only the far end there.
  const crowdedA = useEditor((s) => (vethDegree(s.design).get(source) ?? 0) > MAX_LABELLED_LINKS);
  const crowdedB = useEditor((s) => (vethDegree(s.design).get(target) ?? 0) > MAX_LABELLED_LINKS);
  const liveA = useLive((s) => s.elements.get(`${id}.a`)?.operState);
  const liveB = useLive((s) => s.elements.get(`${id}.b`)?.operState);
  const presence = useLive((s) => s.elements.get(id)?.presence);
  const placing = useLabels((s) => s.active);
  const spotA = useLabels((s) => s.placed.get(`${id}.a`));
  const spotB = useLabels((s) => s.placed.get(`${id}.b`));
  const compact = useFlowStore((s) => s.transform[2] < ADDRESSES_FROM_ZOOM);
  const watching = useLive((s) => s.watch.state !== 'off');
  if (!a || !b || !veth) return null;
  const { p1, p2 } = segment(a, b);
  const severity = badge.split(':')[0];
  const la = endLabelSpot(p1, p2);
  const lb = endLabelSpot(p2, p1);
  const down = liveA === 'down' || liveB === 'down';
  const impaired = impairText(veth);
  const liveCls = presence ? ` live-${presence}${down ? ' live-down' : presence === 'present' && liveA === 'up' && liveB === 'up' ? ' live-up' : ''}` : '';
  return (
    <>
      <BaseEdge
        id={id}
        path={`M ${p1.x} ${p1.y} L ${p2.x} ${p2.y}`}
        className={`veth-edge${selected ? ' selected' : ''}${severity ? ` has-${severity}` : ''}${liveCls}`}
        interactionWidth={14}
      />
      {!simplified && (
        <g className={`edge-labels${compact && !selected ? ' compact' : ''}`} data-testid={`edge-${id}`} data-presence={presence} data-down={down ? 'true' : undefined}>
          {placing ? (
            <>
              {(spotA ?? (selected ? forcedSpot(veth.a, p1, p2) : undefined)) && (
                <PlacedEndLabel spot={(spotA ?? forcedSpot(veth.a, p1, p2))!} end={veth.a} testId={`label-${id}.a`} forced={!spotA} />
              )}
              {(spotB ?? (selected ? forcedSpot(veth.b, p2, p1) : undefined)) && (
                <PlacedEndLabel spot={(spotB ?? forcedSpot(veth.b, p2, p1))!} end={veth.b} testId={`label-${id}.b`} forced={!spotB} />
              )}
            </>
          ) : (
            <>
              {!crowdedA && (
                <text className="end-label" x={la.x} y={la.y} textAnchor={la.anchor}>
                  {endLabel(veth.a)}
                </text>
              )}
              {!crowdedB && (
                <text className="end-label" x={lb.x} y={lb.y} textAnchor={lb.anchor}>
                  {endLabel(veth.b)}
                </text>
              )}
            </>
          )}
          {liveA && <circle className={`end-dot oper-${liveA}`} cx={p1.x} cy={p1.y} r={4} data-testid={`end-${id}.a`} data-oper={liveA} />}
          {liveB && <circle className={`end-dot oper-${liveB}`} cx={p2.x} cy={p2.y} r={4} data-testid={`end-${id}.b`} data-oper={liveB} />}
          {presence && <LinkRates id={id} x={(p1.x + p2.x) / 2} y={(p1.y + p2.y) / 2} />}
          {impaired && (
            <text className="end-label impair-mark" x={(p1.x + p2.x) / 2} y={(p1.y + p2.y) / 2 - 14} textAnchor="middle" data-testid={`impair-${id}`}>
              ⏱ {impaired}
            </text>
          )}
          {severity && <EdgeBadge id={id} badge={badge} at={edgeBadgeSpot(p1, p2, watching)} />}
        </g>
      )}
    </>
  );
}

export const VethEdge = memo(VethEdgeView);
