// Build an ObservedHost from namespaces parsed separately (a live monitor re-reads one
// namespace at a time and keeps the rest). Parsed namespaces may be shared between
// snapshots, so nothing here mutates them: each is shallow-copied to get this snapshot's
// nsid (the id the ROOT namespace gave it, from the root's `netns list-id`).
import type { ObservedAddress, ObservedHost, ObservedLink, ObservedNamespace } from './types';

export interface AssembleInput {
  bootId?: string;
  collectedAt: number;
  /** Every namespace, the root ("") included. */
  namespaces: readonly ObservedNamespace[];
  firewall?: ObservedHost['firewall'];
  warnings?: readonly string[];
}

export function assembleHost(input: AssembleInput): ObservedHost {
  const root = input.namespaces.find((n) => n.name === '');
  const ids = new Map<string, number>();
  for (const e of root?.nsids ?? []) if (e.name !== undefined && e.nsid !== undefined) ids.set(e.name, e.nsid);
  const namespaces: ObservedNamespace[] = [];
  const seen = new Set<string>();
  const warnings = [...(input.warnings ?? [])];
  for (const n of input.namespaces) {
    if (seen.has(n.name)) continue;
    seen.add(n.name);
    if (n.name === '') {
      namespaces.push(n);
      continue;
    }
    const copy: ObservedNamespace = { ...n };
    const id = ids.get(n.name);
    if (id !== undefined) copy.nsid = id;
    else delete copy.nsid;
    namespaces.push(copy);
  }
  // Root first, then by name: a stable order for consumers and diffs.
  namespaces.sort((a, b) => (a.name === b.name ? 0 : a.name === '' ? -1 : b.name === '' ? 1 : a.name < b.name ? -1 : 1));
  if (!root) warnings.push('host: the root namespace was not observed');
  const host: ObservedHost = { collectedAt: input.collectedAt, namespaces, firewall: input.firewall ?? {}, warnings };
  if (input.bootId !== undefined) host.bootId = input.bootId;
  return host;
}

/** Sysctl output whose keys are paths (net/ipv4/ip_forward) rewritten to the dotted form sysctl(8) prints. */
export function sysctlPathsToKeys(text: string, normalize: (key: string) => string): string {
  return text
    .split('\n')
    .map((line) => {
      const at = line.indexOf(' = ');
      return at > 0 ? `${normalize(line.slice(0, at))}${line.slice(at)}` : line;
    })
    .join('\n');
}

/**
 * A namespace with one interface re-read: `fresh` is what `addr show dev IFNAME` gave
 * (no link = it no longer exists). A link that kept its ifindex under a new name (a
 * rename) replaces the old one. Returns a new object; `ns` is not changed.
 */
export function patchInterface(ns: ObservedNamespace, ifname: string, fresh: { links: ObservedLink[]; addresses: ObservedAddress[] }): ObservedNamespace {
  const link = fresh.links.find((l) => l.ifname === ifname);
  const gone = (l: { ifname: string; ifindex: number }) => l.ifname === ifname || (link !== undefined && l.ifindex === link.ifindex);
  let links = ns.links.filter((l) => !gone(l));
  if (link) {
    const patched: ObservedLink = { ...link };
    if (patched.linkIndex === undefined && patched.link !== undefined && patched.linkNetnsid === undefined) {
      const peer = links.find((l) => l.ifname === patched.link);
      if (peer) patched.linkIndex = peer.ifindex;
    }
    const at = ns.links.findIndex((l) => gone(l));
    links = at >= 0 ? [...links.slice(0, at), patched, ...links.slice(at)] : [...links, patched];
  }
  const addresses = [...ns.addresses.filter((a) => !gone(a)), ...(link ? fresh.addresses.filter((a) => a.ifname === ifname) : [])];
  return { ...ns, links, addresses };
}
