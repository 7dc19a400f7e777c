// A veth pair: a straight line between its two ends with each end's kernel name (and the
// namespace side's address) next to it. Labels disappear when zoomed out.
import { BaseEdge, useInternalNode, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { VethEnd } from '../../../../shared/model/schema';
import { vethById } from '../../model/lookup';
import { vethDegree } from '../../model/relations';
import { useEditor } from '../../store/designStore';
import { useLive } from '../../store/liveStore';
import type { CanvasEdge } from '../derive';
import { endLabelSpot } from '../geometry';
import { useBadge, useSimplified } from '../hooks';
import { segment } from './endpoints';
import { LinkRates } from './LinkRates';

const MAX_LABELLED_LINKS = 8;

function endLabel(end: VethEnd): string {
  return [end.ifname ?? '', end.addresses[0] ?? ''].filter(Boolean).join(' ');
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
  if (!a || !b || !veth) return null;
  const { p1, p2 } = segment(a, b);
  const severity = badge.split(':')[0];
  const la = endLabelSpot(p1, p2);
  const lb = endLabelSpot(p2, p1);
  const down = liveA === 'down' || liveB === 'down';
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
        <g className="edge-labels" data-testid={`edge-${id}`} data-presence={presence} data-down={down ? 'true' : undefined}>
          {!crowdedA && (
            <text x={la.x} y={la.y} textAnchor={la.anchor}>
              {endLabel(veth.a)}
            </text>
          )}
          {!crowdedB && (
            <text x={lb.x} y={lb.y} textAnchor={lb.anchor}>
              {endLabel(veth.b)}
            </text>
          )}
          {liveA && <circle className={`end-dot oper-${liveA}`} cx={p1.x} cy={p1.y} r={4} data-testid={`end-${id}.a`} data-oper={liveA} />}
          {liveB && <circle className={`end-dot oper-${liveB}`} cx={p2.x} cy={p2.y} r={4} data-testid={`end-${id}.b`} data-oper={liveB} />}
          {presence && <LinkRates id={id} x={(p1.x + p2.x) / 2} y={(p1.y + p2.y) / 2} />}
        </g>
      )}
    </>
  );
}

export const VethEdge = memo(VethEdgeView);
