// The long-running monitor command: `ip -ts monitor all-nsid` for the host (every
// namespace the root has an id for), plus `nft monitor` in each router namespace and a
// per-namespace `ip monitor` for namespaces the root has no id for (all-nsid cannot see
// those), each line prefixed with its source. A heartbeat line every second doubles as
// the remote watchdog: once the channel is gone the heartbeat's write fails and the EXIT
// trap kills the whole process group, so no monitor outlives its channel by more than
// ~1 s (OpenSSH does not deliver signals to root sessions, so this cannot rely on one).
//
//   stdin   NUL-terminated "n/<netns>" (nft monitor; "" = root) and "i/<netns>" (ip monitor)
//   stdout  ip event lines as printed; `@@<nonce>:hb`; `@@<nonce>:nft:<i>:<line>`;
//           `@@<nonce>:ipn:<i>:<line>` (i = index of the stdin entry)
import { shellCommand } from '../../../shared/export/quote';
import { MONITOR_SH } from './monitor.generated';
import { passableNetnsName } from './poll-script';


export interface MonitorSpec {
  /** Namespaces to watch with `nft monitor` ("" = root). */
  nft: readonly string[];
  /** Namespaces to watch with their own `ip monitor` (the root has no id for them). */
  ip: readonly string[];
}

export function sameSpec(a: MonitorSpec, b: MonitorSpec): boolean {
  const eq = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.nft, b.nft) && eq(a.ip, b.ip);
}

export interface BuiltMonitor {
  command: string;
  stdin: string;
  nonce: string;
  /** stdin entries in order: index -> kind and namespace. */
  entries: { kind: 'nft' | 'ip'; ns: string }[];
}

export function buildMonitor(spec: MonitorSpec, nonce: string): BuiltMonitor {
  const entries = [
    ...spec.nft.filter(passableNetnsName).map((ns) => ({ kind: 'nft' as const, ns })),
    ...spec.ip.filter((ns) => ns !== '' && passableNetnsName(ns)).map((ns) => ({ kind: 'ip' as const, ns })),
  ];
  return {
    command: shellCommand(['bash', '-c', MONITOR_SH, 'wp-monitor', nonce]),
    stdin: entries.map((e) => `${e.kind === 'nft' ? 'n' : 'i'}/${e.ns}\u0000`).join(''),
    nonce,
    entries,
  };
}
