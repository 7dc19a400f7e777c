// The one command a poll runs on a host: a small bash program (in argv, ~5 KiB) that reads
// what to observe from stdin and prints every tool's output between marker lines.
//
//   stdin   NUL-terminated entries "<flags>/<netns name>" ("" = the root namespace) and
//           "K/<sysctl path>" (slash form, under /proc/sys), and after an entry with flag q
//           "Q/<ifname>" per interface whose qdiscs it reads. Netns names can hold anything
//           but '/' and NUL, so this needs no quoting and no argv space (argv is ~128 KiB).
//   flags   l = `ip -j -d -batch` with the batch lines, L = the same with -s (counters),
//           r = `ip -j -s link show` only (traffic counters), n = nft text + JSON,
//           s = the sysctl keys, i = iptables-save -c and ip6tables-save -c,
//           d = /proc/net/dev (root only; a builtin read, no process),
//           q = `tc [-n NS] qdisc show dev IF` per Q entry, and the runtime's record
//               /run/wireplan/TAG/qdisc/[NS@]IF (mode q) (docs/impairments.md);
//           a = (alone) "a/<ifname>": the root's `ip -j -d addr show dev <ifname>` only.
//   mode    (argv) b = boot id, c = online CPUs, l = the /run/netns listing (NUL-separated),
//           p = the records of the design's programs (argv: the design tag; docs/programs.md),
//           u = the design's boot unit, q = qdisc records are read (the same tag).
//
// Output markers are `\n@@<nonce>:<kind>[:<index>[:<extra>]]\n` with a fresh random nonce per
// poll: host data (an alias, an iptables comment with a raw newline) cannot forge one.
// ip's stderr goes to the program's stderr behind `\n@@<nonce>:err:<index>\n` markers (no
// command substitution: that would cost a fork per namespace).
// One `ip` process per namespace; nft/sysctl/iptables need a process inside the namespace,
// so they run under one `ip netns exec NS bash` only for the namespaces that need them.
// Everything the program runs reads stdin from a here-string or /dev/null, never the list.
import { shellCommand } from '../../../shared/export/quote';
import { POLL_SH } from './poll.generated';

export interface PollEntry {
  /** Netns name; "" = the host's root namespace. */
  ns: string;
  /** ip -batch with details (links, addresses, routes, nsids). */
  ip?: boolean;
  /** Add -s to the ip batch (interface counters). */
  stats?: boolean;
  /** Only `ip -j -s link show` (counters for rates); ignored when ip is set. */
  rates?: boolean;
  /** /proc/net/dev of the poll's own (root) namespace, read without a process: counters for rates. */
  devStats?: boolean;
  /** Root namespace only: read just this interface (`addr show dev NAME`), nothing else. */
  device?: string;
  nft?: boolean;
  sysctl?: boolean;
  iptables?: boolean;
  /** Interfaces whose qdiscs are read (link impairments); only names `qdiscDevice` accepts are sent. */
  qdiscs?: readonly string[];
}

export interface PollRequest {
  entries: readonly PollEntry[];
  /** Sysctl keys (slash form, e.g. net/ipv4/ip_forward) read where an entry has sysctl. */
  sysctlKeys?: readonly string[];
  bootId?: boolean;
  cpus?: boolean;
  /** List /run/netns. */
  list?: boolean;
  /** Read the programs of the design with this tag (its records under /run/wireplan/TAG/prog). */
  programs?: string;
  /** Say whether the boot unit of the design with this tag is installed and enabled (apply --persist). */
  unit?: string;
  /** Read the runtime's qdisc records of the design with this tag (with entries' `qdiscs`). */
  qdiscRecords?: string;
  /** ip batch lines (default NAMESPACE_BATCH). */
  batch?: readonly string[];
}

/**
 * `addr show` repeats every link with the same details (and counters with -s), so a
 * separate `link show` would only double the output and the parse work.
 *
 * No `netns list-id` in a named namespace: to name each nsid, ip opens every entry of
 * /run/netns and asks the kernel for its id, so on a host with N namespaces each call costs
 * O(N) and a full poll O(N^2) (measured here: 300 namespaces, 1.4 s without, 5.5 s with).
 * The root's list (ROOT_EXTRA, once per poll) names the namespaces; a namespace's veth peer
 * is then found from the root side or by matching ifindexes both ways.
 */
