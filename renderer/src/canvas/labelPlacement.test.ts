import { describe, expect, it } from 'vitest';
import { anyOverlap, candidates, placeLabels, type LabelRequest } from './labelPlacement';

const measure = (t: string) => t.length * 6;

describe('edge label placement', () => {
  it('starts next to the port and stays on its own half of the line', () => {
    const c = candidates({ x: 0, y: 0 }, { x: 200, y: 0 }, 40);
    expect(c[0]!.x).toBeGreaterThanOrEqual(0);
    expect(c[0]!.x).toBeLessThan(20);
    for (const b of c) expect(b.x + b.width).toBeLessThanOrEqual(120 + 1);
  });

  it('two links leaving one node side by side never print on top of each other (issue 12: "eth0eth0 172.18.0.3/16")', () => {
    // A bridge above two namespaces: both links leave the bridge's bottom at almost the same point.
    const bridge = { x: 100, y: 0, width: 160, height: 50 };
    const ns1 = { x: 0, y: 200, width: 160, height: 50 };
    const ns2 = { x: 200, y: 200, width: 160, height: 50 };
    const req: LabelRequest[] = [
      { key: 'v1.a', from: { x: 80, y: 200 }, to: { x: 175, y: 50 }, text: 'eth0 172.18.0.2/16', short: 'eth0' },
      { key: 'v1.b', from: { x: 175, y: 50 }, to: { x: 80, y: 200 }, text: 'v-ns1', short: 'v-ns1' },
      { key: 'v2.a', from: { x: 280, y: 200 }, to: { x: 185, y: 50 }, text: 'eth0 172.18.0.3/16', short: 'eth0' },
      { key: 'v2.b', from: { x: 185, y: 50 }, to: { x: 280, y: 200 }, text: 'v-ns2', short: 'v-ns2' },
    ];
    const placed = placeLabels(req, [bridge, ns1, ns2], measure);
    expect(placed.size).toBe(4);
    const boxes = [...placed.values()];
    expect(anyOverlap(boxes)).toBeUndefined();
    for (const b of boxes) for (const n of [bridge, ns1, ns2]) expect(anyOverlap([b, n])).toBeUndefined();
  });

  it('a crowded hub: labels shorten or stay hidden rather than overlap, and the result does not depend on input order', () => {
    const hub = { x: 0, y: 0, width: 40, height: 40 };
    const req: LabelRequest[] = [];
    for (let i = 0; i < 24; i++) {
      const a = (i / 24) * 2 * Math.PI;
      const from = { x: 20 + Math.cos(a) * 20, y: 20 + Math.sin(a) * 20 };
      const to = { x: 20 + Math.cos(a) * 160, y: 20 + Math.sin(a) * 160 };
      req.push({ key: `v${String(i).padStart(2, '0')}.b`, from, to, text: `v-ns${i} 10.0.${i}.1/24`, short: `v-ns${i}` });
    }
    const placed = placeLabels(req, [hub], measure);
    expect(anyOverlap([...placed.values()])).toBeUndefined();
    expect(placed.size).toBeGreaterThan(8);
    const again = placeLabels([...req].reverse(), [hub], measure);
    expect([...again.entries()].sort()).toEqual([...placed.entries()].sort());
  });
});
