// Element status updates for one host, coalesced: only elements whose status changed, the
// latest status of each, in at most ~11 batches a second. State changes (presence, link
// state, drift, rules) go out at once when nothing was sent in the last 100 ms, else at
// the end of that interval; changes that only move traffic rates wait up to a second and
// ride along with the next batch, so a second of busy counters never delays a link going
// down. A `replace` batch (the full set, e.g. after a reconnect) supersedes pending ones.
import type { ElementStatus, LiveStatusUpdate } from '../../../shared/api/contract';

export interface CoalescerOptions {
  hostId: string;
  emit: (update: LiveStatusUpdate) => void;
  /** Minimum time between two state batches (default 100 ms). */
  minIntervalMs?: number;
  /** Minimum time between two batches carrying only rate changes (default 1000 ms). */
  ratesIntervalMs?: number;
  now?: () => number;
}

export class Coalescer {
  private pending = new Map<string, ElementStatus>();
  /** Pending entries whose change is about rates only. */
  private ratesOnly = new Set<string>();
  private pendingReplace = false;
  private pendingAt: number | undefined;
  private lastFlush = -Infinity;
  private lastRatesFlush = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private disposed = false;
  /** Batches emitted (for tests and benchmarks). */
  flushes = 0;

  constructor(private readonly opts: CoalescerOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * Changed elements (or, with replace, every element of the host). `at`: observation time.
   * `ratesOnly`: these elements changed only in rxRate/txRate/rule rates.
   */
  push(elements: readonly ElementStatus[], opts: { replace?: boolean; at?: number; ratesOnly?: ReadonlySet<string> } = {}): void {
    if (this.disposed) return;
    if (opts.replace) {
      this.pending = new Map();
      this.ratesOnly.clear();
      this.pendingReplace = true;
    }
    for (const e of elements) {
      const wasState = this.pending.has(e.elementId) && !this.ratesOnly.has(e.elementId);
      this.pending.set(e.elementId, e);
      if (!opts.replace && opts.ratesOnly?.has(e.elementId) && !wasState) this.ratesOnly.add(e.elementId);
      else this.ratesOnly.delete(e.elementId);
    }
    if (opts.at !== undefined) this.pendingAt = opts.at;
    this.schedule();
  }

  private schedule(): void {
    if (this.pending.size === 0 && !this.pendingReplace) return;
    const state = this.pendingReplace || this.pending.size > this.ratesOnly.size;
    const due = state ? this.lastFlush + (this.opts.minIntervalMs ?? 100) : Math.max(this.lastFlush + (this.opts.minIntervalMs ?? 100), this.lastRatesFlush + (this.opts.ratesIntervalMs ?? 1000));
    const now = this.now();
    if (due <= now) return this.flush();
    if (this.timer && this.timerAt <= due) return;
    clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.flush();
    }, due - now);
    this.timer.unref?.();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.disposed || (this.pending.size === 0 && !this.pendingReplace)) return;
    const update: LiveStatusUpdate = { hostId: this.opts.hostId, replace: this.pendingReplace, elements: [...this.pending.values()] };
    if (this.pendingAt !== undefined) update.at = new Date(this.pendingAt).toISOString();
    const now = this.now();
    if (this.ratesOnly.size > 0) this.lastRatesFlush = now;
    this.pending = new Map();
    this.ratesOnly.clear();
    this.pendingReplace = false;
    this.pendingAt = undefined;
    this.lastFlush = now;
    this.flushes++;
    this.opts.emit(update);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
