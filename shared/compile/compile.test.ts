import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleFiles, loadExample } from '../../tests/support/examples';
import { DesignSchema, type Design } from '../model/schema';
import { exportScript } from '../export/script';
import { compile } from './compile';
import type { HostPlan } from './plan';

function plan(design: Design) {
  const r = compile(design);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r.plan;
}

/** Tools and runtime helpers a plan may call; anything else is a compiler bug. */
const ALLOWED_COMMANDS = new Set(['ip', 'bridge', 'nft', 'sysctl', 'wp_sysctl_set', 'wp_sysctl_restore', 'wp_nft_load']);

describe('compile', () => {
  it('compiles every example without errors', () => {
    for (const file of exampleFiles()) {
      const r = compile(loadExample(file));
      expect(r.ok, `${file}: ${JSON.stringify(!r.ok && r.diagnostics)}`).toBe(true);
    }
  });

  it('is deterministic: same design, byte-identical plan and scripts', () => {
    for (const file of exampleFiles()) {
      const a = plan(loadExample(file));
      const b = plan(structuredClone(loadExample(file)));
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      for (const h of a.hosts) expect(exportScript(b, h.host.id)).toBe(exportScript(a, h.host.id));
    }
  });

  it('ignores canvas layout: moving nodes does not change the plan hash', () => {
    const d = loadExample('two-namespaces-nat.wireplan.json');
    const moved = { ...d, layout: { nodes: { app1: { x: 999, y: -5 } }, frames: {} } };
    expect(plan(moved).hosts[0]!.hash).toBe(plan(d).hosts[0]!.hash);
  });

  it('changes the plan hash when what runs changes', () => {
    const d = loadExample('two-namespaces-nat.wireplan.json');
    const changed = structuredClone(d);
    changed.veths[0]!.a.addresses = ['10.0.0.9/24'];
    expect(plan(changed).hosts[0]!.hash).not.toBe(plan(d).hosts[0]!.hash);
  });

  it('uses only allowed commands, unique step ids, and resolvable cover references', () => {
    for (const file of exampleFiles()) {
      for (const h of plan(loadExample(file)).hosts) {
        const ids = new Set<string>();
        for (const s of h.steps) {
          expect(ids.has(s.id), `${file}: duplicate step ${s.id}`).toBe(false);
          ids.add(s.id);
          for (const c of [...s.do, ...s.undo]) expect(ALLOWED_COMMANDS.has(c.argv[0]!), `${file}: ${c.argv.join(' ')}`).toBe(true);
        }
        for (const s of h.steps) for (const c of s.coveredBy) expect(ids.has(c), `${s.id} covered by unknown ${c}`).toBe(true);
      }
    }
  });

  it('gives every mutating step an inverse (only tags, undone with their interface, have none)', () => {
    for (const file of exampleFiles()) {
      for (const h of plan(loadExample(file)).hosts) {
        for (const s of h.steps) {
          if (s.kind === 'alias') expect(s.coveredBy.length).toBeGreaterThan(0);
          else expect(s.undo.length, s.id).toBeGreaterThan(0);
        }
      }
    }
  });

  it('tags every interface and namespace it creates with the design tag and element id', () => {
    const p = plan(loadExample('two-namespaces-nat.wireplan.json'));
    const commands = p.hosts[0]!.steps.flatMap((s) => s.do.map((c) => `${c.ns}| ${c.argv.join(' ')}`));
    expect(commands).toContain('app1| ip link set dev lo alias wireplan:twons:app1');
    expect(commands).toContain('| ip link set dev br0 alias wireplan:twons:br0');
    expect(commands).toContain('| ip link set dev v-app1 alias wireplan:twons:link-app1.b');
    expect(commands).toContain('app1| ip link set dev eth0 alias wireplan:twons:link-app1.a');
  });

  it('creates veth peers directly in their namespace (never create-then-move)', () => {
    const steps = plan(loadExample('two-namespaces-nat.wireplan.json')).hosts[0]!.steps;
    const argvs = steps.flatMap((s) => s.do.map((c) => c.argv.join(' ')));
    expect(argvs).toContain('ip link add name v-app1 type veth peer name eth0 netns app1');
    expect(argvs.some((a) => /^ip link set \S+ netns /.test(a))).toBe(false);
  });

  it('groups work by namespace: root first, then each namespace in one run', () => {
    const steps = plan(loadExample('two-namespaces-nat.wireplan.json')).hosts[0]!.steps;
    const order = steps.map((s) => s.ns).filter((ns, i, all) => i === 0 || all[i - 1] !== ns);
    expect(order).toEqual(['', 'app1', 'app2']);
  });

  it('records and restores every root sysctl it changes', () => {
    const h: HostPlan = plan(loadExample('two-namespaces-nat.wireplan.json')).hosts[0]!;
    // route_localnet on the bridge towards the port forward's target: 127.0.0.1 reaches it (hostLocal).
    expect(h.restoredSysctls).toEqual(['net/ipv4/ip_forward', 'net/ipv4/conf/br0/route_localnet']);
    const s = h.steps.find((x) => x.kind === 'sysctl')!;
    expect(s.do[0]!.argv).toEqual(['wp_sysctl_set', 'net/ipv4/ip_forward', '1']);
    expect(s.undo[0]!.argv).toEqual(['wp_sysctl_restore', 'net/ipv4/ip_forward']);
  });

  it('puts masquerade, port forwards and policies in one owned nft table per router', () => {
    const h = plan(loadExample('isolated-service.wireplan.json')).hosts[0]!;
    const nft = h.steps.filter((s) => s.kind === 'nft');
    expect(nft).toHaveLength(1);
    const text = nft[0]!.do[0]!.argv[1]!;
    expect(text).toMatch(/^table inet wp_isosvc\ndelete table inet wp_isosvc\ntable inet wp_isosvc \{/);
    expect(text).toContain('ct state established,related accept');
    expect(text).toContain('ip daddr 10.10.0.0/24 meta l4proto tcp th dport 80 counter accept comment "wireplan:isosvc:svc-guard"');
    expect(text).toContain('ip daddr 10.10.0.0/24 counter drop comment "wireplan:isosvc:svc-guard"');
    expect(text).toContain('fib daddr type local tcp dport 80 counter dnat ip to 10.10.0.10:80 comment "wireplan:isosvc:http"');
    expect(nft[0]!.undo[0]!.argv).toEqual(['nft', 'delete', 'table', 'inet', 'wp_isosvc']);
  });

  it('splits a multi-host design into one plan per host', () => {
    const p = plan(loadExample('vxlan-two-hosts.wireplan.json'));
    expect(p.hosts.map((h) => h.host.id)).toEqual(['a', 'b']);
    const a = p.hosts[0]!.steps.flatMap((s) => s.do.map((c) => c.argv.join(' ')));
    expect(a).toContain('ip link add name vx100 mtu 1450 type vxlan id 100 dstport 4789 remote 192.0.2.11 local 192.0.2.10 dev eth0');
    expect(a.some((x) => x.includes('ns-b'))).toBe(false);
  });

  it('keeps a dual-stack namespace\'s IPv4 and IPv6 default routes apart', () => {
    const d = structuredClone(loadExample('two-namespaces-nat.wireplan.json'));
    d.bridges[0]!.addresses.push('fd00:10::1/64');
    d.veths[0]!.a.addresses.push('fd00:10::2/64');
    d.namespaces[0]!.routes.push({ to: 'default', via: 'fd00:10::1' });
    const argvs = plan(d).hosts[0]!.steps.filter((s) => s.ns === 'app1' && s.kind === 'route').map((s) => s.do[0]!.argv.join(' '));
    expect(argvs).toEqual(['ip route replace default via 10.0.0.1', 'ip -6 route replace default via fd00:10::1']);
  });

  it('creates links with the "name" keyword, so a short name like "br" is not read as an option', () => {
    const d = structuredClone(loadExample('two-namespaces-nat.wireplan.json'));
    d.bridges[0]!.ifname = 'br';
    const argvs = plan(d).hosts[0]!.steps.flatMap((s) => s.do.map((c) => c.argv.join(' ')));
    expect(argvs).toContain('ip link add name br type bridge stp_state 0');
    expect(argvs.filter((a) => a.startsWith('ip link add ')).every((a) => a.startsWith('ip link add name '))).toBe(true);
  });

  it('refuses a design with errors and returns the diagnostics instead of a plan', () => {
    const d = loadExample('two-namespaces-nat.wireplan.json');
    const bad = structuredClone(d);
    bad.veths[0]!.a.ifname = 'this-name-is-far-too-long';
    const r = compile(bad);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((x) => x.severity === 'error' && x.elementId === 'link-app1')).toBe(true);
  });

  it('never throws, whatever the design holds', () => {
    const base = loadExample('two-namespaces-nat.wireplan.json');
    const junk = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', 'default', '::', '10.0.0.0/33', 'a$(id)', 'x'.repeat(40)));
    fc.assert(
      fc.property(junk, junk, junk, fc.integer({ min: -5, max: 70000 }), (s1, s2, s3, n) => {
        const d = structuredClone(base);
        d.veths[0]!.a.ifname = s1;
        d.namespaces[0]!.routes = [{ to: s2, via: s3 }];
        d.bridges[0]!.mtu = n;
        d.portForwards[0]!.port = n;
        const parsed = DesignSchema.safeParse(d);
        if (!parsed.success) return;
        expect(() => compile(parsed.data)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
