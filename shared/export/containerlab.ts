// Export one host of a design as a containerlab topology (NAME.clab.yml). Pure and
// deterministic.
//
//   namespace -> a `kind: linux` node whose `exec` sets its addresses, routes and forwarding
//   bridge    -> a `kind: bridge` node (containerlab attaches to a bridge that already
//                exists on the host: the file's header says how to create it)
//   veth      -> a link; an end in the host's root namespace is a `host:IFNAME` endpoint
//
// Inside a linux node containerlab owns eth0 (its management interface), so the design's
// interfaces get eth1, eth2 ... in the order their links are listed, and exec, routes
// and the header's name map use those names. What containerlab cannot express (NAT, port
// forwards, policies, macvlan/ipvlan, VLAN, VXLAN, addresses of bridges and of the host's
// own interfaces, MTU and MAC) is listed in the header and returned as `omitted`.
import { DesignIndex } from '../model/topology';
import type { Design, Veth, VethEnd } from '../model/schema';
import { describeImpair, impairs } from '../compile/impair';

export interface ClabExport {
  text: string;
  /** What the topology does not carry, one line each (also in the file's header). */
  omitted: string[];
}

const q = (s: string): string => JSON.stringify(s); // a JSON string is a YAML double-quoted scalar

/** A containerlab node or lab name: letters, digits, '-' and '_'. */
const clabName = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '-');

