// Element status updates for one host, coalesced: at most one batch per interval (100 ms
// = ten a second) carrying only elements whose status changed, the latest status of each.
// The first change after a quiet spell goes out at once (no added latency); changes
// during the interval wait for its end and are merged. A `replace` batch (the full set,
// e.g. after a reconnect) supersedes whatever was pending.
import type { ElementStatus, LiveStatusUpdate } from '../../../shared/api/contract';

export interface CoalescerOptions {
  hostId: string;
  emit: (update: LiveStatusUpdate) => void;
  minIntervalMs?: number;
  now?: () => number;
}

export class Coalescer {
  private pending = new Map<string, ElementStatus>();
  private pendingReplace = false;
  private pendingAt: number | undefined;
  private lastFlush = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Batches emitted (for tests and benchmarks). */
  flushes = 0;

  constructor(private readonly opts: CoalescerOptions) {}

  private get interval(): number {
    return this.opts.minIntervalMs ?? 100;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Changed elements (or, with replace, every element of the host). `at`: observation time. */
  push(elements: readonly ElementStatus[], opts: { replace?: boolean; at?: number } = {}): void {
    if (this.disposed) return;
    if (opts.replace) {
      this.pending = new Map();
      this.pendingReplace = true;
    }
    for (const e of elements) this.pending.set(e.elementId, e);
    if (opts.at !== undefined) this.pendingAt = opts.at;
    if (this.pending.size === 0 && !this.pendingReplace) return;
    const wait = this.lastFlush + this.interval - this.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
      this.timer.unref?.();
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || (this.pending.size === 0 && !this.pendingReplace)) return;
    const update: LiveStatusUpdate = { hostId: this.opts.hostId, replace: this.pendingReplace, elements: [...this.pending.values()] };
    if (this.pendingAt !== undefined) update.at = new Date(this.pendingAt).toISOString();
    this.pending = new Map();
    this.pendingReplace = false;
    this.pendingAt = undefined;
    this.lastFlush = this.now();
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
