// Independent check that a sandbox holds what a design asks for, read back with
// `ip -j` and `nft -j` (not with the script's own probes, so a probe bug cannot hide a
// missing object).
import { compile, firewallTable, ownerTag } from '../../shared/compile/compile';
import type { Plan } from '../../shared/compile/plan';
import { canonicalPrefix, parsePrefix, formatNetwork } from '../../shared/net/ip';
import type { Design } from '../../shared/model/schema';
import { DesignIndex } from '../../shared/model/topology';
import type { KernelFeature } from './kernel-features';
import { addresses, links, nftRuleset, routes, type Sandbox } from './sandbox';
import { qdiscPlan } from '../../shared/compile/impair';

export function planOf(design: Design): Plan {
  const r = compile(design);
  if (!r.ok) throw new Error(`design does not compile: ${JSON.stringify(r.diagnostics)}`);
  return r.plan;
}

export function featuresOf(design: Design): KernelFeature[] {
  const f = new Set<KernelFeature>(['veth']);
  if (design.bridges.length) f.add('bridge');
  for (const m of design.macvlans) f.add(m.kind === 'ipvlan' ? 'ipvlan' : 'macvlan');
  if (design.vlans.length) f.add('vlan');
  if (design.vxlans.length) f.add('vxlan');
  if (design.masquerades.length + design.portForwards.length + design.policies.length) f.add('nft');
  // Link impairments: tbf for a rate, netem for the rest (compile/impair.ts).
  for (const v of design.veths) {
    for (const i of [v.impair, v.a.impair, v.b.impair]) {
      const q = qdiscPlan('x', i);
      if (q?.shape.includes('tbf')) f.add('tbf');
      if (q?.shape.includes('netem')) f.add('netem');
    }
  }
  return [...f];
}

/** Every mismatch between the design (for one host) and the sandbox, as readable lines. */
export async function designMismatches(sb: Sandbox, design: Design, hostId: string): Promise<string[]> {
  const plan = planOf(design);
  const host = plan.hosts.find((h) => h.host.id === hostId)!;
  const index = new DesignIndex(design);
  const problems: string[] = [];
  const nsList = (await sb.execOk(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
  for (const n of design.namespaces.filter((x) => x.host === hostId)) {
    if (!nsList.includes(n.name)) problems.push(`namespace ${n.name} missing`);
  }
  const linkCache = new Map<string, Awaited<ReturnType<typeof links>>>();
  const linksIn = async (ns: string) => linkCache.get(ns) ?? (linkCache.set(ns, await links(sb, ns)), linkCache.get(ns)!);
  for (const m of host.names) {
    const l = (await linksIn(m.ns)).find((x) => x.ifname === m.ifname);
    const owner = ownerTag(design.tag, m.element, m.end);
    if (!l) problems.push(`interface ${m.ifname} missing in ${m.ns || 'root'}`);
    else if (l.ifalias !== owner) problems.push(`interface ${m.ifname} in ${m.ns || 'root'} has alias ${l.ifalias}, want ${owner}`);
    else if (!l.flags.includes('UP')) problems.push(`interface ${m.ifname} in ${m.ns || 'root'} is down`);
  }
  // Addresses as designed, on the right interface.
  const nameOf = (element: string, end?: 'a' | 'b') => host.names.find((n) => n.element === element && n.end === end)!;
  const wantAddr: { ns: string; ifname: string; cidr: string }[] = [];
  for (const b of design.bridges) for (const a of b.addresses) wantAddr.push({ ...nameOf(b.id), cidr: a });
  for (const v of design.veths) for (const end of ['a', 'b'] as const) for (const a of v[end].addresses) wantAddr.push({ ...nameOf(v.id, end), cidr: a });
  for (const m of design.macvlans) for (const a of m.addresses) wantAddr.push({ ...nameOf(m.id), cidr: a });
  for (const x of design.vxlans) for (const a of x.addresses) wantAddr.push({ ...nameOf(x.id), cidr: a });
  for (const w of wantAddr.filter((x) => host.names.some((n) => n.ns === x.ns && n.ifname === x.ifname))) {
    const have = (await addresses(sb, w.ns)).find((e) => e.ifname === w.ifname)?.addr_info.map((i) => `${i.local}/${i.prefixlen}`) ?? [];
    if (!have.map((c) => canonicalPrefix(c)).includes(canonicalPrefix(w.cidr))) problems.push(`address ${w.cidr} missing on ${w.ifname} in ${w.ns || 'root'} (has ${have.join(', ')})`);
  }
  // Routes: destination and gateway.
  const wantRoutes = [
    ...design.namespaces.filter((n) => n.host === hostId).flatMap((n) => n.routes.map((r) => ({ ns: n.name, r }))),
    ...(design.hosts.find((h) => h.id === hostId)?.routes ?? []).map((r) => ({ ns: '', r })),
  ];
  for (const { ns, r } of wantRoutes) {
    const have = await routes(sb, ns);
    const dst = r.to === 'default' ? 'default' : formatNetwork(parsePrefix(r.to)!).replace(/\/(32|128)$/, '');
    const hit = have.find((x) => x.dst === dst && (!r.via || x.gateway === r.via) && (!r.dev || x.dev === r.dev));
    if (!hit) problems.push(`route ${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''} missing in ${ns || 'root'}`);
  }
  // Firewall: our table, and one rule per masquerade / port forward / policy carrying its tag.
  const routers = new Map<string, string[]>();
  for (const el of [...design.masquerades, ...design.portForwards, ...design.policies]) {
    const p = index.placeNoBridge(el.at);
    if (p?.host.id !== hostId) continue;
    const ns = p.ns?.name ?? '';
    routers.set(ns, [...(routers.get(ns) ?? []), ownerTag(design.tag, el.id)]);
  }
  for (const [ns, owners] of routers) {
    const ruleset = await nftRuleset(sb, ns);
    const table = ruleset.find((o) => (o['table'] as { name?: string } | undefined)?.name === firewallTable(design.tag));
    if (!table) {
      problems.push(`nft table inet ${firewallTable(design.tag)} missing in ${ns || 'root'}`);
      continue;
    }
    const comments = ruleset.map((o) => (o['rule'] as { comment?: string } | undefined)?.comment).filter(Boolean);
    for (const o of owners) if (!comments.includes(o)) problems.push(`no nft rule tagged ${o} in ${ns || 'root'}`);
  }
  return problems;
}
