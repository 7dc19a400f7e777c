// Whether a long run leaks: the heap (sampled after a forced GC) over time, judged after a
// warm-up. Growth while JIT code, bounded caches and pools fill up is expected and stops;
// a leak keeps going. So the first part of the run is left out and what is judged is the
// least-squares slope of the rest, projected over that window: a flat tail passes however
// much the warm-up took, a steady climb fails however small the first samples were.
export interface HeapSample {
  /** Seconds since the start. */
  t: number;
  /** Bytes in use after GC. */
  heap: number;
}

export interface HeapTrend {
  /** Bytes per second over the judged window (after the warm-up). */
  slope: number;
  /** slope x the window's length: what the heap gained in it. */
  growth: number;
  /** The judged window, seconds. */
  window: number;
  samples: number;
}

/** The trend after dropping the first `warmup` fraction of the samples (at least 6 must be left). */
export function heapTrend(samples: readonly HeapSample[], warmup = 1 / 3): HeapTrend {
  const rest = samples.slice(Math.floor(samples.length * warmup));
  if (rest.length < 6) throw new Error(`too few heap samples after warm-up (${rest.length}); sample more often`);
  const n = rest.length;
  const mt = rest.reduce((s, x) => s + x.t, 0) / n;
  const mh = rest.reduce((s, x) => s + x.heap, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of rest) {
    num += (x.t - mt) * (x.heap - mh);
    den += (x.t - mt) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  const window = rest[n - 1]!.t - rest[0]!.t;
  return { slope, growth: slope * window, window, samples: n };
}
