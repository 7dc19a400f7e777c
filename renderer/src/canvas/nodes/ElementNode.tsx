// The canvas node for every element kind: icon, name, one-line summary, diagnostics badge,
// live status dot and a connection handle. Zoomed out, only a tinted box with the name.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, type ComponentType } from 'react';
import type { NodeKind } from '../../model/kinds';
import type { Entry } from '../../model/lookup';
import type { CanvasNode } from '../derive';
import { useBadge, useElement, useLivePresence, useSimplified } from '../hooks';
import { KindIcon } from '../icons';
import { summary } from '../summary';
import { DiagBadge } from './Badge';
import { LiveBadge } from './LiveBadge';
import { ProgramBadges } from './ProgramBadges';

function ElementNodeView({ id, type, selected }: NodeProps<CanvasNode>) {
  const kind = type as Exclude<NodeKind, 'host'>;
  const element = useElement(id);
  const badge = useBadge(id);
  const live = useLivePresence(id);
  const simplified = useSimplified();
  if (!element) return null;
  const name = (element as { name: string }).name;
  const cls = `el-node kind-${kind}${selected ? ' selected' : ''}${badge ? ` has-${badge.split(':')[0]}` : ''}${simplified ? ' simplified' : ''}${live ? ` el-live-${live} has-live` : ''}`;
  return (
    <div className={cls} data-testid={`node-${id}`} data-kind={kind} title={name}>
      {simplified ? (
        <span className="el-name">{name}</span>
      ) : (
        <>
          <span className="el-icon">
            <KindIcon kind={kind} size={20} />
          </span>
          <span className="el-text">
            <span className="el-name">{name}</span>
            <span className="el-sub">{summary({ id, kind, element, hostId: undefined } as Entry)}</span>
          </span>
          <DiagBadge badge={badge} />
          {live && <LiveBadge id={id} />}
          {live && kind === 'namespace' && <ProgramBadges id={id} />}
        </>
      )}
      <Handle type="source" position={Position.Right} id="p" className="port" isConnectableEnd />
    </div>
  );
}

const ElementNode = memo(ElementNodeView);

export const elementNodeTypes: Record<Exclude<NodeKind, 'host'>, ComponentType<NodeProps<CanvasNode>>> = {
  namespace: ElementNode,
  bridge: ElementNode,
  nic: ElementNode,
  macvlan: ElementNode,
  ipvlan: ElementNode,
  vlan: ElementNode,
  vxlan: ElementNode,
  masquerade: ElementNode,
  portForward: ElementNode,
  policy: ElementNode,
};
