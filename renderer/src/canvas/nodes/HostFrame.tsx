// A host drawn as a frame that contains its elements. The header is the drag handle and
// carries the "root" port: connecting to it links to the host's root namespace.
import { Handle, NodeResizeControl, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { HostStatus } from '../../../../shared/api/contract';
import type { Host } from '../../../../shared/model/schema';
import { FRAME_MIN } from '../../model/kinds';
import { useEditor } from '../../store/designStore';
import { useLive } from '../../store/liveStore';
import type { CanvasNode } from '../derive';
import { useBadge, useElement } from '../hooks';
import { KindIcon } from '../icons';
import { DiagBadge } from './Badge';

function targetText(host: Host): string {
  return host.target.kind === 'sandbox' ? 'sandbox' : `${host.target.user}@${host.target.address}:${host.target.port}`;
}

function hostStatusTitle(s: HostStatus): string {
  return [
    s.connection,
    s.error ?? '',
    s.connection === 'rebooted' ? `boot id changed (${s.previousBootId ?? '?'} -> ${s.bootId ?? '?'}): state from before the reboot is gone` : '',
    s.observedAt ? `observed ${new Date(s.observedAt).toLocaleTimeString()}` : '',
    s.updates === 'polling' ? 'changes seen at the poll cadence only' : '',
    ...(s.foreign ?? []).map((f) => `foreign: ${f}`),
    ...(s.warnings ?? []),
  ]
    .filter(Boolean)
    .join('\n');
}

function HostFrameView({ id, selected }: NodeProps<CanvasNode>) {
  const host = useElement(id) as Host | undefined;
  const badge = useBadge(id);
  const status = useLive((s) => s.hosts[id]);
  const connection = status?.connection;
  const tag = useEditor((s) => s.design.tag);
  if (!host) return null;
  return (
    <div className={`host-frame${selected ? ' selected' : ''}${badge ? ` has-${badge.split(':')[0]}` : ''}`} data-testid={`node-${id}`} data-kind="host">
      <div className="frame-header frame-drag">
        <Handle type="source" position={Position.Left} id="root" className="port root-port" isConnectableEnd title="Host root namespace" />
        <span className="frame-root-label">root</span>
        <KindIcon kind="host" size={16} />
        <span className="frame-name">{host.name}</span>
        <span className="frame-target">{targetText(host)}</span>
        {connection && (
          <span className={`conn conn-${connection}`} data-testid="host-connection" data-connection={connection} title={hostStatusTitle(status!)}>
            {connection === 'rebooted' ? 'rebooted since last seen' : connection}
            {status!.foreign?.length ? ` · ${status!.foreign.length} foreign` : ''}
          </span>
        )}
        {status?.persistent && (
          <span className="conn conn-persistent" data-testid="host-persistent" title={`wireplan-${tag}.service is installed and enabled on this host: it rebuilds the design at boot (apply with "survive a reboot"; Destroy removes it)`}>
            persistent
          </span>
        )}
        <DiagBadge badge={badge} />
      </div>
      <NodeResizeControl
        position="bottom-right"
        minWidth={FRAME_MIN.width}
        minHeight={FRAME_MIN.height}
        className="frame-resize"
        onResizeEnd={(_e, p) => useEditor.getState().resizeFrame(id, { width: p.width, height: p.height })}
      />
    </div>
  );
}

export const HostFrame = memo(HostFrameView);
