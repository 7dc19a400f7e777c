// The plan section of a host script: each step's table entries and its probe/do/undo
// functions, exactly as the on-host runtime reads them. It is the part of the script that
// says what runs, so the plan hash is taken over it (compile/digest.ts) and the text is
// built once per compile and reused by the export.
import type { Command, HostPlan, LinkProps, Probe, Step } from '../compile/plan';
import { TextBuilder } from '../util/text-builder';
import { quoteArg } from './quote';

/** `argv` as shell words. Concatenation, not map + join: this runs for every command of every step. */
function words(argv: readonly string[]): string {
  let out = quoteArg(argv[0]!);
  for (let i = 1; i < argv.length; i++) out += ' ' + quoteArg(argv[i]!);
  return out;
}

/** An interface's designed MTU and MAC as two probe arguments ('' = not checked). */
function props(p: LinkProps): string {
  return `${p.mtu ?? "''"} ${p.mac ? quoteArg(p.mac) : "''"}`;
}

/** The probe as a call of a wp_probe_* function of the runtime. */
function probeCall(p: Probe): string {
  const q = quoteArg;
  switch (p.type) {
    case 'netns':
      return `wp_probe_netns ${q(p.name)} ${q(p.owner)}`;
    case 'link': {
      const peer = p.peer ? ` ${q(p.peer.ns)} ${q(p.peer.ifname)} ${q(p.peer.owner)}` : '';
      return `wp_probe_link ${q(p.ns)} ${q(p.ifname)} ${q(p.owner)} ${props(p)}${peer}`;
    }
    case 'alias':
      return `wp_probe_alias ${q(p.ns)} ${q(p.ifname)} ${q(p.owner)} ${props(p)}`;
    case 'link-state':
      return `wp_probe_linkstate ${q(p.ns)} ${q(p.ifname)} ${q(p.master ?? '')} ${p.up ? '1' : '0'}`;
    case 'addr':
      return `wp_probe_addr ${q(p.ns)} ${q(p.ifname)} ${q(p.cidr)}`;
    case 'route': {
      const family = p.to.includes(':') || p.via?.includes(':') ? '6' : '4';
      const metric = p.metric === undefined ? '' : String(p.metric);
      return `wp_probe_route ${q(p.ns)} ${family} ${q(p.to)} ${q(p.via ?? '')} ${q(p.dev ?? '')} ${q(metric)}`;
    }
    case 'sysctl':
      return `wp_probe_sysctl ${q(p.ns)} ${q(p.key)} ${q(p.value)}`;
    case 'nft':
      return `wp_probe_nft ${q(p.ns)} ${q(p.table)} ${q(p.digest)}`;
    case 'bridge-vlan':
      return `wp_probe_bridge_vlan ${q(p.ns)} ${q(p.ifname)} ${p.pvid}`;
    case 'qdisc':
      return `wp_probe_qdisc ${q(p.ns)} ${q(p.ifname)} ${q(p.shape)} ${q(p.digest)}`;
    case 'program':
      return `wp_probe_program ${q(p.ns)} ${q(p.name)} ${q(p.digest)}`;
  }
}

/**
 * A function body on one line: the commands as `wp_x NS ARGV...`, joined so the first
 * failure returns (the last one's status is the function's own), or `:` for none.
 */
function body(cmds: readonly Command[]): string {
  if (cmds.length === 0) return ':';
  let out = '';
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i]!;
    out += `${i ? ' || return 1; ' : ''}wp_x ${quoteArg(c.ns)} ${words(c.argv)}`;
  }
  return out;
}

/** Space-separated step numbers of the steps that cover this one (ids not in the plan are dropped). */
function coverOf(step: Step, numberOf: Map<string, number>): string {
  let cover = '';
  for (const id of step.coveredBy) {
    const n = numberOf.get(id);
    if (n !== undefined) cover += cover ? ` ${n}` : String(n);
  }
  return cover;
}

/** Step kinds whose objects carry no ownership tag on the host (see runtime.sh, WP_OWNED). */
// (A qdisc has no tag either: ours is known by its handle, and only where this design made it.)
const UNTAGGED: ReadonlySet<Step['kind']> = new Set(['addr', 'route', 'bridge-vlan', 'qdisc']);

/**
 * One step: only what the runtime reads is written: the kind (and its object or sysctl)
 * for netns and sysctl steps, the cover when there is one (see runtime.sh). Three one-line
 * functions keep 8,000-step plans small to generate, ship and parse.
 */
function stepText(step: Step, i: number, cover: string): string {
  let s = `WP_ID[${i}]=${quoteArg(step.id)}; WP_DESC[${i}]=${quoteArg(step.description)}`;
  if (cover) s += `; WP_COVER[${i}]=${quoteArg(cover)}`;
  // netns and sysctl steps are special to the runtime; addresses, routes and PVIDs carry no
  // ownership tag, so down and rollback undo them only where this design made them.
  const p = step.probe;
  // A program is ours by its record under the state dir and the tag in its environment; its
  // kind tells `status` to say running or exited (see runtime.sh, wp_probe_program).
  if (step.kind === 'netns' || step.kind === 'sysctl' || step.kind === 'program' || UNTAGGED.has(step.kind)) s += `; WP_KIND[${i}]=${step.kind}${p.type === 'route' && p.takeOver ? '-take' : ''}`;
  if (p.type === 'netns') s += `; WP_OBJ[${i}]=${quoteArg(p.name)}`;
  else if (p.type === 'link' && p.ns === '') s += `; WP_ROOTIF[${i}]=${quoteArg(p.ifname)}`;
  else if (p.type === 'sysctl') s += `; WP_SYSCTL_NS[${i}]=${quoteArg(p.ns)}; WP_SYSCTL_KEY[${i}]=${quoteArg(p.key)}`;
  return `${s}\nwp_s${i}_probe() { ${probeCall(p)}; }\nwp_s${i}_do() { ${body(step.do)}; }\nwp_s${i}_undo() { ${body(step.undo)}; }\n`;
}

export function stepTable(host: Pick<HostPlan, 'steps'>): string {
  const numberOf = new Map<string, number>();
  host.steps.forEach((s, i) => numberOf.set(s.id, i + 1));
  const out = new TextBuilder();
  host.steps.forEach((step, n) => out.add(stepText(step, n + 1, coverOf(step, numberOf))));
  return out.toString();
}

/** The table compile built for this host plan (the same object), so export does not build it twice. */
const built = new WeakMap<HostPlan, string>();

export function rememberStepTable(host: HostPlan, table: string): void {
  built.set(host, table);
}

export function stepTableOf(host: HostPlan): string {
  return built.get(host) ?? stepTable(host);
}
