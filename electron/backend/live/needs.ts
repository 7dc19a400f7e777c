// What a host's collector must read for a design: nft where the design has routers,
// the sysctls the plan sets, counters of namespaces whose links are not mirrored by a
// root-side veth end, and the design's namespaces for the monitor.
import type { Design } from '../../../shared/model/schema';
import { statusNeeds, type StatusModel } from '../../../shared/observe/status';
import type { CollectNeeds } from './collector';

export function needsFor(model: StatusModel, design: Design): CollectNeeds {
  const base = statusNeeds(model);
  const hostPlanNames = new Map<string, { ns: string }>();
  for (const t of model.targets) if (t.kind === 'interface') hostPlanNames.set(t.id, { ns: t.ns });
  const rates = new Set<string>();
  for (const t of model.targets) {
    if (t.kind !== 'interface' || t.ns === '') continue;
    // A veth end whose peer lives in the root: the root-side counters mirror it.
    const [element, end] = t.id.split('.');
    const pair = end === 'a' || end === 'b' ? hostPlanNames.get(`${element}.${end === 'a' ? 'b' : 'a'}`) : undefined;
    if (pair?.ns === '' && design.veths.some((v) => v.id === element)) continue;
    rates.add(t.ns);
  }
  const sysctls = new Map<string, string[]>();
  for (const [ns, keys] of base.sysctls) sysctls.set(ns, [...new Set(keys)].sort());
  const programs = design.namespaces.some((n) => n.programs.length > 0) ? { programs: design.tag } : {};
  // Interfaces with link impairments: their qdiscs and the runtime's records of them.
  const qdiscs = base.qdiscs.size > 0 ? { qdiscs: { tag: design.tag, interfaces: new Map([...base.qdiscs].map(([ns, devs]) => [ns, [...devs].sort()])) } } : {};
  return { nft: base.nft, sysctls, iptables: new Set(['']), rates, watch: new Set(model.namespaces), ...programs, ...qdiscs, unit: design.tag };
}
