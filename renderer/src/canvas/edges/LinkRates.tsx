// Traffic on a veth, drawn at the middle of its line: what end a sends and receives per
// second (the other end mirrors it). Its own subscription, so rate updates re-render only
// this label, not the edge.
import { memo } from 'react';
import { rate } from '../../live/format';
import { useLive } from '../../store/liveStore';

function LinkRatesView({ id, x, y }: { id: string; x: number; y: number }) {
  const tx = useLive((s) => s.elements[id]?.txRate);
  const rx = useLive((s) => s.elements[id]?.rxRate);
  if (tx === undefined && rx === undefined) return null;
  return (
    <text className="link-rates" x={x} y={y - 5} textAnchor="middle" data-testid={`rates-${id}`}>
      <title>Traffic at end a: sent ▲ / received ▼ per second</title>▲{rate(tx)} ▼{rate(rx)}
    </text>
  );
}

export const LinkRates = memo(LinkRatesView);
