// What is on the host now, as the plan's own probes see it, plus every object that
// carries this design's ownership tag and the leftovers among them (objects of this
// design the design no longer has, as the host's leftover finder in ext.sh judged them:
// see leftovers.ts).
import { shellCommand } from '../../../shared/export/quote';
import type { HostPlan } from '../../../shared/compile/plan';
import { firewallTable } from '../../../shared/compile/compile';
import type { RemotePaths } from './paths';
import { parseLeftover, type Orphan } from './leftovers';
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
  /** This design's objects on the host that the plan does not name (apply removes them first). */
  orphans: Orphan[];
  bootId: string;
  /** Earlier runs whose commit-confirmed window is still open: "RUNID STATE". */
  pendingConfirm: string[];
  /** Another run holds the design's lock on the host (its holder line); nothing else was read. */
  lockedBy?: string;
}

/** `bash wp-ext.sh PLAN inspect TABLE MODE`; "full" looks for our nft table in every namespace of ours. */
export function inspectArgv(p: RemotePaths, tag: string, mode: 'full' | 'quick'): string[] {
  return ['bash', p.ext, p.script, 'inspect', firewallTable(tag), mode];
}

export function inspectCommand(p: RemotePaths, tag: string, mode: 'full' | 'quick'): string {
  return shellCommand(inspectArgv(p, tag, mode));
}

const STATUS_LINE = /^(present|missing|drifted|foreign|running|exited|stopped)\s+(.*) {2}\((.*)\)$/;
/** A program's status word (docs/programs.md): running is as designed; exited or stopped, apply starts it again. */
const PROGRAM_STATE: Readonly<Record<string, StepState>> = { running: 'present', exited: 'drifted', stopped: 'drifted' };

export function parseStatus(stdout: string, host: HostPlan): StepStatus[] {
  const out: StepStatus[] = [];
  for (const line of stdout.split('\n')) {
    const m = STATUS_LINE.exec(line);
    if (!m) continue;
    const index = out.length + 1;
    const description = host.steps[index - 1]?.description ?? m[2]!;
    // The runtime's status says how a step differs after its description ("desc: how").
    const detail = m[2]!.startsWith(`${description}: `) ? m[2]!.slice(description.length + 2) : undefined;
    out.push({ index, id: m[3]!, description, state: PROGRAM_STATE[m[1]!] ?? (m[1] as StepState), ...(detail ? { detail } : {}) });
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
  if (locked) return { steps: [], links: [], nftTables: [], sysctlRecords: [], orphans: [], pendingConfirm: [], bootId: 'unknown', lockedBy: locked[1]! };
  const insp: Inspection = { steps: parseStatus(stdout, host), links: [], nftTables: [], sysctlRecords: [], orphans: [], pendingConfirm: [], bootId: 'unknown' };
  for (const line of stdout.split('\n')) {
    const f = line.split(' ');
    if (f[0] !== '@wpx') continue;
    if (f[1] === 'link' && f.length === 5) insp.links.push({ ns: root(f[2]!), ifname: f[3]!, owner: f[4]! });
    else if (f[1] === 'nft' && f.length === 4) insp.nftTables.push({ ns: root(f[2]!), table: f[3]! });
    else if (f[1] === 'sysctl' && f.length === 3) insp.sysctlRecords.push(f[2]!);
    else if (f[1] === 'boot' && f[2]) insp.bootId = f[2];
    else if (f[1] === 'pending-confirm' && f.length === 4) insp.pendingConfirm.push(`${f[2]} ${f[3]}`);
    else if (f[1] === 'orphan') {
      const o = parseLeftover(f.slice(2));
      if (o) insp.orphans.push(o);
    }
  }
  return insp;
}
