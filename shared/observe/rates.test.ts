import { describe, expect, it } from 'vitest';
import { counterRate, RateTracker, roundRate } from './rates';
import type { ObservedLink } from './types';

function link(ifindex: number, ifname: string, rx: number, tx: number): ObservedLink {
  return { ifindex, ifname, kind: 'veth', detailed: true, flags: [], up: true, lowerUp: true, stats: { rxBytes: rx, rxPackets: rx / 100, txBytes: tx, txPackets: tx / 100 } };
}

describe('RateTracker', () => {
  it('computes per-second rates between two samples', () => {
    const t = new RateTracker();
    t.observe('', [link(3, 'v1', 1000, 500)], 0);
    expect(t.rate('', 'v1')).toBeUndefined();
    t.observe('', [link(3, 'v1', 3000, 1500)], 2000);
    expect(t.rate('', 'v1')).toMatchObject({ rxBps: 1000, txBps: 500, rxPps: 10, txPps: 5, interval: 2 });
  });

  it('starts over when an interface is re-created or its counters go back', () => {
    const t = new RateTracker();
    t.observe('', [link(3, 'v1', 1000, 1000)], 0);
    t.observe('', [link(9, 'v1', 5000, 5000)], 1000); // new ifindex: no rate from the old one
    expect(t.rate('', 'v1')).toBeUndefined();
    t.observe('', [link(9, 'v1', 100, 100)], 2000); // counters went back
    expect(t.rate('', 'v1')).toBeUndefined();
    t.observe('', [link(9, 'v1', 1100, 100)], 3000);
    expect(t.rate('', 'v1')?.rxBps).toBe(1000);
  });

  it('stays bounded: vanished interfaces and namespaces are forgotten', () => {
    const t = new RateTracker();
    for (let round = 0; round < 50; round++) {
      t.observe('ns', Array.from({ length: 10 }, (_, i) => link(100 + round * 10 + i, `c${round}-${i}`, round, round)), round * 1000);
      t.observe(`gone${round}`, [link(1, 'x', 0, 0)], round * 1000);
      t.retain(['ns']);
    }
    expect(t.size).toBe(10);
  });

  it('rounds rates to three significant digits', () => {
    expect(roundRate(123456)).toBe(123000);
    expect(roundRate(999.4)).toBe(999);
    expect(roundRate(0.123)).toBe(0.12);
    expect(roundRate(-5)).toBe(0);
    expect(counterRate({ packets: 10, bytes: 1000, at: 0 }, { packets: 30, bytes: 3000, at: 2000 })).toEqual({ pps: 10, bps: 1000 });
    expect(counterRate({ packets: 10, bytes: 1000, at: 0 }, { packets: 3, bytes: 300, at: 2000 })).toBeUndefined();
  });
});