export const NAMESPACE_BATCH: readonly string[] = ['addr show', 'route show table all'];

/** Added to the batch of the root namespace. */
export const ROOT_EXTRA = 'netns list-id';

/** The batch lines a namespace was read with. */
export function batchFor(ns: string, batch: readonly string[]): readonly string[] {
  return ns === '' && !batch.includes(ROOT_EXTRA) ? [...batch, ROOT_EXTRA] : batch;
}


function flagsOf(e: PollEntry): string {
  if (e.device !== undefined) return 'a';
  let f = '';
  if (e.ip) f += e.stats ? 'L' : 'l';
  else if (e.rates) f += 'r';
  if (e.nft) f += 'n';
  if (e.sysctl) f += 's';
  if (e.iptables) f += 'i';
  if (e.devStats) f += 'd';
  if (e.qdiscs && e.qdiscs.length > 0) f += 'q';
  return f || '-';
}

/** Netns names that can be passed at all (what /run/netns can hold). */
export function passableNetnsName(name: string): boolean {
  return name === '' || (!name.includes('/') && !name.includes('\u0000') && name !== '.' && name !== '..');
}

/**
 * Interface names a targeted read accepts: they go into one `ip -batch` line, whose own
 * tokenizer would split or unquote anything fancier (such names get a full re-read).
 */
export function targetableDevice(name: string): boolean {
  return /^[A-Za-z0-9_.+-]{1,15}$/.test(name);
}

/**
 * Interface names whose qdiscs can be read: what the kernel accepts as a name (1-15 bytes,
 * no '/', ':' or whitespace; not "." or ".."). They travel as NUL-terminated stdin entries
 * and are read one a line, and name a file under the state dir.
 */
export function qdiscDevice(name: string): boolean {
  return /^[^\s/:]{1,15}$/.test(name) && !name.includes('\u0000') && name !== '.' && name !== '..' && new TextEncoder().encode(name).length <= 15;
}

export interface BuiltPoll {
  command: string;
  stdin: string;
  nonce: string;
  /** The entries actually sent, in order (index = marker index). */
  entries: PollEntry[];
  batch: readonly string[];
}

export function buildPoll(req: PollRequest, nonce: string): BuiltPoll {
  const entries = req.entries
    .filter((e) => (e.device !== undefined ? e.ns === '' && targetableDevice(e.device) : passableNetnsName(e.ns)))
    .map((e) => (e.qdiscs === undefined ? e : { ...e, qdiscs: [...new Set(e.qdiscs.filter(qdiscDevice))] }));
  const batch = req.batch ?? NAMESPACE_BATCH;
  // The tag names a directory: only a tag as validation allows it (design-tag) is passed on.
  const valid = (t: string | undefined) => (t !== undefined && /^[a-z][a-z0-9-]{0,31}$/.test(t) ? t : undefined);
  const progTag = valid(req.programs);
  const unitTag = valid(req.unit);
  const qdiscTag = valid(req.qdiscRecords);
  // One design per poll: programs, the boot unit and qdisc records name the same tag.
  const tag = progTag ?? unitTag ?? qdiscTag;
  const mode = `${req.bootId ? 'b' : ''}${req.cpus ? 'c' : ''}${req.list ? 'l' : ''}${progTag ? 'p' : ''}${unitTag && unitTag === tag ? 'u' : ''}${qdiscTag && qdiscTag === tag ? 'q' : ''}-`;
  const parts: string[] = [];
  for (const e of entries) {
    parts.push(`${flagsOf(e)}/${e.device ?? e.ns}\u0000`);
    if (e.device === undefined) for (const d of e.qdiscs ?? []) parts.push(`Q/${d}\u0000`);
  }
  for (const k of req.sysctlKeys ?? []) if (!k.includes('\u0000') && !k.split('/').includes('..')) parts.push(`K/${k}\u0000`);
  return {
    command: shellCommand(['bash', '-c', POLL_SH, 'wp-poll', nonce, batch.join('\n'), mode, ...(tag ? [tag] : [])]),
    stdin: parts.join(''),
    nonce,
    entries,
    batch,
  };
}
