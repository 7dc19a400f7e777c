// Preflight: NetworkManager or systemd-networkd managing an interface the plan touches.
// Either daemon may re-add addresses Wireplan removed, pull a NIC out of a bridge or take
// down a macvlan's parent at the next carrier change, so the user is warned with the exact
// interface and how to release it. net-managers.sh reads the daemons' own state.
import type { Command, HostPlan } from '../../../shared/compile/plan';
import { shellCommand } from '../../../shared/export/quote';
import type { HostExecutor } from '../executor';
import { NET_MANAGERS_SH } from './net-managers.generated';

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** Interface names a root-namespace command of the plan names (dev X, link set X, link X, master X). */
function namesIn(c: Command): string[] {
  if (c.ns !== '') return [];
  const a = c.argv;
  const out: string[] = [];
  for (let i = 0; i < a.length - 1; i++) if (a[i] === 'dev' || a[i] === 'master' || (a[i] === 'link' && i > 2)) out.push(a[i + 1]!);
  if (a[0] === 'ip' && a[1] === 'link' && (a[2] === 'set' || a[2] === 'add') && a[3] !== 'dev' && a[3] !== 'name' && a[3]) out.push(a[3]);
  return out;
}

/** The root-namespace interfaces the plan creates, configures or hangs things off, sorted. */
export function touchedRootInterfaces(host: HostPlan): string[] {
  const names = new Set<string>();
  for (const s of host.steps) {
    const p = s.probe;
    if ('ifname' in p && p.ns === '') names.add(p.ifname);
    if (p.type === 'link-state' && p.ns === '' && p.master) names.add(p.master);
    if (p.type === 'route' && p.ns === '' && p.dev) names.add(p.dev);
    for (const c of s.do) for (const n of namesIn(c)) names.add(n);
  }
  return [...names].filter((n) => IFNAME.test(n) && n !== 'lo').sort();
}

export interface ManagedInterface {
  ifname: string;
  manager: 'NetworkManager' | 'systemd-networkd';
  /** The daemon's own word for it: ADMIN_STATE, or nmcli's device state. */
  state: string;
  /** The .network file (networkd) or the active connection (NetworkManager), when known. */
  config?: string;
}

/** Splits an `nmcli -t` line on its unescaped colons (values escape ':' and '\' with '\'). */
export function splitTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** networkd states in which it leaves the link alone. */
const NETWORKD_HANDS_OFF = new Set(['unmanaged', 'linger']);

/** What net-managers.sh printed, restricted to the interfaces asked about. */
export function parseNetManagers(stdout: string, asked: readonly string[]): ManagedInterface[] {
  const want = new Set(asked);
  const found = new Map<string, ManagedInterface>();
  const put = (m: ManagedInterface) => found.set(`${m.manager} ${m.ifname}`, m);
  const nmcliSeen = new Set<string>();
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const key = line.slice(0, sp);
    const rest = line.slice(sp + 1);
    if (key === 'networkd') {
      const [ifname, state, file] = rest.split(' ');
      if (ifname && state && want.has(ifname) && !NETWORKD_HANDS_OFF.has(state)) put({ ifname, manager: 'systemd-networkd', state, ...(file && file !== '-' ? { config: file } : {}) });
    } else if (key === 'nmcli') {
      // DEVICE:STATE:CONNECTION; nmcli is the authority when NetworkManager runs.
      const [ifname, state, connection] = splitTerse(rest);
      if (!ifname || !state || !want.has(ifname)) continue;
      nmcliSeen.add(ifname);
      if (state !== 'unmanaged') put({ ifname, manager: 'NetworkManager', state, ...(connection ? { config: connection } : {}) });
    } else if (key === 'nm-file') {
      const m = /^(\S+) managed=(\S+)$/.exec(rest);
      if (m && want.has(m[1]!) && m[2] === 'true') put({ ifname: m[1]!, manager: 'NetworkManager', state: 'managed' });
    }
  }
  // A device nmcli reports unmanaged is unmanaged, whatever a stale state file says.
  return [...found.values()].filter((m) => !(m.manager === 'NetworkManager' && m.state === 'managed' && nmcliSeen.has(m.ifname))).sort((a, b) => a.ifname.localeCompare(b.ifname) || a.manager.localeCompare(b.manager));
}

export function netManagerWarning(m: ManagedInterface): string {
  if (m.manager === 'systemd-networkd') {
    return `systemd-networkd manages ${m.ifname}, which the plan touches (ADMIN_STATE=${m.state}${m.config ? `, ${m.config}` : ''}): it may undo the plan's changes to ${m.ifname}. Release it: add [Link] Unmanaged=yes to a .network file matching ${m.ifname}, then networkctl reload`;
  }
  return `NetworkManager manages ${m.ifname}, which the plan touches (device state "${m.state}"${m.config ? `, connection "${m.config}"` : ''}): it may undo the plan's changes to ${m.ifname}. Release it: nmcli device set ${m.ifname} managed no`;
}

export function netManagersCommand(ifnames: readonly string[]): { command: string; stdin: string } {
  return { command: shellCommand(['bash', '-s', '--', ...ifnames.filter((n) => IFNAME.test(n))]), stdin: NET_MANAGERS_SH };
}

/** Warnings for the plan's root-namespace interfaces that a network daemon manages. */
export async function netManagerWarnings(exec: HostExecutor, host: HostPlan, signal?: AbortSignal): Promise<string[]> {
  const ifnames = touchedRootInterfaces(host);
  if (ifnames.length === 0) return [];
  const { command, stdin } = netManagersCommand(ifnames);
  const r = await exec.run(command, { stdin, ...(signal ? { signal } : {}), timeoutMs: 30_000 });
  if (r.code !== 0) return [`could not check whether NetworkManager or systemd-networkd manage ${ifnames.join(', ')} (exit ${r.code ?? r.signal}): ${r.stderr.trim()}`];
  return parseNetManagers(r.stdout, ifnames).map(netManagerWarning);
}
