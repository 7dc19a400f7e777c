// Traffic rates are per-second figures (the backend reads counters at 1 Hz); redrawing
// every rate label on every status batch (up to ten a second) would cost frames for
// nothing. Rate labels read the live store when this clock ticks: once a second, and not
// while the canvas is being dragged or panned.
import { create } from 'zustand';

export const RATE_REFRESH_MS = 1000;

interface RateClock {
  tick: number;
  /** The user is dragging or panning: labels keep what they show. */
  busy: boolean;
  setBusy(busy: boolean): void;
}

export const useRateClock = create<RateClock>()((set) => ({
  tick: 0,
  busy: false,
  setBusy(busy) {
    set({ busy });
  },
}));

let timer: ReturnType<typeof setInterval> | undefined;
let users = 0;

/** Starts the clock while at least one rate label is mounted. */
export function retainRateClock(): () => void {
  users++;
  timer ??= setInterval(() => {
    const s = useRateClock.getState();
    if (!s.busy) useRateClock.setState({ tick: s.tick + 1 });
  }, RATE_REFRESH_MS);
  return () => {
    users--;
    if (users === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
