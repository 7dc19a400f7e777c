// Runs one packet through the LIVE forward hook of a host's nftables ruleset (as read by
// `nft list ruleset`), to say which rule really decides it: "the firewall drops it: rule
// `ip daddr 10.10.0.0/24 drop` in table inet wp_x chain forward". Understands the
// statements Wireplan writes and the common ones people add by hand (address and port
// matches with sets, ranges and !=, l4proto, ct state, iif/oifname, counter, log, jumps);
// a rule it cannot read stops the evaluation with "cannot tell" instead of guessing.
import { contains, parseAddress, parsePrefix } from '../net/ip';
import type { NftChain, NftRule, NftRuleset } from '../observe/types';

export interface NftPacket {
  family: 4 | 6;
  proto: 'icmp' | 'tcp';
  src: string;
  dst: string;
  dport?: number;
  iif?: string;
  oif?: string;
  /** A reply of a connection conntrack has seen (ct state established). */
  established: boolean;
}

export interface NftVerdict {
  verdict: 'accept' | 'drop' | 'unknown';
  /** The deciding rule (absent when a chain's policy decided, or nothing matched). */
  rule?: NftRule;
  chain?: NftChain;
  /** For people: "rule `...` in table inet t chain forward", "policy drop of chain ...". */
  text: string;
}

type Match = boolean | 'unknown';

function tokenize(summary: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < summary.length) {
    const ch = summary[i]!;
    if (ch === ' ') {
      i++;
      continue;
    }
    if (ch === '{') {
      const end = summary.indexOf('}', i);
      out.push(end < 0 ? summary.slice(i) : summary.slice(i, end + 1));
      i = end < 0 ? summary.length : end + 1;
      continue;
    }
    if (ch === '"') {
      const end = summary.indexOf('"', i + 1);
      out.push(end < 0 ? summary.slice(i) : summary.slice(i, end + 1));
      i = end < 0 ? summary.length : end + 1;
      continue;
    }
    let j = i;
    while (j < summary.length && summary[j] !== ' ') j++;
    out.push(summary.slice(i, j));
    i = j;
  }
  return out;
}

const items = (value: string): string[] =>
  value.startsWith('{') ? value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) : [value];

function addrIn(value: string, addr: string): Match {
  const a = parseAddress(addr);
  if (!a) return 'unknown';
  for (const item of items(value)) {
    if (item.includes('-') && !item.includes('/')) {
      const [lo, hi] = item.split('-').map((x) => parseAddress(x));
      if (!lo || !hi) return 'unknown';
      if (lo.family === a.family && a.value >= lo.value && a.value <= hi.value) return true;
      continue;
    }
    const p = item.includes('/') ? parsePrefix(item) : (() => {
      const x = parseAddress(item);
      return x && { family: x.family, address: x.value, length: x.family === 4 ? 32 : 128 };
    })();
    if (!p) return 'unknown';
    if (contains(p, a)) return true;
  }
  return false;
}

function portIn(value: string, port: number): Match {
  for (const item of items(value)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) return 'unknown';
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (port >= lo && port <= hi) return true;
  }
  return false;
}

const PROTO_NAMES: Record<string, string[]> = { icmp: ['icmp', 'ipv6-icmp', '1', '58'], tcp: ['tcp', '6'] };

function protoIn(value: string, p: NftPacket): Match {
  const names = PROTO_NAMES[p.proto]!;
  const list = items(value);
  if (list.some((x) => !/^[a-z0-9-]+$/.test(x))) return 'unknown';
  return list.some((x) => names.includes(x) && (p.proto !== 'icmp' || (p.family === 4 ? x === 'icmp' || x === '1' : x === 'ipv6-icmp' || x === '58')));
}

interface Step {
  consumed: number;
  match?: Match;
  verdict?: { kind: 'accept' | 'drop' | 'jump' | 'goto' | 'return' | 'continue'; target?: string };
}

