// A node's live status badge: present / missing / drifted / foreign / unknown, with the
// link state and the first drift lines in its tooltip. Subscribes to primitives of its
// own element only: rate changes (several a second) do not re-render it.
import { memo } from 'react';
import { PRESENCE_HINT, PRESENCE_TEXT } from '../../live/format';
import { useLive } from '../../store/liveStore';

function LiveBadgeView({ id }: { id: string }) {
  const presence = useLive((s) => s.elements.get(id)?.presence);
  const oper = useLive((s) => s.elements.get(id)?.operState);
  const drift = useLive((s) => s.elements.get(id)?.drift?.slice(0, 4).join('\n'));
  if (!presence) return null;
  const title = [`${PRESENCE_TEXT[presence]}: ${PRESENCE_HINT[presence]}`, oper ? `link ${oper}` : '', drift ?? ''].filter(Boolean).join('\n');
  return (
    <span className={`live-badge live-${presence}`} data-testid="live-badge" data-presence={presence} title={title}>
      {PRESENCE_TEXT[presence]}
      {oper === 'down' && ' · down'}
    </span>
  );
}

export const LiveBadge = memo(LiveBadgeView);
