// A reference between elements (lives in a namespace, bridge port, parent NIC): dashed.
import { BaseEdge, useInternalNode, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { CanvasEdge } from '../derive';
import { segment } from './endpoints';

function RefEdgeView({ id, source, target, selected, data }: EdgeProps<CanvasEdge>) {
  const a = useInternalNode(source);
  const b = useInternalNode(target);
  if (!a || !b) return null;
  const { p1, p2 } = segment(a, b);
  return (
    <BaseEdge
      id={id}
      path={`M ${p1.x} ${p1.y} L ${p2.x} ${p2.y}`}
      className={`ref-edge ref-${data?.relation ?? 'ref'}${selected ? ' selected' : ''}`}
      interactionWidth={10}
    />
  );
}

export const RefEdge = memo(RefEdgeView);
