// The one command a poll runs on a host: a small bash program (in argv, ~2 KiB) that reads
// what to observe from stdin and prints every tool's output between marker lines.
//
//   stdin   NUL-terminated entries "<flags>/<netns name>" ("" = the root namespace) and
//           "K/<sysctl path>" (slash form, under /proc/sys). Netns names can hold anything
//           but '/' and NUL, so this needs no quoting and no argv space (argv is ~128 KiB).
//   flags   l = `ip -j -d -batch` with the batch lines, L = the same with -s (counters),
//           r = `ip -j -s link show` only (traffic counters), n = nft text + JSON,
//           s = the sysctl keys, i = iptables-save -c and ip6tables-save -c,
//           d = /proc/net/dev (root only; a builtin read, no process);
//           a = (alone) "a/<ifname>": the root's `ip -j -d addr show dev <ifname>` only.
//   mode    (argv) b = boot id, c = online CPUs, l = the /run/netns listing (NUL-separated).
//
// Output markers are `\n@@<nonce>:<kind>[:<index>[:<extra>]]\n` with a fresh random nonce per
// poll: host data (an alias, an iptables comment with a raw newline) cannot forge one.
// ip's stderr goes to the program's stderr behind `\n@@<nonce>:err:<index>\n` markers (no
// command substitution: that would cost a fork per namespace).
// One `ip` process per namespace; nft/sysctl/iptables need a process inside the namespace,
// so they run under one `ip netns exec NS bash` only for the namespaces that need them.
// Everything the program runs reads stdin from a here-string or /dev/null, never the list.
import { shellCommand } from '../../../shared/export/quote';

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
}

export interface PollRequest {
  entries: readonly PollEntry[];
  /** Sysctl keys (slash form, e.g. net/ipv4/ip_forward) read where an entry has sysctl. */
  sysctlKeys?: readonly string[];
  bootId?: boolean;
  cpus?: boolean;
  /** List /run/netns. */
  list?: boolean;
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

// (Written with @{ for bash's ${, which a template literal would interpolate.)
const PROGRAM = String.raw`export LC_ALL=C
shopt -s nullglob
N=$1 B=$2 M=$3
m() { printf '\n@@%s:%s\n' "$N" "$1"; }
e2() { printf '\n@@%s:err:%s\n' "$N" "$1" >&2; }
x() {
  local i=$1 f=$2 k v e r; shift 2
  if [[ $f == *n* ]]; then
    if command -v nft >/dev/null 2>&1; then
      m "nft:$i"; { e=$(nft list ruleset 2>&1 >&3 3>&-); r=$?; } 3>&1
      [[ $r == 0 && -z $e ]] || { m "nfterr:$i:$r"; printf '%s' "$e"; }
      m "nftj:$i"; { e=$(nft -j list ruleset 2>&1 >&3 3>&-); r=$?; } 3>&1
      [[ $r == 0 && -z $e ]] || { m "nftjerr:$i:$r"; printf '%s' "$e"; }
    else m "nonft:$i"; fi
  fi
  if [[ $f == *s* ]]; then
    m "sysctl:$i"
    for k; do IFS= read -r v < "/proc/sys/$k" 2>/dev/null && printf '%s = %s\n' "$k" "$v"; done
  fi
  if [[ $f == *i* ]]; then
    if command -v iptables-save >/dev/null 2>&1; then
      m "ipt:$i"; iptables-save -c 2>/dev/null </dev/null
      m "ip6t:$i"; ip6tables-save -c 2>/dev/null </dev/null
    else m "noipt:$i"; fi
  fi
  return 0
}
X="$(declare -f m x)"
keys=() ents=()
while IFS= read -r -d '' e; do
  if [[ @{e%%/*} == K ]]; then keys+=("@{e#*/}"); else ents+=("$e"); fi
done
exec </dev/null
if [[ $M == *b* ]]; then m boot; IFS= read -r v < /proc/sys/kernel/random/boot_id && printf '%s\n' "$v"; fi
if [[ $M == *c* ]]; then m cpus; IFS= read -r v < /sys/devices/system/cpu/online && printf '%s\n' "$v"; fi
if [[ $M == *l* ]]; then m names; for p in /run/netns/*; do printf '%s\0' "@{p#/run/netns/}"; done; fi
i=0
for e in "@{ents[@]}"; do
  f=@{e%%/*} ns=@{e#*/}
  if [[ $f == a ]]; then
    m "t:$i:$EPOCHREALTIME"; m "ip:$i"
    e2 "$i"; ip -j -d -batch - <<<"addr show dev $ns"; r=$?
    [[ $r == 0 ]] || m "iperr:$i:$r"
    i=$((i+1)); continue
  fi
  if [[ -n $ns && ! -e /run/netns/$ns ]]; then m "gone:$i"; i=$((i+1)); continue; fi
  m "t:$i:$EPOCHREALTIME"
  if [[ $f == *d* && -z $ns ]]; then m "dev:$i"; printf '%s\n' "$(</proc/net/dev)"; fi
  if [[ $f == *[lLr]* ]]; then
    o=(-j) bb=$B
    [[ -z $ns && $B != *"netns list-id"* ]] && bb+=$'\n''netns list-id'
    if [[ $f == *[lL]* ]]; then o+=(-d); [[ $f == *L* ]] && o+=(-s); else o+=(-s); bb='link show'; fi
    [[ -n $ns ]] && o=(-n "$ns" "@{o[@]}")
    m "ip:$i"; e2 "$i"; ip "@{o[@]}" -batch - <<<"$bb"; r=$?
    [[ $r == 0 ]] || m "iperr:$i:$r"
  fi
  if [[ $f == *[nsi]* ]]; then
    if [[ -z $ns ]]; then x "$i" "$f" "@{keys[@]}"
    else ip netns exec "$ns" bash -c "N=\$1; shift; $X; x \"\$@\"" wp-poll-ns "$N" "$i" "$f" "@{keys[@]}"; fi
  fi
  i=$((i+1))
done
m cpu; times
m end
`.replaceAll('@{', '${');

function flagsOf(e: PollEntry): string {
  if (e.device !== undefined) return 'a';
  let f = '';
  if (e.ip) f += e.stats ? 'L' : 'l';
  else if (e.rates) f += 'r';
  if (e.nft) f += 'n';
  if (e.sysctl) f += 's';
  if (e.iptables) f += 'i';
  if (e.devStats) f += 'd';
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

export interface BuiltPoll {
  command: string;
  stdin: string;
  nonce: string;
  /** The entries actually sent, in order (index = marker index). */
  entries: PollEntry[];
  batch: readonly string[];
}

export function buildPoll(req: PollRequest, nonce: string): BuiltPoll {
  const entries = req.entries.filter((e) => (e.device !== undefined ? e.ns === '' && targetableDevice(e.device) : passableNetnsName(e.ns)));
  const batch = req.batch ?? NAMESPACE_BATCH;
  const mode = `${req.bootId ? 'b' : ''}${req.cpus ? 'c' : ''}${req.list ? 'l' : ''}-`;
  const parts: string[] = [];
  for (const e of entries) parts.push(`${flagsOf(e)}/${e.device ?? e.ns}\u0000`);
  for (const k of req.sysctlKeys ?? []) if (!k.includes('\u0000') && !k.split('/').includes('..')) parts.push(`K/${k}\u0000`);
  return {
    command: shellCommand(['bash', '-c', PROGRAM, 'wp-poll', nonce, batch.join('\n'), mode]),
    stdin: parts.join(''),
    nonce,
    entries,
    batch,
  };
}
