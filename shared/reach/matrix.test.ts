import { describe, expect, it } from 'vitest';
import { exampleFiles, exampleName, loadExample } from '../../tests/support/examples';
import { DesignSchema, type Design, type DesignInput } from '../model/schema';
import { base, designWith, el, make } from '../validation/testing/designs';
import { expectedMatrix } from './matrix';
import { factKey, type Expectation, type Facts, type Matrix } from './types';

function matrixOf(design: Design, facts: Facts = {}, maxProbes?: number): Matrix {
  const r = expectedMatrix(design, { facts, ...(maxProbes !== undefined ? { maxProbes } : {}) });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.matrix;
}

const example = (name: string) => loadExample(exampleFiles().find((f) => exampleName(f) === name)!);

/** "from -> to[:port] kind" -> verdict, for compact assertions. */
function verdicts(m: Matrix): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of m.expectations) out[key(e)] = e.expect;
  return out;
}
const key = (e: Expectation) => `${e.probe.from.name} -> ${e.probe.to}${e.probe.port !== undefined ? `:${e.probe.port}` : ''} ${e.probe.kind}`;
const find = (m: Matrix, k: string) => {
  const e = m.expectations.find((x) => key(x) === k);
  if (!e) throw new Error(`no probe "${k}" in ${Object.keys(verdicts(m)).join(', ')}`);
  return e;
};
const codes = (e: Expectation) => e.reasons.map((r) => r.code);
const brnf = (hostId: string): Facts => ({ [factKey(hostId, '')]: { bridgeNetfilter4: true, bridgeNetfilter6: true } });

function design(input: Omit<DesignInput, 'wireplan' | 'layout'> & { layout?: DesignInput['layout'] }): Design {
  return DesignSchema.parse({ wireplan: 2, ...input });
}

/** A router namespace "r" between two client namespaces on two bridges. */
function routed(opts: { forward?: boolean; routeBack?: boolean; masquerade?: boolean; up?: boolean } = {}): Design {
  return design({
    tag: 'rt',
    name: 'routed',
    hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }],
    namespaces: [
      { id: 'a', name: 'a', host: 'h', routes: [{ to: 'default', via: '10.1.0.1' }] },
      { id: 'r', name: 'r', host: 'h', sysctls: { ipForward: opts.forward ?? true } },
      { id: 'b', name: 'b', host: 'h', routes: opts.routeBack === false ? [] : [{ to: 'default', via: '10.2.0.1' }] },
    ],
    veths: [
      { id: 'ar', name: 'ar', a: { at: 'a', ifname: 'eth0', addresses: ['10.1.0.2/24'] }, b: { at: 'r', ifname: 'to-a', addresses: ['10.1.0.1/24'] } },
      { id: 'br', name: 'br', a: { at: 'b', ifname: 'eth0', addresses: ['10.2.0.2/24'], up: opts.up ?? true }, b: { at: 'r', ifname: 'to-b', addresses: ['10.2.0.1/24'] } },
    ],
    masquerades: opts.masquerade ? [{ id: 'm', name: 'out', at: 'r', source: '10.1.0.0/24', egress: 'to-b' }] : [],
  });
}

