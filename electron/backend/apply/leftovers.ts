// Leftover objects: this design's objects on a host that its plan does not name (a
// namespace, bridge or veth deleted from the drawing, a firewall table of a router that
// is gone, a sysctl changed by an older version of the design).
//
// They are found in ONE place, on the host: ext.sh's leftover finder (wpx_tagged,
// wpx_plan_objects, wpx_leftovers), from the same inventory the plan's probes read.
//   apply    the inspect prints them ("@wpx orphan ..."); apply, its dry run and diff show
//            them; the run gets them back as its INPUT and prunes each after checking
//            again, under the lock, that it is still ours
//   destroy  its run finds them itself under the lock (one inspection of the host) and
//            prunes them before `down`
// This module is the backend's side of that: the lines' meaning, their description, the
// run's INPUT, and what a destroy must not leave behind.
import type { HostPlan } from '../../../shared/compile/plan';
import type { Inspection } from './inspect';
import type { StepStatus } from './types';

export type Orphan =
  | { kind: 'netns'; name: string; owner: string }
  | { kind: 'link'; ns: string; ifname: string; owner: string }
  | { kind: 'nft'; ns: string; table: string }
  | { kind: 'sysctl'; record: string };

const root = (ns: string) => (ns === '-' ? '' : ns);
const dash = (ns: string) => ns || '-';

/** One leftover line of the host's finder ("netns NAME OWNER", "link NS IF OWNER", "nft NS TABLE", "sysctl RECORD"), split on spaces. */
export function parseLeftover(f: readonly string[]): Orphan | undefined {
  const [kind, a, b, c] = f;
  if (kind === 'netns' && f.length === 3) return { kind, name: a!, owner: b! };
  if (kind === 'link' && f.length === 4) return { kind, ns: root(a!), ifname: b!, owner: c! };
  if (kind === 'nft' && f.length === 3) return { kind, ns: root(a!), table: b! };
  if (kind === 'sysctl' && f.length === 2) return { kind, record: a! };
  return undefined;
}

/** The finder's line for a leftover (also the run's INPUT line that prunes it). */
export function leftoverLine(o: Orphan): string {
  switch (o.kind) {
    case 'netns':
      return `netns ${o.name} ${o.owner}`;
    case 'link':
      return `link ${dash(o.ns)} ${o.ifname} ${o.owner}`;
    case 'nft':
      return `nft ${dash(o.ns)} ${o.table}`;
    case 'sysctl':
      return `sysctl ${o.record}`;
  }
}

export function describeOrphan(o: Orphan): string {
  switch (o.kind) {
    case 'netns':
      return `namespace ${o.name} (${o.owner})`;
    case 'link':
      return `interface ${o.ifname}${o.ns ? ` in ${o.ns}` : ''} (${o.owner})`;
    case 'nft':
      return `nft table inet ${o.table}${o.ns ? ` in ${o.ns}` : ''}`;
    case 'sysctl':
      return `changed sysctl ${o.record.replace(/%/g, '/')} (restore its recorded value)`;
  }
}

/** The apply run's INPUT file: leftovers to prune, and the namespaces that may hold our nft table. */
export function runInput(host: HostPlan, orphans: readonly Orphan[]): string {
  const lines = orphans.map(leftoverLine);
  for (const s of host.steps) if (s.probe.type === 'nft' && s.probe.ns) lines.push(`nftns ${s.probe.ns}`);
  // Every field was validated by the compiler's allowlists or read back from the host's
  // own listing; a field with whitespace would split differently on the host.
  for (const l of lines) if (/[^\x21-\x7e ]/.test(l)) throw new Error(`unsafe run input line ${JSON.stringify(l)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Steps the status calls foreign only because a leftover of ours holds the name (pruned first). */
export function trulyForeign(host: HostPlan, insp: Inspection, orphans: readonly Orphan[]): StepStatus[] {
  const held = new Set<string>();
  for (const o of orphans) {
    if (o.kind === 'netns') held.add(`netns\0${o.name}`);
    if (o.kind === 'link') held.add(`link\0${o.ns}\0${o.ifname}`);
  }
  return insp.steps.filter((s) => {
    if (s.state !== 'foreign') return false;
    const p = host.steps[s.index - 1]!.probe;
    if (p.type === 'netns') return !held.has(`netns\0${p.name}`);
    if (p.type === 'link' || p.type === 'alias') return !held.has(`link\0${p.ns}\0${p.ifname}`);
    return true;
  });
}

/**
 * Everything of this design an inspection found on the host, each object once: the plan's
 * namespaces, links and firewall tables that are present (by their step), then every
 * other tagged object (a leftover, or one a step does not cover) and every recorded
 * sysctl. What a destroy would remove, and what must be gone after it.
 */
export function designObjectsOnHost(host: HostPlan, insp: Inspection): string[] {
  const present = insp.steps.filter((s) => s.state === 'present').map((s) => ({ s, p: host.steps[s.index - 1]?.probe }));
  const nsOf = new Set<string>();
  for (const { p } of present) if (p?.type === 'netns') nsOf.add(p.name);
  // Namespaces of ours (by step or by tag): whatever is inside goes with them.
  const ours = new Set([...nsOf, ...insp.links.filter((l) => l.ns !== '' && l.ifname === 'lo').map((l) => l.ns)]);
  const linkOf = new Set<string>();
  const nftOf = new Set<string>();
  const out: string[] = [];
  for (const { s, p } of present) {
    if (p?.type === 'netns') out.push(s.description);
    else if (p?.type === 'link') {
      linkOf.add(`${p.ns}\0${p.ifname}`);
      if (!ours.has(p.ns)) out.push(s.description);
    } else if (p?.type === 'nft') {
      nftOf.add(p.ns);
      if (!ours.has(p.ns)) out.push(s.description);
    }
  }
  for (const l of insp.links) {
    if (l.ns !== '' && l.ifname === 'lo') {
      if (!nsOf.has(l.ns)) out.push(describeOrphan({ kind: 'netns', name: l.ns, owner: l.owner }));
    } else if (!ours.has(l.ns) && !linkOf.has(`${l.ns}\0${l.ifname}`)) out.push(describeOrphan({ kind: 'link', ...l }));
  }
  for (const t of insp.nftTables) if (!nftOf.has(t.ns) && !ours.has(t.ns)) out.push(describeOrphan({ kind: 'nft', ...t }));
  for (const r of insp.sysctlRecords) out.push(describeOrphan({ kind: 'sysctl', record: r }));
  return out;
}
