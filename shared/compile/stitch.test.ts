// Stretched segments: a bridge with ports on other hosts compiles to a stretch bridge and
// a VXLAN star over the hosts' underlay, with VNIs that are stable and never collide.
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../tests/support/examples';
import { utf8Length } from '../model/identifiers';
import { DesignSchema, HostSchema, type Design } from '../model/schema';
import { make } from '../validation/testing/designs';
import { DesignIndex } from '../model/topology';
import { compile } from './compile';
import { resolveNames } from './names';
import type { HostPlan, Step } from './plan';
import { planStitching, STITCH_VNI_MAX, STITCH_VNI_MIN } from './stitch';

const example = () => loadExample('stretched-segment-two-hosts.wireplan.json');

function plan(design: Design) {
  const r = compile(design);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r.plan;
}

const hostPlan = (design: Design, id: string): HostPlan => plan(design).hosts.find((h) => h.host.id === id)!;
const argvs = (steps: Step[]) => steps.flatMap((s) => s.do.map((c) => c.argv.join(' ')));
const vxlanAdds = (h: HostPlan) => argvs(h.steps).filter((a) => / type vxlan /.test(a));
const vniOf = (argv: string) => Number(/ id (\d+) /.exec(argv)![1]);

/** The example plus a third host "c" with one namespace on br-lan. */
function threeHosts(): Design {
  const d = structuredClone(example());
  d.hosts.push(HostSchema.parse({ id: 'c', name: 'lab-c', target: { kind: 'ssh', address: '192.0.2.12' }, underlay: '192.0.2.12', underlayDev: 'eth0', nics: [{ name: 'eth0', management: true, mtu: 1500 }] }));
  d.namespaces.push(make.namespace({ id: 'app-c', name: 'app-c', host: 'c' }));
  d.veths.push(make.veth({ id: 'link-c', name: 'app-c uplink', a: { at: 'app-c', ifname: 'eth0', addresses: ['10.70.0.30/24'], mtu: 1450 }, b: { at: 'br-lan', ifname: 'v-app-c', mtu: 1450 } }));
  return DesignSchema.parse(d);
}

