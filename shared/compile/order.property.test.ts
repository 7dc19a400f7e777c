// Dependency order, for any drawing order: every command of a compiled plan, replayed in
// plan order against a model of the host, finds the namespace it runs in and every
// interface it names already made by an earlier command. (The real-kernel check of the
// same promise is tests/kernel/converge*.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignSchema, type Design, type DesignInput } from '../model/schema';
import { compile } from './compile';
import type { Command, HostPlan } from './plan';

interface Shape {
  namespaces: number;
  /** Where each bridge is: -1 the root namespace, else a namespace index. */
  bridges: number[];
  /** Each veth's ends: -1 root, 0..n-1 a namespace, 100+i bridge i. */
  veths: [number, number][];
  order: number[];
}

const shape: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    namespaces: fc.constant(n),
    bridges: fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 3 }),
    veths: fc.array(fc.tuple(fc.integer({ min: -1, max: n + 2 }), fc.integer({ min: -1, max: n + 2 })), { maxLength: 8 }),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  }),
);

function designOf(s: Shape): Design {
  const place = (p: number): string => (p === -1 ? 'h' : p < s.namespaces ? `n${p}` : `b${(p - s.namespaces) % Math.max(1, s.bridges.length)}`);
  const input: DesignInput = {
    wireplan: 2,
    tag: 'ord',
    name: 'order',
    hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }],
    namespaces: s.order.map((i) => ({ id: `n${i}`, name: `ns${i}`, host: 'h' })),
    bridges: s.bridges.map((at, i) => ({ id: `b${i}`, name: `br${i}`, at: at === -1 ? 'h' : `n${at}` })),
    veths: s.veths.map(([a, b], i) => ({
      id: `v${i}`,
      name: `v${i}`,
      a: { at: s.bridges.length || a < s.namespaces ? place(a) : 'h', ifname: `v${i}a` },
      b: { at: s.bridges.length || b < s.namespaces ? place(b) : 'h', ifname: `v${i}b` },
    })),
  };
  return DesignSchema.parse(input);
}

/** The namespace an `ip link add` puts the device (and its veth peer) in. */
function created(c: Command): [string, string][] {
  const a = c.argv;
  const peerAt = a.indexOf('peer');
  const nsOf = (from: number, to: number) => {
    const i = a.indexOf('netns', from);
    return i >= 0 && i < to ? a[i + 1]! : c.ns;
  };
  const out: [string, string][] = [[nsOf(0, peerAt >= 0 ? peerAt : a.length), a[a.indexOf('name') + 1]!]];
  if (peerAt >= 0) out.push([nsOf(peerAt, a.length), a[a.indexOf('name', peerAt) + 1]!]);
  return out;
}

/** Replays the plan; returns the first command that needs something not made yet. */
function firstOutOfOrder(host: HostPlan): string | undefined {
  const namespaces = new Set<string>(['']);
  const links = new Set<string>();
  for (const step of host.steps) {
    for (const c of step.do) {
      const a = c.argv;
      const where = `${step.id}: ${a.join(' ')} (in ${c.ns || 'root'})`;
      if (!namespaces.has(c.ns)) return `${where}: namespace not made yet`;
      if (a[0] === 'ip' && a[1] === 'netns' && a[2] === 'add') {
        namespaces.add(a[3]!);
        links.add(`${a[3]}\0lo`);
        continue;
      }
      if (a[0] === 'ip' && a[1] === 'link' && a[2] === 'add') {
        for (const [ns, name] of created(c)) {
          if (!namespaces.has(ns)) return `${where}: namespace ${ns} not made yet`;
          links.add(`${ns}\0${name}`);
        }
        continue;
      }
      for (const key of ['dev', 'master']) {
        const i = a.indexOf(key);
        if (i >= 0 && !links.has(`${c.ns}\0${a[i + 1]}`)) return `${where}: ${a[i + 1]} not made yet`;
      }
    }
  }
  return undefined;
}

describe('dependency order', () => {
  it('the router chain and the minimal two-namespace veth build in every namespace order', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const d = designOf({ namespaces: 2, bridges: [], veths: [[1, 0]], order });
      const r = compile(d);
      expect(r.ok).toBe(true);
      if (r.ok) expect(firstOutOfOrder(r.plan.hosts[0]!)).toBeUndefined();
    }
  });

  it('any drawing order and any choice of veth ends: nothing is used before it is made', () => {
    let compiled = 0;
    fc.assert(
      fc.property(shape, (s) => {
        const r = compile(designOf(s));
        if (!r.ok) return; // a shape validation refuses (e.g. two ends on one bridge loop) proves nothing here
        compiled++;
        expect(firstOutOfOrder(r.plan.hosts[0]!)).toBeUndefined();
      }),
      { numRuns: 400, seed: 20261207 },
    );
    // The generator must mostly produce buildable designs, or the property says little.
    expect(compiled).toBeGreaterThan(200);
  });
});