describe('expected reachability of the examples', () => {
  it('two-namespaces-nat: neighbours reach each other; the published port works from the host and, by hairpin masquerade, from the segment', () => {
    const d = example('two-namespaces-nat');
    const off = matrixOf(d);
    expect(verdicts(off)).toEqual({
      'lab -> 10.0.0.1:8080 tcp': 'reach',
      'lab/app1 -> 10.0.0.1:8080 tcp': 'reach',
      'lab/app2 -> 10.0.0.1:8080 tcp': 'reach',
      'lab -> 10.0.0.2 ping': 'reach',
      'lab -> 10.0.0.3 ping': 'reach',
      'lab/app1 -> 10.0.0.1 ping': 'reach',
      'lab/app1 -> 10.0.0.3 ping': 'reach',
      'lab/app2 -> 10.0.0.1 ping': 'reach',
      'lab/app2 -> 10.0.0.2 ping': 'reach',
    });
    // The host's own connection to its published port: output DNAT, un-DNAT on the reply.
    expect(codes(find(off, 'lab -> 10.0.0.1:8080 tcp'))).toEqual(expect.arrayContaining(['dnat', 'delivered', 'un-nat']));
    expect(find(off, 'lab -> 10.0.0.1:8080 tcp').landsAt).toMatchObject({ address: '10.0.0.2', port: 80 });
    // app2 (and app1 itself): the port forward masquerades a client on the target's own
    // subnet, so the reply comes back through the host and is un-DNATed there.
    const hairpin = find(off, 'lab/app2 -> 10.0.0.1:8080 tcp');
    expect(hairpin.seenFrom).toBe('10.0.0.1');
    expect(hairpin.reasons).toContainEqual(expect.objectContaining({ code: 'masquerade', element: 'web', dir: 'forward' }));
    expect(hairpin.reasons.filter((r) => r.dir === 'reply').map((r) => r.code)).toEqual(expect.arrayContaining(['un-nat']));
    // The same with bridge-nf-call-iptables=1, except app1 to itself: the DNAT'ed frame
    // would leave by the bridge port it came in on.
    const on = matrixOf(d, brnf('lab'));
    expect(find(on, 'lab/app2 -> 10.0.0.1:8080 tcp')).toMatchObject({ expect: 'reach', seenFrom: '10.0.0.1' });
    expect(codes(find(on, 'lab/app1 -> 10.0.0.1:8080 tcp')).at(-1)).toBe('hairpin-port');
    expect(on.listeners.map((l) => `${l.scope.name} ${l.address}:${l.port}`).sort()).toEqual(['lab 10.0.0.1:8080', 'lab/app1 10.0.0.2:80']);
  });

  it('isolated-service: the policy admits tcp/80 only; the host itself and the service are not filtered', () => {
    const m = matrixOf(example('isolated-service'));
    const v = verdicts(m);
    expect(v['host/client -> 10.10.0.10 ping']).toBe('blocked');
    expect(v['host/client -> 10.10.0.10:80 tcp']).toBe('reach');
    expect(v['host/client -> 10.10.0.10:22 tcp']).toBe('blocked');
    expect(v['host/client -> 10.10.0.1 ping'], 'the router\'s own address is input, not forward').toBe('reach');
    expect(v['host -> 10.10.0.10:22 tcp'], 'the host originates: no forward chain').toBe('reach');
    expect(v['host/svc -> 10.20.0.10 ping'], 'replies are established').toBe('reach');
    const drop = find(m, 'host/client -> 10.10.0.10:22 tcp');
    expect(drop.reasons.at(-1)).toMatchObject({ code: 'policy-drop', at: 'host', element: 'svc-guard' });
    expect(drop.reasons.at(-1)!.rule).toBeUndefined();
    const accept = find(m, 'host/client -> 10.10.0.10:80 tcp');
    expect(accept.reasons).toContainEqual(expect.objectContaining({ code: 'policy-accept', rule: 0 }));
    expect(accept.reply.map((h) => h.scope.name)).toEqual(['host/svc', 'host', 'host/client']);
    expect(accept.reasons).toContainEqual(expect.objectContaining({ code: 'established', dir: 'reply' }));
  });

  it('lxc-bridge and macvlan-shim: everything designed to talk does', () => {
    expect(Object.values(verdicts(matrixOf(example('macvlan-shim'))))).toEqual(Array(6).fill('reach'));
    const lxc = verdicts(matrixOf(example('lxc-bridge'), brnf('host')));
    expect(lxc['host -> 10.0.3.1:2222 tcp']).toBe('reach');
    expect(lxc['host/db1 -> 10.0.3.1:2222 tcp']).toBe('reach');
    expect(lxc['host/web1 -> 10.0.3.1:2222 tcp']).toBe('blocked');
  });

  it('vxlan-two-hosts: namespaces on two hosts share a segment over the VNI', () => {
    const m = matrixOf(example('vxlan-two-hosts'));
    expect(verdicts(m)).toEqual({ 'lab-a/ns-a -> 10.60.0.2 ping': 'reach', 'lab-b/ns-b -> 10.60.0.1 ping': 'reach' });
    const e = find(m, 'lab-a/ns-a -> 10.60.0.2 ping');
    expect(e.path[0]!.segment!.map((s) => `${s.hostId}:${s.ifname}`)).toEqual(['a:eth0', 'a:v-ns-a', 'a:br-stretch', 'a:vx100', 'b:vx100', 'b:br-stretch', 'b:v-ns-b', 'b:eth0']);
  });

  it('every example: deterministic, and every probe has a reason chain ending in delivery or a cause', () => {
    for (const file of exampleFiles()) {
      const a = matrixOf(loadExample(file));
      const b = matrixOf(loadExample(file));
      expect(JSON.stringify(a), file).toBe(JSON.stringify(b));
      for (const e of a.expectations) {
        expect(e.reasons.length, `${file} ${key(e)}`).toBeGreaterThan(0);
        if (e.expect === 'reach') expect(e.reasons.at(-1)!.code).toBe('delivered');
      }
    }
  });
});