describe('stretched segments', () => {
  it('compiles the example without any diagnostic', () => {
    const r = compile(example());
    expect(r.ok && r.diagnostics).toEqual([]);
  });

  it('builds a stretch bridge on the far host that holds the far ports, tagged as Wireplan\'s', () => {
    const b = hostPlan(example(), 'b');
    const stretch = b.steps.find((s) => s.id === 'link:root:br-lan')!;
    expect(stretch.element).toBe('br-lan');
    expect(stretch.do.map((c) => c.argv.join(' '))).toEqual([
      'ip link add name br-lan mtu 1450 type bridge stp_state 0',
      'ip link set dev br-lan alias wireplan:stitch:br-lan/stretch',
    ]);
    expect(stretch.probe).toEqual({ type: 'link', ns: '', ifname: 'br-lan', owner: 'wireplan:stitch:br-lan/stretch', mtu: 1450 });
    // The far veth ends live in b's root namespace, as ports of the stretch.
    for (const port of ['v-app-b1', 'v-app-b2']) {
      expect(b.steps.find((s) => s.id === `link-state:root:${port}`)!.probe).toEqual({ type: 'link-state', ns: '', ifname: port, master: 'br-lan', up: true });
    }
    // The plan's name table lists the design's own interfaces only.
    expect(b.names.map((n) => `${n.ns}/${n.ifname}`)).toEqual(['app-b1/eth0', '/v-app-b1', 'app-b2/eth0', '/v-app-b2']);
  });

  it('keeps the gateway address on the home bridge only', () => {
    const p = plan(example());
    const addrs = (id: string) => p.hosts.find((h) => h.host.id === id)!.steps.filter((s) => s.kind === 'addr').map((s) => s.id);
    expect(addrs('a')).toContain('addr:root:br-lan:10.70.0.1/24');
    expect(addrs('b').filter((a) => a.startsWith('addr:root:'))).toEqual([]);
  });

  it('joins the two sides with one unicast VXLAN each: same VNI, underlay addresses crossed, nolearning, MTU set after creation', () => {
    const [a, b] = [hostPlan(example(), 'a'), hostPlan(example(), 'b')];
    const [va, vb] = [vxlanAdds(a), vxlanAdds(b)];
    expect(va).toHaveLength(1);
    expect(vb).toHaveLength(1);
    const vni = vniOf(va[0]!);
    expect(vniOf(vb[0]!)).toBe(vni);
    expect(vni).toBeGreaterThanOrEqual(STITCH_VNI_MIN);
    expect(vni).toBeLessThanOrEqual(STITCH_VNI_MAX);
    expect(va[0]).toBe(`ip link add name vx${vni} type vxlan id ${vni} dstport 4789 remote 192.0.2.11 local 192.0.2.10 dev eth0 nolearning`);
    expect(vb[0]).toBe(`ip link add name vx${vni} type vxlan id ${vni} dstport 4789 remote 192.0.2.10 local 192.0.2.11 dev eth0 nolearning`);
    for (const [h, peer] of [[a, 'b'], [b, 'a']] as const) {
      const step = h.steps.find((s) => s.id === `link:root:vx${vni}`)!;
      expect(step.do.map((c) => c.argv.join(' ')).slice(1)).toEqual([`ip link set dev vx${vni} mtu 1450`, `ip link set dev vx${vni} alias wireplan:stitch:br-lan/vxlan-${peer}`]);
      expect(step.description).toContain('needs eth0 mtu >= 1500');
      expect(step.undo.map((c) => c.argv.join(' '))).toEqual([`ip link del dev vx${vni}`]);
      // Enslaved after the bridge is up, and released (then deleted) on destroy.
      const port = h.steps.find((s) => s.id === `link-state:root:vx${vni}`)!;
      expect(port.probe).toEqual({ type: 'link-state', ns: '', ifname: `vx${vni}`, master: 'br-lan', up: true });
      expect(port.coveredBy).toEqual([step.id]);
      expect(h.steps.indexOf(port)).toBeGreaterThan(h.steps.findIndex((s) => s.id === 'link-state:root:br-lan'));
    }
  });

  it('takes the UDP port from stitchPort, and the overhead from an IPv6 underlay', () => {
    const d = structuredClone(example());
    d.bridges[0]!.stitchPort = 8472;
    d.hosts[0]!.underlay = 'fd00:99::a';
    d.hosts[1]!.underlay = 'fd00:99::b';
    d.hosts[0]!.nics[0]!.mtu = 9000;
    d.hosts[1]!.nics[0]!.mtu = 9000;
    const a = hostPlan(d, 'a');
    expect(vxlanAdds(a)[0]).toMatch(/ dstport 8472 remote fd00:99::b local fd00:99::a dev eth0 nolearning$/);
    expect(a.steps.find((s) => s.id.startsWith('link:root:vx'))!.description).toContain('needs eth0 mtu >= 1520');
  });

  it('allocates VNIs deterministically: same design same VNI, unaffected by unrelated changes, different per design tag', () => {
    const vni = (d: Design) => vniOf(vxlanAdds(hostPlan(d, 'a'))[0]!);
    const base = vni(example());
    expect(vni(example())).toBe(base);
    const more = structuredClone(example());
    more.namespaces.push(make.namespace({ id: 'extra', name: 'extra', host: 'a' }));
    expect(vni(more)).toBe(base);
    const retagged = structuredClone(example());
    retagged.tag = 'other';
    expect(vni(retagged)).not.toBe(base);
  });

  it('never reuses a VNI of the design\'s own VXLANs', () => {
    const d = example();
    const taken = vniOf(vxlanAdds(hostPlan(d, 'a'))[0]!);
    const clash = structuredClone(d);
    clash.vxlans.push(make.vxlan({ id: 'own', name: 'own', at: 'a', vni: taken, remote: '192.0.2.99', dev: 'eth0', mtu: 1450 }));
    const moved = vniOf(vxlanAdds(hostPlan(clash, 'a')).find((x) => !x.includes(' name own '))!);
    expect(moved).toBe(taken === STITCH_VNI_MAX ? STITCH_VNI_MIN : taken + 1);
  });

  it('three hosts: a star around the home host, one VNI per far host, no tunnel between far hosts', () => {
    const d = threeHosts();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => hostPlan(d, id));
    const homeVnis = vxlanAdds(a!).map(vniOf);
    expect(homeVnis).toHaveLength(2);
    expect(new Set(homeVnis).size).toBe(2);
    expect(vxlanAdds(a!).map((x) => / remote (\S+) /.exec(x)![1])).toEqual(['192.0.2.11', '192.0.2.12']);
    expect(vxlanAdds(b!).map(vniOf)).toEqual([homeVnis[0]]);
    expect(vxlanAdds(c!).map(vniOf)).toEqual([homeVnis[1]]);
    expect(vxlanAdds(c!)[0]).toMatch(/ remote 192\.0\.2\.10 local 192\.0\.2\.12 /);
  });

  it('names a stretch apart from a same-named interface on the far host, within 15 bytes', () => {
    const d = structuredClone(example());
    d.bridges.push(make.bridge({ id: 'b-own', name: 'br-lan', at: 'b' }));
    const index = new DesignIndex(DesignSchema.parse(d));
    const s = planStitching(d, index, resolveNames(d, index));
    const name = s.stretchName('br-lan', 'b')!;
    expect(name).not.toBe('br-lan');
    expect(name).toMatch(/^br-lan-[0-9a-f]{4}$/);
    expect(utf8Length(name)).toBeLessThanOrEqual(15);
    expect(s.stretchName('br-lan', 'a')).toBeUndefined();
    // The design's own bridge keeps its name.
    expect(hostPlan(d, 'b').names.find((n) => n.element === 'b-own')!.ifname).toBe('br-lan');
  });
});
