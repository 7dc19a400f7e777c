// Cut / restore a link of an applied design: a runtime action, like pulling a cable. It
// sets both veth ends down (or up) on the host and changes nothing else: not the design,
// not undo, not the plan saved on the host (so the next `up` of the design, or `status`,
// sees the link as drifted: down where the design says up). Used by `wireplan link` and
// the app's cut/restore button (service.setLinkState).
import { ownerTag } from '../../../shared/compile/compile';
import type { Plan } from '../../../shared/compile/plan';
import { shellCommand } from '../../../shared/export/quote';
import type { Design, Host, Veth } from '../../../shared/model/schema';
import type { HostExecutor } from '../executor';
import { LINK_STATE_SH } from './link-state.generated';

export type LinkState = 'up' | 'down';

export interface LinkEnd {
  end: 'a' | 'b';
  /** Netns name, '' for the root namespace. */
  ns: string;
  ifname: string;
  /** The ownership tag the plan gives this end (checked on the host before it is touched). */
  owner: string;
}

export interface ResolvedLink {
  veth: Veth;
  host: Host;
  ends: LinkEnd[];
}

// The same allowlists the compiler's names pass (validation rules ifname/netns-name): checked
// again here because these words go to a shell on the host.
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const NETNS = /^[A-Za-z0-9_.-]{1,64}$/;
const OWNER = /^wireplan:[a-z0-9_-]+:[a-z0-9_./-]+$/;

/** The veth named `ref` (its id or its name) and its two ends as the compiled plan places them. */
export function resolveLink(design: Design, plan: Plan, ref: string): ResolvedLink | { error: string } {
  const veth = design.veths.find((v) => v.id === ref) ?? design.veths.find((v) => v.name === ref);
  if (!veth) {
    const known = design.veths.map((v) => (v.name === v.id ? v.id : `${v.id} ("${v.name}")`));
    return { error: `no link "${ref}" in this design${known.length ? ` (links: ${known.join(', ')})` : ' (it has no veth links)'}` };
  }
  for (const hp of plan.hosts) {
    const ends: LinkEnd[] = [];
    for (const n of hp.names) {
      if (n.element === veth.id && n.end) ends.push({ end: n.end, ns: n.ns, ifname: n.ifname, owner: ownerTag(design.tag, veth.id, n.end) });
    }
    if (ends.length === 0) continue;
    const host = design.hosts.find((h) => h.id === hp.host.id)!;
    for (const e of ends) {
      if (!IFNAME.test(e.ifname) || (e.ns !== '' && !NETNS.test(e.ns)) || !OWNER.test(e.owner)) return { error: `link "${veth.name}" has an end with an unusable name (${JSON.stringify(e)})` };
    }
    return { veth, host, ends: ends.sort((x, y) => x.end.localeCompare(y.end)) };
  }
  return { error: `link "${veth.name}" is on no host of the plan` };
}

/** The shell command line that checks both ends are ours and sets them `state`. */
export function linkStateCommand(link: ResolvedLink, state: LinkState): string {
  const args = link.ends.flatMap((e) => [e.ns === '' ? '-' : e.ns, e.ifname, e.owner]);
  return shellCommand(['bash', '-c', LINK_STATE_SH, 'wp-link', state, ...args]);
}

export type LinkActionResult = { ok: true; message: string } | { ok: false; error: string };

function endText(e: LinkEnd): string {
  return `${e.ifname}${e.ns ? ` in ${e.ns}` : ''}`;
}

/** Runs the action on the link's host. Never throws for a refusal: the host's reason comes back. */
export async function setLinkState(exec: HostExecutor, link: ResolvedLink, state: LinkState): Promise<LinkActionResult> {
  const r = await exec.run(linkStateCommand(link, state), { timeoutMs: 30_000 });
  if (r.code !== 0) return { ok: false, error: r.stderr.trim().replace(/^wireplan: /, '') || `exit ${r.code ?? r.signal}` };
  const what = state === 'down' ? 'cut' : 'restored';
  return { ok: true, message: `link "${link.veth.name}" ${what} on host ${link.host.name}: ${link.ends.map(endText).join(', ')} ${state}` };
}