function step(t: string[], i: number, p: NftPacket): Step | undefined {
  const w = t[i]!;
  const neg = t[i + 2] === '!=';
  const val = (k: number) => t[i + k + (neg ? 1 : 0)];
  const apply = (m: Match, n: number): Step => ({ consumed: n + (neg ? 1 : 0), match: m === 'unknown' ? m : neg ? !m : m });
  if ((w === 'ip' || w === 'ip6') && (t[i + 1] === 'saddr' || t[i + 1] === 'daddr')) {
    const fam = w === 'ip' ? 4 : 6;
    const v = val(2);
    if (v === undefined) return undefined;
    if (fam !== p.family) return { consumed: 3 + (neg ? 1 : 0), match: false };
    return apply(addrIn(v, t[i + 1] === 'saddr' ? p.src : p.dst), 3);
  }
  if (w === 'ip' && t[i + 1] === 'protocol') {
    const v = val(2);
    if (v === undefined) return undefined;
    if (p.family !== 4) return { consumed: 3 + (neg ? 1 : 0), match: false };
    return apply(protoIn(v, p), 3);
  }
  if (w === 'meta' && (t[i + 1] === 'l4proto' || t[i + 1] === 'nfproto')) {
    const v = val(2);
    if (v === undefined) return undefined;
    if (t[i + 1] === 'nfproto') return apply(items(v).includes(p.family === 4 ? 'ipv4' : 'ipv6'), 3);
    return apply(protoIn(v, p), 3);
  }
  if ((w === 'tcp' || w === 'udp' || w === 'th') && (t[i + 1] === 'dport' || t[i + 1] === 'sport')) {
    const v = val(2);
    if (v === undefined) return undefined;
    const l4ok = w === 'th' ? p.proto === 'tcp' : w === p.proto;
    if (!l4ok) return { consumed: 3 + (neg ? 1 : 0), match: false };
    if (t[i + 1] === 'sport') return { consumed: 3 + (neg ? 1 : 0), match: 'unknown' };
    return apply(p.dport === undefined ? false : portIn(v, p.dport), 3);
  }
  if (w === 'ct' && t[i + 1] === 'state') {
    const v = val(2);
    if (v === undefined) return undefined;
    const states = v.replace(/[{}]/g, '').split(',').map((s) => s.trim());
    return apply(states.includes(p.established ? 'established' : 'new'), 3);
  }
  if (w === 'iifname' || w === 'oifname') {
    const neg1 = t[i + 1] === '!=';
    const v = t[i + 1 + (neg1 ? 1 : 0)];
    if (v === undefined) return undefined;
    const name = w === 'iifname' ? p.iif : p.oif;
    if (name === undefined) return { consumed: 2 + (neg1 ? 1 : 0), match: 'unknown' };
    const hit = items(v).map((x) => x.replace(/^"|"$/g, '')).some((x) => (x.endsWith('*') ? name.startsWith(x.slice(0, -1)) : x === name));
    return { consumed: 2 + (neg1 ? 1 : 0), match: neg1 ? !hit : hit };
  }
  if (w === 'counter') {
    let n = 1;
    while (t[i + n] === 'packets' || t[i + n] === 'bytes') n += 2;
    return { consumed: n, match: true };
  }
  if (w === 'log') {
    let n = 1;
    while (t[i + n] !== undefined && ['prefix', 'level', 'flags', 'group'].includes(t[i + n]!)) n += 2;
    return { consumed: n, match: true };
  }
  if (w === 'accept' || w === 'drop' || w === 'return' || w === 'continue') return { consumed: 1, verdict: { kind: w } };
  if (w === 'reject') return { consumed: t.length - i, verdict: { kind: 'drop' } };
  if ((w === 'jump' || w === 'goto') && t[i + 1]) return { consumed: 2, verdict: { kind: w, target: t[i + 1]! } };
  return undefined;
}

type RuleResult = { kind: 'no-match' } | { kind: 'unknown' } | { kind: 'verdict'; verdict: NonNullable<Step['verdict']> };

function evalRule(rule: NftRule, p: NftPacket): RuleResult {
  const t = tokenize(rule.summary);
  let unknown = false;
  for (let i = 0; i < t.length; ) {
    const s = step(t, i, p);
    if (!s) return { kind: 'unknown' };
    if (s.verdict) return unknown ? { kind: 'unknown' } : { kind: 'verdict', verdict: s.verdict };
    if (s.match === false) return { kind: 'no-match' };
    if (s.match === 'unknown') unknown = true;
    i += s.consumed;
  }
  return unknown ? { kind: 'unknown' } : { kind: 'no-match' };
}