describe('what blocks a packet, and why', () => {
  it('a router with forwarding off', () => {
    const e = find(matrixOf(routed({ forward: false })), 'h/a -> 10.2.0.2 ping');
    expect(e.expect).toBe('blocked');
    expect(e.reasons.at(-1)).toMatchObject({ code: 'forwarding-off', at: 'h/r', element: 'r' });
    expect(e.path.map((h) => `${h.scope.name}:${h.role}`)).toEqual(['h/a:send', 'h/r:drop']);
  });

  it('no route back: the request arrives, the reply cannot leave; a masquerade fixes it', () => {
    const plain = find(matrixOf(routed({ routeBack: false })), 'h/a -> 10.2.0.2 ping');
    expect(plain.expect).toBe('blocked');
    expect(plain.reasons.at(-1)).toMatchObject({ code: 'no-route', at: 'h/b', dir: 'reply' });
    expect(plain.landsAt?.scope.name).toBe('h/b');
    const nat = find(matrixOf(routed({ routeBack: false, masquerade: true })), 'h/a -> 10.2.0.2 ping');
    expect(nat.expect).toBe('reach');
    expect(nat.masqueraded).toBe(true);
    expect(nat.seenFrom).toBe('10.2.0.1');
    expect(codes(nat)).toEqual(expect.arrayContaining(['masquerade', 'un-nat']));
  });

  it('an interface that is down', () => {
    const e = find(matrixOf(routed({ up: false })), 'h/a -> 10.2.0.2 ping');
    expect(e.expect).toBe('blocked');
    expect(e.reasons.at(-1)).toMatchObject({ code: 'link-down', element: 'br' });
  });

  it('no route at the source', () => {
    const d = routed();
    el(d, 'namespaces', 'a').routes = [];
    const e = find(matrixOf(d), 'h/a -> 10.2.0.2 ping');
    expect(e.reasons.at(-1)).toMatchObject({ code: 'no-route', at: 'h/a' });
  });

  it('macvlan children in private mode do not reach each other', () => {
    const d = example('macvlan-shim');
    for (const m of d.macvlans) if (m.id !== 'shim') m.mode = 'private';
    const m = matrixOf(d);
    const e = find(m, 'host/m1 -> 10.50.0.12 ping');
    expect(e.expect).toBe('blocked');
    expect(e.reasons.at(-1)!.code).toBe('macvlan-isolated');
    expect(find(m, 'host -> 10.50.0.11 ping').expect, 'the bridge-mode shim still reaches them? no: private children talk to nobody').toBe('blocked');
  });

  it('a policy rule limited by source and port', () => {
    const d = routed();
    d.policies = [
      make.policy({
        id: 'p',
        name: 'guard b',
        at: 'r',
        protects: ['10.2.0.0/24'],
        rules: [{ from: '10.1.0.0/24', protocol: 'tcp', ports: '5000-5010', action: 'accept' }],
      }),
    ];
    const m = matrixOf(d);
    expect(find(m, 'h/a -> 10.2.0.2:5000 tcp').expect).toBe('reach');
    expect(find(m, 'h/a -> 10.2.0.2:22 tcp').expect).toBe('blocked');
    expect(find(m, 'h/a -> 10.2.0.2 ping').expect).toBe('blocked');
    expect(find(m, 'h/b -> 10.1.0.2 ping').expect, 'the other direction is not protected').toBe('reach');
  });

  it('the validation base lab (two hosts, VLAN, VXLAN, IPv6, macvlan shim, policy) yields a full, bounded matrix', () => {
    const m = matrixOf(base());
    expect(m.expectations.length).toBeGreaterThan(20);
    const v6 = m.expectations.filter((e) => e.probe.family === 6);
    expect(v6.length).toBeGreaterThan(0);
    const db = find(m, 'lab1/app1 -> 10.0.2.10:5432 tcp');
    expect(db.expect).toBe('reach');
    expect(find(m, 'lab1/app1 -> 10.0.2.10 ping').expect).toBe('blocked');
    // lab2's remote namespace reaches lab1's overlay bridge address over the VXLAN.
    expect(find(m, 'lab2/remote -> 10.20.0.1 ping').expect).toBe('reach');
  });
});

