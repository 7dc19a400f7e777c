// Traffic on a veth, drawn at the middle of its line: what end a sends and receives per
// second (the other end mirrors it). Redrawn when the rate clock ticks (once a second, not
// during a drag or pan), so status batches and pointer moves do not re-render it.
import { memo, useEffect, useReducer } from 'react';
import { rate } from '../../live/format';
import { retainRateClock, useRateClock } from '../../live/rateClock';
import { useLive } from '../../store/liveStore';

function read(id: string) {
  const s = useLive.getState().elements.get(id);
  return { tx: s?.txRate, rx: s?.rxRate };
}

function LinkRatesView({ id, x, y }: { id: string; x: number; y: number }) {
  const tick = useRateClock((s) => s.tick);
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => retainRateClock(), []);
  // Show the first rates as soon as they exist, then follow the clock.
  const known = useLive((s) => s.elements.get(id)?.txRate !== undefined || s.elements.get(id)?.rxRate !== undefined);
  useEffect(() => refresh(), [known]);
  const { tx, rx } = read(id);
  void tick;
  if (tx === undefined && rx === undefined) return null;
  return (
    <text className="link-rates" x={x} y={y + 3.5} textAnchor="middle" data-testid={`rates-${id}`}>
      <title>Traffic at end a: sent ▲ / received ▼ per second</title>▲{rate(tx)} ▼{rate(rx)}
    </text>
  );
}

export const LinkRates = memo(LinkRatesView);
