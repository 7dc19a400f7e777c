// Traffic rates from interface counters between two observations. Pure and bounded: the
// tracker keeps exactly one sample per interface present in the latest observation of
// its namespace (an interface that disappears is forgotten with its namespace's next
// sample), so memory follows the host's current size, never its history.
//
// A link is keyed by namespace + ifindex + name: a deleted and re-created interface (new
// ifindex) or a counter that went backwards starts over instead of giving a huge or
// negative rate.
import type { LinkStats, ObservedLink } from './types';

export interface LinkRate {
  /** Bytes per second received / sent by THIS interface (veth ends mirror each other). */
  rxBps: number;
  txBps: number;
  rxPps: number;
  txPps: number;
  /** Seconds between the two samples the rate was computed from. */
  interval: number;
}

interface Sample {
  ifindex: number;
  at: number;
  stats: LinkStats;
}

function key(ifname: string, ifindex: number): string {
  return `${ifindex}\u0000${ifname}`;
}

/** Rates rounded to three significant digits, so noise does not count as a change. */
export function roundRate(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 0;
  if (x < 1) return Math.round(x * 100) / 100;
  const digits = Math.floor(Math.log10(x)) + 1;
  const scale = 10 ** Math.max(0, digits - 3);
  return Math.round(x / scale) * scale;
}

export class RateTracker {
  /** netns name -> (ifindex+name -> last sample). */
  private readonly samples = new Map<string, Map<string, Sample>>();
  /** netns name -> (ifname -> last computed rate). */
  private readonly rates = new Map<string, Map<string, LinkRate>>();

  /**
   * Feed one observation of a namespace's links taken at `atMs` (milliseconds, any
   * monotonic-enough clock; the host's clock when known). Links without stats are ignored
   * (their previous rate is kept until a sample with stats replaces it or they vanish).
   */
  observe(ns: string, links: readonly ObservedLink[], atMs: number): void {
    const prev = this.samples.get(ns) ?? new Map<string, Sample>();
    const next = new Map<string, Sample>();
    const prevRates = this.rates.get(ns);
    const rates = new Map<string, LinkRate>();
    for (const l of links) {
      const k = key(l.ifname, l.ifindex);
      if (!l.stats) {
        const old = prev.get(k);
        if (old) next.set(k, old);
        const r = prevRates?.get(l.ifname);
        if (r) rates.set(l.ifname, r);
        continue;
      }
      const sample: Sample = { ifindex: l.ifindex, at: atMs, stats: l.stats };
      next.set(k, sample);
      const old = prev.get(k);
      if (!old) continue;
      const dt = (atMs - old.at) / 1000;
      if (!(dt > 0.05)) {
        // Two samples too close together say nothing new: keep the previous sample and rate.
        next.set(k, old);
        const r = prevRates?.get(l.ifname);
        if (r) rates.set(l.ifname, r);
        continue;
      }
      const d = (a: number, b: number) => (a >= b ? a - b : NaN);
      const rxB = d(l.stats.rxBytes, old.stats.rxBytes);
      const txB = d(l.stats.txBytes, old.stats.txBytes);
      const rxP = d(l.stats.rxPackets, old.stats.rxPackets);
      const txP = d(l.stats.txPackets, old.stats.txPackets);
      if ([rxB, txB, rxP, txP].some(Number.isNaN)) continue; // counters reset: start over
      rates.set(l.ifname, { rxBps: rxB / dt, txBps: txB / dt, rxPps: rxP / dt, txPps: txP / dt, interval: dt });
    }
    this.samples.set(ns, next);
    this.rates.set(ns, rates);
  }

  /** Forget a namespace that no longer exists. */
  forget(ns: string): void {
    this.samples.delete(ns);
    this.rates.delete(ns);
  }

  /** Keep only these namespaces (everything else is forgotten). */
  retain(namespaces: Iterable<string>): void {
    const keep = new Set(namespaces);
    for (const ns of [...this.samples.keys()]) if (!keep.has(ns)) this.forget(ns);
  }

  rate(ns: string, ifname: string): LinkRate | undefined {
    return this.rates.get(ns)?.get(ifname);
  }

  /** Number of interfaces tracked (for memory checks). */
  get size(): number {
    let n = 0;
    for (const m of this.samples.values()) n += m.size;
    return n;
  }
}

/** Counter delta per second between two readings of a rule counter (undefined when reset). */
export function counterRate(prev: { packets: number; bytes: number; at: number } | undefined, now: { packets: number; bytes: number; at: number }): { pps: number; bps: number } | undefined {
  if (!prev) return undefined;
  const dt = (now.at - prev.at) / 1000;
  if (!(dt > 0.05) || now.packets < prev.packets || now.bytes < prev.bytes) return undefined;
  return { pps: (now.packets - prev.packets) / dt, bps: (now.bytes - prev.bytes) / dt };
}