describe('size bounds', () => {
  function big(n: number): Design {
    const namespaces = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, name: `n${i}`, host: 'h', routes: [{ to: 'default', via: '10.0.0.1' }] }));
    const veths = namespaces.map((ns, i) => ({
      id: `v${i}`,
      name: `v${i}`,
      a: { at: ns.id, ifname: 'eth0', addresses: [`10.0.${(i + 2) >> 8}.${(i + 2) & 255}/16`] },
      b: { at: 'br', ifname: `p${i}` },
    }));
    return design({
      tag: 'big',
      name: 'big',
      hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' }, sysctls: { ipForward: true } }],
      namespaces,
      bridges: [{ id: 'br', name: 'br', at: 'h', addresses: ['10.0.0.1/16'] }],
      veths,
    });
  }

  it('caps the probes, says so, and samples deterministically', () => {
    const d = big(300);
    const a = matrixOf(d, {}, 250);
    expect(a.expectations).toHaveLength(250);
    expect(a.candidates).toBe(301 * 300);
    expect(a.notes.join('\n')).toMatch(/checked 250 of 90300 candidate probes \(cap 250\)/);
    expect(a.expectations.map(key)).toEqual(matrixOf(d, {}, 250).expectations.map(key));
    const sources = new Set(a.expectations.map((e) => e.probe.from.name));
    expect(sources.size, 'the sample spreads over many sources').toBeGreaterThan(100);
  });

  // The timeout is a hang guard, not a benchmark (speed: npm run bench core).
  it('a 1,000-namespace design plans (sampled to the default cap)', { timeout: 60_000 }, () => {
    const m = matrixOf(big(1000));
    expect(m.expectations).toHaveLength(400);
  });
});

describe('designs it cannot check', () => {
  it('refuses a design with validation errors, with the diagnostics', () => {
    const d = designWith((x) => (x.veths[0]!.a.ifname = 'much-too-long-interface'));
    const r = expectedMatrix(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.some((x) => x.severity === 'error')).toBe(true);
  });

  it('leaves out what only the host\'s own routes decide', () => {
    const d = routed();
    // A namespace with a route out of the design: its packets leave via the host's NIC.
    d.hosts[0]!.nics = [{ name: 'eth0', management: false }];
    d.namespaces.push(make.namespace({ id: 'lone', name: 'lone', host: 'h', routes: [{ to: 'default', via: '192.168.1.1' }] }));
    d.macvlans.push(make.macvlan({ id: 'mv', name: 'mv', kind: 'macvlan', at: 'lone', parent: 'eth0', mode: 'bridge', ifname: 'eth0', addresses: ['192.168.1.50/24'] }));
    const m = matrixOf(DesignSchema.parse(d));
    expect(m.unpredictable).toBeGreaterThan(0);
    expect(m.notes.join('\n')).toMatch(/left out/);
    expect(m.expectations.some((e) => e.probe.from.name === 'h/lone' && e.probe.to === '10.1.0.2')).toBe(false);
  });
});
