// `ip -ts monitor all-nsid link address route netconf nsid` (also `-t`, and no timestamps).
//
// What iproute2 6.1 prints (verified on this machine): one event per line, continuation
// lines (link/ether ..., valid_lft ...) indented. With all-nsid every event is prefixed
// `[nsid current]` (the namespace ip runs in) or `[nsid N]` (N = the id the LISTENING
// namespace assigned); with -ts an ISO timestamp in brackets comes first, with -t a
// separate `Timestamp: ...` line. Interface names in events from other namespaces are
// resolved in the listener's namespace (so they are often wrong): only the namespace and
// the object kind are trustworthy, which is all the live monitor needs to re-poll.
// Changes in a namespace the listener has no id for are NOT reported at all.
//
// Pure: host data in, plain values out; never throws.

export type MonitorObject = 'link' | 'addr' | 'route' | 'nsid' | 'netconf' | 'neigh' | 'other';

export interface MonitorEvent {
  /** Link and address events: the interface name as printed (right for the listener's own namespace only). */
  ifname?: string;
  /** Route events: a kernel-made route (from an address or link-local) or a local-table one. */
  derivedRoute?: boolean;
  /** 'current' = the listener's own namespace; a number = that nsid; undefined = no prefix. */
  nsid?: number | 'current';
  object: MonitorObject;
  deleted: boolean;
  /** For nsid events: the id the event is about and the iproute2 name, when printed. */
  about?: { nsid: number; name?: string };
  /** The -ts timestamp as printed (local time, microseconds), when present. */
  stamp?: string;
}

const TS = /^\[(\d{4}-\d\d-\d\dT[\d:.]+)\]\s*/;
const PREFIX = /^\[nsid (current|\d+)\]/;

/** True for a line that continues the previous event (indented details). */
export function isContinuation(line: string): boolean {
  return line.startsWith(' ') || line.startsWith('\t');
}

function classify(body: string): Pick<MonitorEvent, 'object' | 'about'> {
  const ns = /^nsid (\d+)(?: \(iproute2 netns name: (.*)\))?\s*$/.exec(body);
  if (ns) {
    const about: NonNullable<MonitorEvent['about']> = { nsid: Number(ns[1]) };
    if (ns[2] !== undefined) about.name = ns[2];
    return { object: 'nsid', about };
  }
  // Kernel interface names contain no ':', '/' or whitespace, so these shapes are exact.
  if (/^\d+: \S+?: </.test(body)) return { object: 'link' };
  if (/^\d+: \S+\s+inet6? /.test(body)) return { object: 'addr' };
  if (/^(inet6?|ipv4|ipv6|mpls) \S+ /.test(body) || /^(inet6?) (all|default)\b/.test(body)) return { object: 'netconf' };
  if (/\blladdr\b/.test(body) || /^(dev \S+ )?lladdr /.test(body) || /\b(PERMANENT|REACHABLE|STALE|DELAY|PROBE|FAILED|NOARP|INCOMPLETE)\s*$/.test(body)) {
    return { object: 'neigh' };
  }
  if (/^(default|unreachable|blackhole|prohibit|throw|local|broadcast|multicast|anycast|unicast|nat)\b/.test(body)) return { object: 'route' };
  if (/^[0-9a-fA-F.:]+(\/\d+)?\s/.test(body) && /\b(dev|via|proto|table|scope)\b/.test(body)) return { object: 'route' };
  return { object: 'other' };
}

/**
 * One event line (not a continuation, not a `Timestamp:` line) -> event. Returns undefined
 * for lines that are not events (blank, continuation, -t timestamp lines).
 */
export function parseMonitorLine(raw: string): MonitorEvent | undefined {
  if (typeof raw !== 'string') return undefined;
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '' || isContinuation(line) || line.startsWith('Timestamp:')) return undefined;
  let rest = line;
  const event: MonitorEvent = { object: 'other', deleted: false };
  const ts = TS.exec(rest);
  if (ts) {
    event.stamp = ts[1]!;
    rest = rest.slice(ts[0].length);
  }
  const p = PREFIX.exec(rest);
  if (p) {
    event.nsid = p[1] === 'current' ? 'current' : Number(p[1]);
    rest = rest.slice(p[0].length);
  }
  if (rest.startsWith('Deleted ')) {
    event.deleted = true;
    rest = rest.slice('Deleted '.length);
  }
  const c = classify(rest);
  event.object = c.object;
  if (c.about) event.about = c.about;
  if (c.object === 'link' || c.object === 'addr') {
    const m = /^\d+: ([^\s:@]+)/.exec(rest);
    if (m) event.ifname = m[1]!;
  }
  if (c.object === 'route' && (/\bproto kernel\b/.test(rest) || /\btable local\b/.test(rest) || /^(multicast|local|broadcast) /.test(rest) || /^fe80::/.test(rest))) {
    event.derivedRoute = true;
  }
  return event;
}

/**
 * Which events are worth a re-read of the namespace they happened in. Routes the kernel
 * derives (from an address, IPv6 link-local, the local table) follow an address or link
 * event that already triggers one; on a host with hundreds of veth ends they are most of
 * the traffic.
 */
export function triggersRepoll(e: MonitorEvent): boolean {
  if (e.object === 'route') return !e.derivedRoute;
  return e.object === 'link' || e.object === 'addr' || e.object === 'netconf' || e.object === 'nsid';
}