/** A rule's text without its counter statement (bookkeeping, and the values change). */
const withoutCounter = (summary: string) => summary.replace(/(^|\s)counter(?: packets \d+ bytes \d+)?(?=\s|$)/g, '$1').replace(/\s+/g, ' ').trim();

const where = (r: NftRule) => `rule \`${withoutCounter(r.summary)}\`${r.comment ? ` (comment "${r.comment}")` : ''} in table ${r.family} ${r.table} chain ${r.chain}`;

/** Evaluates one chain (following jumps); undefined when it ends without a verdict. */
function evalChain(rs: NftRuleset, chain: NftChain, p: NftPacket, depth: number): NftVerdict | undefined {
  if (depth > 16) return { verdict: 'unknown', chain, text: `jumps nest too deep at chain ${chain.name}` };
  for (const rule of rs.rules) {
    if (rule.family !== chain.family || rule.table !== chain.table || rule.chain !== chain.name) continue;
    const r = evalRule(rule, p);
    if (r.kind === 'no-match') continue;
    if (r.kind === 'unknown') return { verdict: 'unknown', rule, chain, text: `cannot tell what ${where(rule)} does with it` };
    const v = r.verdict;
    if (v.kind === 'accept' || v.kind === 'drop') return { verdict: v.kind, rule, chain, text: where(rule) };
    if (v.kind === 'return') return undefined;
    if (v.kind === 'continue') continue;
    const target = rs.chains.find((c) => c.family === chain.family && c.table === chain.table && c.name === v.target);
    if (!target) return { verdict: 'unknown', rule, chain, text: `${where(rule)} jumps to a chain not in the listing` };
    const sub = evalChain(rs, target, p, depth + 1);
    if (sub) return sub;
    if (v.kind === 'goto') return undefined;
  }
  return undefined;
}

const PRIO: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const prio = (c: NftChain) => (typeof c.prio === 'number' ? c.prio : (PRIO[String(c.prio)] ?? 0));

/**
 * The verdict of every base chain on the forward hook (ip/ip6/inet tables of the
 * packet's family), in priority order: a drop anywhere is final; an accept only ends
 * its own chain.
 */
export function forwardHookVerdict(rs: NftRuleset, p: NftPacket): NftVerdict {
  return hookVerdict(rs, 'forward', p);
}

/** The same for any filter hook: 'forward' (routed or bridged), 'input' (delivered here), 'output' (sent from here). */
export function hookVerdict(rs: NftRuleset, hook: 'forward' | 'input' | 'output', p: NftPacket): NftVerdict {
  const fams = new Set(['inet', p.family === 4 ? 'ip' : 'ip6']);
  const chains = rs.chains.filter((c) => c.hook === hook && c.type === 'filter' && fams.has(c.family)).sort((a, b) => prio(a) - prio(b));
  let last: NftVerdict = { verdict: 'accept', text: `no ${hook}-hook chain: accepted` };
  for (const chain of chains) {
    const v = evalChain(rs, chain, p, 0);
    if (v?.verdict === 'drop' || v?.verdict === 'unknown') return v;
    if (v) {
      last = v;
      continue;
    }
    if (chain.policy === 'drop') return { verdict: 'drop', chain, text: `the drop policy of chain ${chain.name} in table ${chain.family} ${chain.table}` };
    last = { verdict: 'accept', chain, text: `no rule of chain ${chain.name} in table ${chain.family} ${chain.table} matched (policy accept)` };
  }
  return last;
}

/**
 * Normal form of a rule for comparing the designed text with what nft lists: the designed
 * `counter` and the listed `counter packets N bytes M` are bookkeeping, not matching, so
 * both drop out (a rule listed without a counter still equals its designed twin); so do
 * nft's own spellings (`tcp dport` for `meta l4proto tcp th dport`, a bare address for /32).
 */
export function normalizeRule(summary: string): string {
  return withoutCounter(summary)
    .replace(/\bmeta l4proto (tcp|udp) th dport\b/g, '$1 dport')
    // nft lists a single-address prefix as the bare address.
    .replace(/\b(\d+\.\d+\.\d+\.\d+)\/32\b/g, '$1')
    .replace(/([0-9a-fA-F:]*:[0-9a-fA-F:]*)\/128\b/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
