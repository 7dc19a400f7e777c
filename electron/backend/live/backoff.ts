// Exponential back-off with jitter for reconnects: 250 ms, 500 ms, 1 s ... up to a cap,
// reset once things have worked for a while.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Fraction of random spread (0..1) so many hosts do not retry in lockstep. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initial: number;
  private readonly max: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initial = opts.initialMs ?? 250;
    this.max = opts.maxMs ?? 30_000;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next attempt (and count it). */
  next(): number {
    const base = Math.min(this.max, this.initial * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const spread = base * this.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
