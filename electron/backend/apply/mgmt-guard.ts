// The management path is sacred (DESIGN.md §3): the interface and route that carry the
// SSH session must not be enslaved, moved, readdressed, taken down, deleted or
// firewalled by a plan. This check reads the plan's commands (not its descriptions), so
// it holds for every step kind, present and future.
import type { HostPlan, Step } from '../../../shared/compile/plan';
import { contains, parseAddress, parsePrefix } from '../../../shared/net/ip';

export interface ManagementPath {
  /** The SSH client's address as the host sees it, and the host's own address of the session. */
  client: string;
  server: string;
  sshPort: number;
  /** Interfaces carrying the session: the route's device, its bridge ports, the NIC with the server address. */
  ifaces: string[];
  /** `ip route get <client>` as the host printed it. */
  route: string;
}

export interface ManagementConflict {
  stepId: string;
  index: number;
  description: string;
  reason: string;
}

function ifnameArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('dev');
  if (i >= 0) return argv[i + 1];
  // "ip link set NAME ..." without "dev"
  if (argv[0] === 'ip' && argv[1] === 'link' && argv[2] === 'set') return argv[3];
  return undefined;
}

function conflictsOf(step: Step, mgmt: ManagementPath): string[] {
  const reasons: string[] = [];
  const ifaces = new Set(mgmt.ifaces);
  for (const c of step.do) {
    if (c.ns !== '') continue; // only the host's root namespace carries the session
    const a = c.argv;
    if (a[0] === 'ip' && a[1] !== '-6' && a[1] !== 'route' && a[1] !== 'netns') {
      const dev = ifnameArg(a);
      if (dev && ifaces.has(dev)) {
        if (a[1] === 'link' && a[2] === 'set') {
          if (a.includes('master')) reasons.push(`enslaves management interface ${dev} to ${a[a.indexOf('master') + 1]}`);
          if (a.includes('nomaster')) reasons.push(`releases management interface ${dev} from its bridge`);
          if (a.includes('netns')) reasons.push(`moves management interface ${dev} to another namespace`);
          if (a.includes('down')) reasons.push(`takes management interface ${dev} down`);
          if (a.includes('name')) reasons.push(`renames management interface ${dev}`);
          if (a.includes('mtu') || a.includes('address')) reasons.push(`changes management interface ${dev} (mtu/mac)`);
        } else if (a[1] === 'link' && a[2] === 'del') reasons.push(`deletes management interface ${dev}`);
        else if (a[1] === 'addr' || a[1] === 'address' || a[1] === '-4') reasons.push(`readdresses management interface ${dev}`);
      }
      // A passthru macvlan/ipvlan or a vlan on top of it takes the NIC over or changes its traffic.
      const link = a[1] === 'link' && a[2] === 'add' ? a[a.indexOf('link', 3) + 1] : undefined;
      if (link && ifaces.has(link) && a.includes('passthru')) reasons.push(`a passthru ${a[a.indexOf('type') + 1]} takes over management interface ${link}`);
    }
    if (a[0] === 'ip' && (a[1] === 'route' || (a[1] === '-6' && a[2] === 'route'))) {
      const args = a[1] === 'route' ? a.slice(2) : a.slice(3);
      const to = args[1];
      if (args[0] === 'replace' || args[0] === 'add' || args[0] === 'change') {
        if (to && routeCovers(to, mgmt.client)) reasons.push(`route ${to} covers the SSH client ${mgmt.client} and may take over the session's return path`);
        const dev = args[args.indexOf('dev') + 1];
        if (args.includes('dev') && dev && ifaces.has(dev) && to && routeCovers(to, mgmt.client)) reasons.push(`routes via management interface ${dev}`);
      }
    }
    if (a[0] === 'wp_nft_load') reasons.push(...nftConflicts(a[1] ?? '', mgmt));
    // Bridged mode: the NIC becomes a bridge port and its addresses and routes move to the bridge.
    if (a[0] === 'wp_nic_enslave' && ifaces.has(a[1] ?? '')) {
      reasons.push(`enslaves management interface ${a[1]} to ${a[2]} and moves its addresses and routes there`);
    }
  }
  return [...new Set(reasons)];
}

function routeCovers(to: string, client: string): boolean {
  const addr = parseAddress(client);
  if (!addr) return false;
  if (to === 'default') return true;
  const p = parsePrefix(to.includes('/') ? to : `${to}/${addr.family === 4 ? 32 : 128}`);
  return !!p && p.family === addr.family && contains(p, addr);
}

/**
 * nft rules that could redirect or drop the session's traffic: DNAT/redirect of the SSH
 * port not limited to another interface or address, and drop/reject rules that name a
 * management interface or sit on an input/output hook. (Wireplan's own policies filter
 * only forwarded traffic; masquerade never touches an established inbound session.)
 */
export function nftConflicts(ruleset: string, mgmt: ManagementPath): string[] {
  const out: string[] = [];
  let hook = '';
  for (const raw of ruleset.split('\n')) {
    const line = raw.trim();
    const h = /hook (\w+)/.exec(line);
    if (h) {
      hook = h[1]!;
      continue;
    }
    const names = [...line.matchAll(/[io]ifname "([^"]+)"/g)].map((m) => m[1]!);
    const onMgmt = names.length === 0 || names.some((n) => mgmt.ifaces.includes(n));
    if (hook === 'prerouting' && /\b(dnat|redirect)\b/.test(line) && new RegExp(`\\bdport ${mgmt.sshPort}\\b`).test(line)) {
      const daddr = /\b(?:ip6?) daddr (\S+)/.exec(line)?.[1];
      if (onMgmt && (!daddr || daddr === mgmt.server)) out.push(`redirects tcp/${mgmt.sshPort}, the SSH port: new SSH connections (Wireplan's confirm included) would go elsewhere`);
    }
    if (/\b(drop|reject)\b/.test(line) && !/policy (drop|accept)/.test(line)) {
      if ((hook === 'input' || hook === 'output') && onMgmt) out.push(`drops traffic on the ${hook} hook, which the SSH session uses`);
      // A forward-hook drop filters traffic routed through the host, never the session to it.
      else if (hook !== 'forward' && names.some((n) => mgmt.ifaces.includes(n))) out.push(`drops traffic on management interface ${names.find((n) => mgmt.ifaces.includes(n))}`);
    }
    if (/policy drop/.test(line) && (hook === 'input' || hook === 'output')) out.push(`sets a drop policy on the ${hook} hook, which the SSH session uses`);
  }
  return out;
}

export function managementConflicts(host: HostPlan, mgmt: ManagementPath | undefined): ManagementConflict[] {
  if (!mgmt) return [];
  const out: ManagementConflict[] = [];
  host.steps.forEach((step, i) => {
    for (const reason of conflictsOf(step, mgmt)) out.push({ stepId: step.id, index: i + 1, description: step.description, reason });
  });
  return out;
}