export function designToContainerlab(design: Design, hostId: string): ClabExport {
  const index = new DesignIndex(design);
  const host = index.host(hostId);
  if (!host) throw new Error(`no host ${hostId} in the design`);
  const omitted: string[] = [];
  const here = (at: string) => index.place(at)?.host.id === host.id;
  const namespaces = design.namespaces.filter((n) => n.host === host.id);
  const bridges = design.bridges.filter((b) => here(b.at));
  const nodeName = new Map<string, string>([...namespaces.map((n) => [n.id, clabName(n.name)] as const), ...bridges.map((b) => [b.id, clabName(b.name)] as const)]);

  // Interface names inside each linux node: eth1, eth2 ... in link order.
  const nextIf = new Map<string, number>();
  const ifMap = new Map<string, Map<string, string>>(); // ns id -> design ifname -> clab ifname
  const exec = new Map<string, string[]>(namespaces.map((n) => [n.id, []]));
  const nameMap: string[] = [];
  const links: [string, string][] = [];

  const endpoint = (v: Veth, side: 'a' | 'b', e: VethEnd): string | undefined => {
    const p = index.place(e.at);
    if (!p || p.host.id !== host.id) return undefined;
    const designIf = e.ifname ?? `${clabName(v.name).slice(0, 11)}-${side}`;
    if (p.bridge) {
      if (e.addresses.length) omitted.push(`addresses ${e.addresses.join(', ')} of ${v.name} (${side}) on bridge ${p.bridge.name}`);
      return `${nodeName.get(p.bridge.id)}:${designIf.slice(0, 15)}`;
    }
    if (!p.ns) {
      if (e.addresses.length) omitted.push(`host address(es) ${e.addresses.join(', ')} of ${v.name} (${side}): set them on host:${designIf} yourself`);
      return `host:${designIf.slice(0, 15)}`;
    }
    const n = (nextIf.get(p.ns.id) ?? 0) + 1;
    nextIf.set(p.ns.id, n);
    const clabIf = `eth${n}`;
    if (!ifMap.has(p.ns.id)) ifMap.set(p.ns.id, new Map());
    ifMap.get(p.ns.id)!.set(designIf, clabIf);
    nameMap.push(`${p.ns.name}: ${designIf} -> ${clabIf} (${v.name})`);
    for (const a of e.addresses) exec.get(p.ns.id)!.push(`ip addr add ${a} dev ${clabIf}`);
    if (e.mtu !== undefined) exec.get(p.ns.id)!.push(`ip link set ${clabIf} mtu ${e.mtu}`);
    if (e.mac !== undefined) exec.get(p.ns.id)!.push(`ip link set ${clabIf} address ${e.mac}`);
    return `${nodeName.get(p.ns.id)}:${clabIf}`;
  };

  const endHere = (e: VethEnd) => index.place(e.at)?.host.id === host.id;
  for (const v of design.veths) {
    // Only a veth with both ends here becomes a link; one that is not carried over must
    // leave no exec lines or interface numbers behind (they would name a missing eth).
    if (endHere(v.a) && endHere(v.b)) links.push([endpoint(v, 'a', v.a)!, endpoint(v, 'b', v.b)!]);
    else if (endHere(v.a) || endHere(v.b)) omitted.push(`veth ${v.name}: its other end is on another host (multi-host segments are not carried over)`);
    // Impairments are tc qdiscs on the ends (docs/impairments.md): containerlab sets them at
    // run time (`containerlab tools netem`), not in the topology.
    for (const [what, i] of [['link', v.impair], ['end a', v.a.impair], ['end b', v.b.impair]] as const) {
      if ((endHere(v.a) || endHere(v.b)) && impairs(i)) omitted.push(`impairments of ${v.name} (${what}): ${describeImpair(i)} (containerlab tools netem can set them on the running lab)`);
    }
  }
  for (const ns of namespaces) {
    const cmds = exec.get(ns.id)!;
    if (ns.sysctls.ipForward) cmds.push('sysctl -w net.ipv4.ip_forward=1');
    if (ns.sysctls.ipv6Forward) cmds.push('sysctl -w net.ipv6.conf.all.forwarding=1');
    for (const r of ns.routes) {
      const dev = r.dev ? (ifMap.get(ns.id)?.get(r.dev) ?? r.dev) : undefined;
      // containerlab's own default route (via eth0, management) goes first.
      if (r.to === 'default' || r.to === '0.0.0.0/0') cmds.push('ip route del default');
      if (r.to === 'default' && r.via?.includes(':')) cmds.push('ip -6 route del default');
      cmds.push(['ip', ...(r.via?.includes(':') || r.to.includes(':') ? ['-6'] : []), 'route', 'add', r.to, ...(r.via ? ['via', r.via] : []), ...(dev ? ['dev', dev] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])].join(' '));
    }
  }
  for (const b of bridges) {
    if (b.addresses.length) omitted.push(`bridge ${b.name} address(es) ${b.addresses.join(', ')}: set them on the host bridge yourself`);
    if (b.nics.length) omitted.push(`bridge ${b.name} ports ${b.nics.join(', ')}: enslave them yourself`);
  }
  const onHost = <T extends { at: string; name: string }>(list: readonly T[]) => list.filter((x) => here(x.at));
  for (const m of onHost(design.masquerades)) omitted.push(`NAT (masquerade) ${m.name}: ${m.source}`);
  for (const p of onHost(design.portForwards)) omitted.push(`port forward ${p.name}: ${p.protocol}/${p.port} -> ${p.to}${p.toPort ? `:${p.toPort}` : ''}`);
  for (const p of onHost(design.policies)) omitted.push(`policy ${p.name} (${p.rules.length} rules, default ${p.defaultAction})`);
  for (const m of onHost(design.macvlans)) omitted.push(`${m.kind} ${m.name} on ${m.parent}`);
  for (const v of onHost(design.vlans)) omitted.push(`VLAN ${v.name} (${v.parent}.${v.vlanId})`);
  for (const x of onHost(design.vxlans)) omitted.push(`VXLAN ${x.name} (vni ${x.vni})`);

  const lines = [
    `# containerlab topology of host "${host.name}" of the Wireplan design "${design.name}".`,
    '# Generated by Wireplan (wireplan export --format clab); deploy with: containerlab deploy -t FILE',
  ];
  if (bridges.length) {
    lines.push('# containerlab attaches to bridges that already exist on the host; create them first:');
    for (const b of bridges) lines.push(`#   ip link add ${b.name} type bridge && ip link set ${b.name} up`);
  }
  if (nameMap.length) {
    lines.push('# Interface names (containerlab keeps eth0 for management):');
    for (const m of nameMap) lines.push(`#   ${m}`);
  }
  lines.push(omitted.length ? '# Not carried over (containerlab cannot express it):' : '# Everything in the design is carried over.');
  for (const o of omitted) lines.push(`#   - ${o.replace(/\n/g, ' ')}`);
  lines.push(`name: ${q(clabName(`${design.tag}-${host.name}`))}`, 'topology:', '  nodes:');
  for (const ns of namespaces) {
    lines.push(`    ${q(nodeName.get(ns.id)!)}:`, '      kind: linux', '      image: "alpine:3"');
    const cmds = exec.get(ns.id)!;
    if (cmds.length) {
      lines.push('      exec:');
      for (const c of cmds) lines.push(`        - ${q(c)}`);
    }
  }
  for (const b of bridges) lines.push(`    ${q(nodeName.get(b.id)!)}:`, '      kind: bridge');
  if (!namespaces.length && !bridges.length) lines[lines.length - 1] = '  nodes: {}';
  lines.push(links.length ? '  links:' : '  links: []');
  for (const [a, b] of links) lines.push(`    - endpoints: [${q(a)}, ${q(b)}]`);
  return { text: `${lines.join('\n')}\n`, omitted };
}
