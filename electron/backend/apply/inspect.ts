// What is on the host now, as the plan's own probes see it, plus every object that
// carries this design's ownership tag; and from the two, the orphans: Wireplan objects
// of this design that the design no longer has (reconcile removes them).
import { shellCommand } from '../../../shared/export/quote';
import type { HostPlan } from '../../../shared/compile/plan';
import { firewallTable } from '../../../shared/compile/compile';
import type { RemotePaths } from './paths';
import type { StepState, StepStatus } from './types';

export interface TaggedLink {
  ns: string;
  ifname: string;
  owner: string;
}

export interface Inspection {
  steps: StepStatus[];
  links: TaggedLink[];
  /** Namespaces ('' = root) holding an nft table tagged as this design's. */
  nftTables: { ns: string; table: string }[];
  /** Recorded prior sysctl values (file names under the state dir's sysctl/). */
  sysctlRecords: string[];
  bootId: string;
  /** Earlier runs whose commit-confirmed window is still open: "RUNID STATE". */
  pendingConfirm: string[];
  /** Another run holds the design's lock on the host (its holder line); nothing else was read. */
  lockedBy?: string;
}

export type Orphan =
  | { kind: 'netns'; name: string; owner: string }
  | { kind: 'link'; ns: string; ifname: string; owner: string }
  | { kind: 'nft'; ns: string; table: string }
  | { kind: 'sysctl'; record: string };

/** `bash wp-ext.sh PLAN inspect TABLE MODE`; "full" looks for our nft table in every namespace of ours. */
export function inspectCommand(p: RemotePaths, tag: string, mode: 'full' | 'quick'): string {
  return shellCommand(['bash', p.ext, p.script, 'inspect', firewallTable(tag), mode]);
}

const STATUS_LINE = /^(present|missing|foreign)\s+(.*) {2}\((.*)\)$/;

export function parseStatus(stdout: string, host: HostPlan): StepStatus[] {
  const out: StepStatus[] = [];
  for (const line of stdout.split('\n')) {
    const m = STATUS_LINE.exec(line);
    if (!m) continue;
    const index = out.length + 1;
    out.push({ index, id: m[3]!, description: host.steps[index - 1]?.description ?? m[2]!, state: m[1] as StepState });
  }
  if (out.length !== host.steps.length) throw new Error(`status listed ${out.length} steps, the plan has ${host.steps.length}`);
  out.forEach((s, i) => {
    if (s.id !== host.steps[i]!.id) throw new Error(`status step ${i + 1} is ${s.id}, the plan says ${host.steps[i]!.id}: the host runs a different plan`);
  });
  return out;
}

const root = (ns: string) => (ns === '-' ? '' : ns);

export function parseInspect(stdout: string, host: HostPlan): Inspection {
  const locked = /^@wpx locked (.*)$/m.exec(stdout);
  if (locked) return { steps: [], links: [], nftTables: [], sysctlRecords: [], pendingConfirm: [], bootId: 'unknown', lockedBy: locked[1]! };
  const insp: Inspection = { steps: parseStatus(stdout, host), links: [], nftTables: [], sysctlRecords: [], pendingConfirm: [], bootId: 'unknown' };
  for (const line of stdout.split('\n')) {
    const f = line.split(' ');
    if (f[0] !== '@wpx') continue;
    if (f[1] === 'link' && f.length === 5) insp.links.push({ ns: root(f[2]!), ifname: f[3]!, owner: f[4]! });
    else if (f[1] === 'nft' && f.length === 4) insp.nftTables.push({ ns: root(f[2]!), table: f[3]! });
    else if (f[1] === 'sysctl' && f.length === 3) insp.sysctlRecords.push(f[2]!);
    else if (f[1] === 'boot' && f[2]) insp.bootId = f[2];
    else if (f[1] === 'pending-confirm' && f.length === 4) insp.pendingConfirm.push(`${f[2]} ${f[3]}`);
  }
  return insp;
}

/** The sysctl record file name the script uses for (ns, key). */
export function sysctlRecordName(ns: string, key: string): string {
  return `${ns ? `${ns}@` : ''}${key.replace(/\//g, '%')}`;
}

/**
 * Objects of this design on the host that the plan does not describe. Everything else
 * (foreign objects, other designs' objects) is never listed: only an exact tag match
 * makes an orphan, and the host re-checks the tag right before removing it.
 */
export function findOrphans(host: HostPlan, insp: Inspection): Orphan[] {
  const wantLink = new Map<string, string>();
  const wantNetns = new Map<string, string>();
  const wantNft = new Set<string>();
  const wantSysctl = new Set<string>();
  for (const s of host.steps) {
    const p = s.probe;
    if (p.type === 'netns') {
      wantNetns.set(p.name, p.owner);
      wantLink.set(`${p.name}\0lo`, p.owner);
    } else if (p.type === 'link' || p.type === 'alias') wantLink.set(`${p.ns}\0${p.ifname}`, p.owner);
    else if (p.type === 'nft') wantNft.add(p.ns);
    else if (p.type === 'sysctl') wantSysctl.add(sysctlRecordName(p.ns, p.key));
  }
  const out: Orphan[] = [];
  const goneNs = new Set<string>();
  for (const l of insp.links) {
    if (l.ns === '' || l.ifname !== 'lo') continue;
    if (wantNetns.get(l.ns) !== l.owner) {
      out.push({ kind: 'netns', name: l.ns, owner: l.owner });
      goneNs.add(l.ns);
    }
  }
  for (const l of insp.links) {
    if (l.ifname === 'lo' || goneNs.has(l.ns)) continue;
    if (wantLink.get(`${l.ns}\0${l.ifname}`) !== l.owner) out.push({ kind: 'link', ns: l.ns, ifname: l.ifname, owner: l.owner });
  }
  for (const t of insp.nftTables) {
    if (!goneNs.has(t.ns) && !wantNft.has(t.ns)) out.push({ kind: 'nft', ns: t.ns, table: t.table });
  }
  for (const r of insp.sysctlRecords) {
    const ns = r.includes('@') ? r.slice(0, r.indexOf('@')) : '';
    if (!wantSysctl.has(r) && !goneNs.has(ns)) out.push({ kind: 'sysctl', record: r });
  }
  return out;
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

/** The run's INPUT file: orphans to prune, and the namespaces that may hold our nft table. */
export function runInput(host: HostPlan, orphans: readonly Orphan[]): string {
  const d = (ns: string) => ns || '-';
  const lines = orphans.map((o) => {
    switch (o.kind) {
      case 'netns':
        return `netns ${o.name} ${o.owner}`;
      case 'link':
        return `link ${d(o.ns)} ${o.ifname} ${o.owner}`;
      case 'nft':
        return `nft ${d(o.ns)} ${o.table}`;
      case 'sysctl':
        return `sysctl ${o.record}`;
    }
  });
  for (const s of host.steps) if (s.probe.type === 'nft' && s.probe.ns) lines.push(`nftns ${s.probe.ns}`);
  // Every field was validated by the compiler's allowlists or read back from the host's
  // own listing; a field with whitespace would split differently on the host.
  for (const l of lines) if (/[^\x21-\x7e ]/.test(l)) throw new Error(`unsafe run input line ${JSON.stringify(l)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Steps the status calls foreign only because an orphan of ours holds the name (pruned first). */
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

