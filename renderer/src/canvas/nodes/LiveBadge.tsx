// A node's live status badge: present / missing / drifted / foreign / unknown, with the
// link state and the first drift line in its tooltip. Subscribes to its own element only.
import { memo } from 'react';
import { PRESENCE_HINT, PRESENCE_TEXT } from '../../live/format';
import { useLiveStatus } from '../hooks';

function LiveBadgeView({ id }: { id: string }) {
  const s = useLiveStatus(id);
  if (!s) return null;
  const title = [`${PRESENCE_TEXT[s.presence]}: ${PRESENCE_HINT[s.presence]}`, s.operState ? `link ${s.operState}` : '', ...(s.drift ?? []).slice(0, 4)].filter(Boolean).join('\n');
  return (
    <span className={`live-badge live-${s.presence}`} data-testid="live-badge" data-presence={s.presence} title={title}>
      {PRESENCE_TEXT[s.presence]}
      {s.operState === 'down' && ' · down'}
    </span>
  );
}

export const LiveBadge = memo(LiveBadgeView);
