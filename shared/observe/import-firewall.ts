// The firewall rules import understands, read from one namespace's nft ruleset and
// iptables-save output, as Wireplan's own terms: masquerade, port forwards (DNAT, with the
// host-local OUTPUT twin), forwarding policies. Everything else is returned as a note with
// the rule's text (host data), never dropped silently.
//
// Rule shapes understood (nft text or JSON-rendered summaries, and iptables-save args):
//   masquerade   [ip saddr S] [ip daddr != S] [oifname E | oifname != X] masquerade (nat postrouting)
//                -s S [-o E | ! -o X] [! -d S] -j MASQUERADE                (nat POSTROUTING)
//   port forward [iifname I] [ip daddr L] [fib daddr type local] tcp|udp dport P dnat ip to A[:Q]
//                [-i I] [-d L] -p tcp|udp [-m tcp] --dport P -j DNAT --to-destination A[:Q]
//                (prerouting; the same in output / OUTPUT = hostLocal). The companions
//                Wireplan writes for a port forward (hairpin and loopback masquerade
//                `... ip daddr T P dport N ct status dnat masquerade`, the raw-prerouting
//                guard `iifname != "lo" ip daddr 127.0.0.0/8 drop`) belong to it.
//   policy       ct state established,related accept
//                [iifname I] [oifname O] ip daddr D [ip saddr S] [meta l4proto X] [th dport R]
//                  [ct state S,...] accept|drop
//                ip daddr P drop                                            (nft filter forward)
//                [-i I] [-o O] [-s S] [-d D] [-p tcp|udp|icmp] [--dport P[:Q]]
//                  [-m state --state S,... | -m conntrack --ctstate S,...] -j ACCEPT|DROP,
//                -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT, and the chain's
//                policy DROP as a default drop for 0.0.0.0/0 (::/0)        (filter FORWARD)
import { CT_STATES, type CtState } from '../model/schema';
import { canonicalAddress, canonicalPrefix, parseAddress, parsePrefix, formatNetwork } from '../net/ip';
import type { IptablesRule, IptablesRuleset, NftChain, NftRule, ObservedNamespace } from './types';

export interface ImportedMasquerade {
  source: string;
  egress?: string;
  egressExcept?: string;
  origin: string;
}

export interface ImportedPortForward {
  protocol: 'tcp' | 'udp';
  port: number;
  to: string;
  toPort?: number;
  listen?: string;
  ingress?: string;
  hostLocal: boolean;
  origin: string;
}

export interface ImportedPolicyRule {
  from?: string;
  to?: string;
  in?: string;
  out?: string;
  state?: CtState[];
  protocol: 'any' | 'tcp' | 'udp' | 'icmp';
  ports?: string;
  action: 'accept' | 'drop';
}

export interface ImportedPolicy {
  protects: string[];
  defaultAction: 'drop' | 'accept';
  allowEstablished: boolean;
  rules: ImportedPolicyRule[];
  origin: string;
}

export interface ImportedFirewall {
  masquerades: ImportedMasquerade[];
  portForwards: ImportedPortForward[];
  policies: ImportedPolicy[];
  /** Rules, chains and tables not understood (host data: render as text). */
  notes: string[];
  /** Understood, with a difference worth knowing (imported as Wireplan models it). */
  infos: string[];
}

const IPTABLES_TABLES = new Set(['nat', 'filter', 'mangle', 'raw', 'security']);
/** Catch-all prefixes: what a chain's own policy applies to. */
const ANY4 = '0.0.0.0/0';
const ANY6 = '::/0';
const q = (s: string) => JSON.stringify(s);

/** Split an nft rule summary into words; quoted strings lose their quotes. */
export function nftWords(summary: string): string[] {
  const text = summary.replace(/,\s+/g, ',').replace(/\{\s*/g, '{').replace(/\s*\}/g, '}');
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

function prefixOf(text: string): string | undefined {
  if (text.includes('/')) return canonicalPrefix(text) && formatNetwork(parsePrefix(text)!);
  const a = parseAddress(text);
  return a ? `${canonicalAddress(text)}/${a.family === 4 ? 32 : 128}` : undefined;
}

function setItems(word: string): string[] {
  return word.startsWith('{') && word.endsWith('}') ? word.slice(1, -1).split(',').filter(Boolean) : [word];
}

/** Drop counter statements (`counter`, `counter packets N bytes M`) from a word list. */
function withoutCounters(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'counter') {
      if (words[i + 1] === 'packets' && words[i + 3] === 'bytes') i += 4;
      continue;
    }
    out.push(words[i]!);
  }
  return out;
}

/** "invalid,new" / "NEW,INVALID" -> states in the schema's order; undefined for any other state (untracked, dnat...). */
function ctStates(list: string): CtState[] | undefined {
  const words = list.replace(/[{}]/g, '').toLowerCase().split(',').map((x) => x.trim()).filter(Boolean);
  if (words.length === 0 || words.some((w) => !(CT_STATES as readonly string[]).includes(w))) return undefined;
  return CT_STATES.filter((x) => words.includes(x));
}

interface DnatMatch {
  protocol: 'tcp' | 'udp';
  port: number;
  to: string;
  toPort?: number;
  listen?: string;
  ingress?: string;
  fibLocal: boolean;
}

function parseTarget(text: string): { to: string; toPort?: number } | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^([^:]+)(?::(\d+))?$/.exec(text);
  const m = v6 ?? v4;
  if (!m) return undefined;
  const to = canonicalAddress(m[1]!);
  if (!to) return undefined;
  return m[2] !== undefined ? { to, toPort: Number(m[2]) } : { to };
}

function nftDnat(words: string[]): DnatMatch | undefined {
  const d: Partial<DnatMatch> & { fibLocal: boolean } = { fibLocal: false };
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === 'iifname' || w === 'iif') && next !== undefined) {
      d.ingress = next;
      i += 2;
    } else if ((w === 'ip' || w === 'ip6') && next === 'daddr' && words[i + 2] !== undefined && words[i + 2] !== '!=') {
      const a = canonicalAddress(words[i + 2]!);
      if (!a) return undefined;
      d.listen = a;
      i += 3;
    } else if (w === 'ip6' && next === 'daddr' && words[i + 2] === '!=' && words[i + 3] === '::1') {
      i += 4; // the output twin of an IPv6 port forward leaves ::1 alone (compile/nft.ts)
    } else if (w === 'fib' && next === 'daddr' && words[i + 2] === 'type' && words[i + 3] === 'local') {
      d.fibLocal = true;
      i += 4;
    } else if ((w === 'tcp' || w === 'udp') && next === 'dport' && /^\d+$/.test(words[i + 2] ?? '')) {
      d.protocol = w;
      d.port = Number(words[i + 2]);
      i += 3;
    } else if (w === 'dnat') {
      let j = i + 1;
      if (words[j] === 'ip' || words[j] === 'ip6') j++;
      if (words[j] !== 'to' || words[j + 1] === undefined) return undefined;
      const t = parseTarget(words[j + 1]!);
      if (!t) return undefined;
      d.to = t.to;
      if (t.toPort !== undefined) d.toPort = t.toPort;
      if (j + 2 !== words.length) return undefined;
      i = j + 2;
    } else return undefined;
  }
  return d.protocol && d.port !== undefined && d.to ? (d as DnatMatch) : undefined;
}

/** A port forward's hairpin or loopback masquerade: `ip saddr S ip daddr T P dport N ct status dnat masquerade`. */
interface PfMasquerade {
  to: string;
  protocol: string;
  port: number;
}

function nftPfMasquerade(words: string[]): PfMasquerade | undefined {
  const t = words.join(' ');
  const m = /^ip6? saddr \S+ ip6? daddr (\S+) (tcp|udp) dport (\d+) ct status dnat masquerade$/.exec(t);
  const to = m && canonicalAddress(m[1]!);
  return m && to ? { to, protocol: m[2]!, port: Number(m[3]) } : undefined;
}

const GUARD = 'iifname != lo ip daddr 127.0.0.0/8 drop';

function nftMasquerade(words: string[]): { source: string; egress?: string; egressExcept?: string } | undefined {
  let source: string | undefined;
  let egress: string | undefined;
  let egressExcept: string | undefined;
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === 'ip' || w === 'ip6') && next === 'saddr' && words[i + 2] !== undefined) {
      source = prefixOf(words[i + 2]!);
      if (!source) return undefined;
      i += 3;
    } else if ((w === 'ip' || w === 'ip6') && next === 'daddr' && words[i + 2] === '!=' && words[i + 3] !== undefined) {
      i += 4; // "not to the segment itself": implied by a masquerade of that segment
    } else if ((w === 'oifname' || w === 'oif') && next === '!=' && words[i + 2] !== undefined) {
      egressExcept = words[i + 2];
      i += 3;
    } else if ((w === 'oifname' || w === 'oif') && next !== undefined) {
      egress = next;
      i += 2;
    } else if (w === 'masquerade' && i === words.length - 1) {
      i++;
    } else return undefined;
  }
  if (!source || words[words.length - 1] !== 'masquerade') return undefined;
  return { source, ...(egress !== undefined ? { egress } : {}), ...(egressExcept !== undefined ? { egressExcept } : {}) };
}

function nftPolicyRule(words: string[]): (ImportedPolicyRule & { dests: string[] }) | 'established' | undefined {
  if (words.join(' ') === 'ct state established,related accept' || words.join(' ') === 'ct state related,established accept') return 'established';
  const r: Partial<ImportedPolicyRule> & { dests: string[] } = { dests: [], protocol: 'any' };
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    const next = words[i + 1];
    const arg = words[i + 2];
    if ((w === 'iifname' || w === 'oifname') && next !== undefined && next !== '!=' && !next.startsWith('{')) {
      if (w === 'iifname') r.in = next;
      else r.out = next;
      i += 2;
    } else if (w === 'ct' && next === 'state' && arg !== undefined && arg !== '!=') {
      const st = ctStates(arg);
      if (!st) return undefined;
      r.state = st;
      i += 3;
    } else if ((w === 'ip' || w === 'ip6') && next === 'daddr' && arg !== undefined && arg !== '!=') {
      for (const item of setItems(arg)) {
        const p = prefixOf(item);
        if (!p) return undefined;
        r.dests.push(p);
      }
      i += 3;
    } else if ((w === 'ip' || w === 'ip6') && next === 'saddr' && arg !== undefined && arg !== '!=') {
      const p = prefixOf(arg);
      if (!p) return undefined;
      r.from = p;
      i += 3;
    } else if (w === 'meta' && next === 'l4proto' && arg !== undefined) {
      if (arg === 'tcp' || arg === 'udp') r.protocol = arg;
      else if (arg === 'icmp' || arg === 'ipv6-icmp') r.protocol = 'icmp';
      else return undefined;
      i += 3;
    } else if ((w === 'ip' && next === 'protocol') || (w === 'ip6' && next === 'nexthdr')) {
      if (arg === 'tcp' || arg === 'udp') r.protocol = arg;
      else if (arg === 'icmp' || arg === 'ipv6-icmp') r.protocol = 'icmp';
      else return undefined;
      i += 3;
    } else if (w === 'th' && next === 'dport' && arg !== undefined && /^\d+(-\d+)?$/.test(arg)) {
      r.ports = arg;
      i += 3;
    } else if ((w === 'tcp' || w === 'udp') && next === 'dport' && arg !== undefined && /^\d+(-\d+)?$/.test(arg)) {
      // nft prints "meta l4proto tcp th dport 80" back as "tcp dport 80".
      if (r.protocol !== 'any' && r.protocol !== w) return undefined;
      r.protocol = w;
      r.ports = arg;
      i += 3;
    } else if ((w === 'accept' || w === 'drop') && i === words.length - 1) {
      r.action = w;
      i++;
    } else return undefined;
  }
  if (!r.action || r.dests.length === 0) return undefined;
  return r as ImportedPolicyRule & { dests: string[] };
}

function nsLabel(ns: ObservedNamespace): string {
  return ns.name === '' ? 'the root namespace' : `netns ${q(ns.name)}`;
}

/** Which nft tables are iptables-nft's view of rules iptables-save already shows. */
function coveredByIptables(ns: ObservedNamespace, family: string, name: string): boolean {
  if (!IPTABLES_TABLES.has(name)) return false;
  const save = family === 'ip' ? ns.iptables : family === 'ip6' ? ns.ip6tables : undefined;
  return save?.tables.some((t) => t.name === name) ?? false;
}

function chainOf(chains: NftChain[], r: NftRule): NftChain | undefined {
  return chains.find((c) => c.family === r.family && c.table === r.table && c.name === r.chain);
}

function fromNft(ns: ObservedNamespace, out: ImportedFirewall): void {
  const nft = ns.nft;
  if (!nft) return;
  const where = nsLabel(ns);
  const pre: (DnatMatch & { origin: string })[] = [];
  const outp: (DnatMatch & { origin: string })[] = [];
  const policyChains = new Map<string, { chain: NftChain; rules: NftRule[] }>();
  const companions: (PfMasquerade & { origin: string })[] = [];
  const guards: string[] = [];
  for (const t of nft.tables) {
    if (coveredByIptables(ns, t.family, t.name)) continue;
    if (t.family !== 'inet' && t.family !== 'ip' && t.family !== 'ip6') {
      out.notes.push(`${where}: nft table ${t.family} ${q(t.name)} not imported (only ip, ip6 and inet tables are)`);
    }
  }
  for (const r of nft.rules) {
    if (coveredByIptables(ns, r.family, r.table)) continue;
    if (r.family !== 'inet' && r.family !== 'ip' && r.family !== 'ip6') continue;
    const chain = chainOf(nft.chains, r);
    const origin = `${where}: nft ${r.family} ${q(r.table)} chain ${q(r.chain)}: ${q(r.summary)}`;
    const words = withoutCounters(nftWords(r.summary));
    if (chain?.type === 'nat' && chain.hook === 'postrouting') {
      const m = nftMasquerade(words);
      if (m) {
        out.masquerades.push({ ...m, origin });
        continue;
      }
      const c = nftPfMasquerade(words);
      if (c) {
        companions.push({ ...c, origin });
        continue;
      }
    } else if (chain?.type === 'filter' && chain.hook === 'prerouting' && words.join(' ') === GUARD) {
      guards.push(origin);
      continue;
    } else if (chain?.type === 'nat' && (chain.hook === 'prerouting' || chain.hook === 'output')) {
      const d = nftDnat(words);
      if (d) {
        (chain.hook === 'prerouting' ? pre : outp).push({ ...d, origin });
        continue;
      }
    } else if (chain?.type === 'filter' && chain.hook === 'forward') {
      const key = `${r.family}\u0000${r.table}\u0000${r.chain}`;
      const entry = policyChains.get(key) ?? { chain, rules: [] };
      entry.rules.push(r);
      policyChains.set(key, entry);
      continue;
    }
    out.notes.push(`${origin}: rule not understood; not imported`);
  }
  const before = out.portForwards.length;
  pairDnat(pre, outp, out);
  // What belongs to an imported port forward goes with it; anything else is listed.
  const mine = out.portForwards.slice(before);
  for (const c of companions) {
    if (!mine.some((p) => p.to === c.to && p.protocol === c.protocol && (p.toPort ?? p.port) === c.port)) {
      out.notes.push(`${c.origin}: a masquerade of DNAT'ed connections to ${c.to} without a port forward there; not imported`);
    }
  }
  if (guards.length > 0 && !mine.some((p) => p.hostLocal)) for (const g of guards) out.notes.push(`${g}: a loopback guard without a host-local port forward; not imported`);
  for (const { chain, rules } of policyChains.values()) policyFrom(chain, rules, where, out);
}

function pairDnat(pre: (DnatMatch & { origin: string })[], outp: (DnatMatch & { origin: string })[], out: ImportedFirewall): void {
  const used = new Set<number>();
  for (const p of pre) {
    const twin = outp.findIndex((o, i) => !used.has(i) && o.protocol === p.protocol && o.port === p.port && o.to === p.to && o.toPort === p.toPort && o.listen === p.listen);
    if (twin >= 0) used.add(twin);
    const pf: ImportedPortForward = { protocol: p.protocol, port: p.port, to: p.to, hostLocal: twin >= 0, origin: p.origin };
    if (!p.fibLocal && p.listen === undefined) {
      out.infos.push(`${p.origin}: rewrites every destination's port ${p.port}; imported as a port forward, which (like Docker and CNI portmap) applies only to this host's own addresses, so connections through it to other servers' port ${p.port} keep their way`);
    }
    if (p.toPort !== undefined && p.toPort !== p.port) pf.toPort = p.toPort;
    if (p.listen !== undefined) pf.listen = p.listen;
    if (p.ingress !== undefined) pf.ingress = p.ingress;
    out.portForwards.push(pf);
  }
  outp.forEach((o, i) => {
    if (!used.has(i)) out.notes.push(`${o.origin}: a DNAT for locally generated traffic only (no matching prerouting rule); not imported`);
  });
}

type PolicyItem = (ImportedPolicyRule & { dests: string[] }) | 'established';

function policyFrom(chain: NftChain, rules: NftRule[], where: string, out: ImportedFirewall): void {
  const origin = `${where}: nft ${chain.family} ${q(chain.table)} chain ${q(chain.name)}`;
  const parsed = rules.map((r) => ({ r, p: nftPolicyRule(withoutCounters(nftWords(r.summary))) }));
  const bad = parsed.filter((x) => x.p === undefined);
  for (const b of bad) out.notes.push(`${origin}: ${q(b.r.summary)}: rule not understood; not imported`);
  const good = parsed.flatMap((x) => (x.p === undefined ? [] : [x.p]));
  const items = good.filter((x) => x !== 'established');
  if (items.length === 0 || !items.some((x) => x.dests.length > 0)) {
    if (chain.policy === 'drop') out.notes.push(`${origin}: policy drop for all forwarded traffic is not modelled (a policy protects given prefixes)`);
    return; // only "established accept" (or nothing understood): nothing to model
  }
  policyOf(good, origin, out);
}

/**
 * One policy from a forward chain's understood rules, in order. Trailing "daddr P drop"
 * rules without other matches are the default for P; without them the policy protects
 * what its rules name and defaults to accept. A catch-all prefix (0.0.0.0/0, ::/0) among
 * the protected ones covers the rest.
 */
function policyOf(good: PolicyItem[], origin: string, out: ImportedFirewall): void {
  const allowEstablished = good.includes('established');
  const items = good.filter((x): x is Exclude<PolicyItem, 'established'> => x !== 'established');
  let protects: string[] = [];
  let end = items.length;
  while (end > 0) {
    const it = items[end - 1]!;
    if (it.action === 'drop' && it.from === undefined && it.in === undefined && it.out === undefined && it.state === undefined && it.protocol === 'any' && it.ports === undefined) {
      protects.unshift(...it.dests);
      end--;
    } else break;
  }
  const body = items.slice(0, end);
  if (protects.length === 0) protects.push(...new Set(body.flatMap((b) => b.dests)));
  const anyPrefix = protects.filter((p) => p === ANY4 || p === ANY6);
  if (anyPrefix.length > 0) protects = anyPrefix; // overlapping prefixes cannot share an nft set
  const rulesOut: ImportedPolicyRule[] = [];
  for (const b of body) {
    for (const d of b.dests) {
      const rule: ImportedPolicyRule = { protocol: b.protocol, action: b.action };
      if (b.from !== undefined) rule.from = b.from;
      if (!protects.includes(d)) rule.to = d;
      if (b.in !== undefined) rule.in = b.in;
      if (b.out !== undefined) rule.out = b.out;
      if (b.ports !== undefined) rule.ports = b.ports;
      if (b.state !== undefined) rule.state = b.state;
      rulesOut.push(rule);
    }
  }
  out.policies.push({ protects: [...new Set(protects)], defaultAction: end < items.length ? 'drop' : 'accept', allowEstablished, rules: rulesOut, origin });
}

interface IptOpts {
  s?: string;
  d?: string;
  i?: string;
  o?: string;
  p?: string;
  dport?: string;
  j?: string;
  toDestination?: string;
  dstTypeLocal?: boolean;
  ctstate?: string;
  /** Options written with a leading "!" (by their key). */
  not: Set<string>;
  other: string[];
}

/** iptables-save options that take a value, and where iptOptions() keeps it. */
const VALUE_OPTIONS: Record<string, 's' | 'd' | 'i' | 'o' | 'p' | 'dport' | 'j' | 'toDestination' | 'ctstate'> = {
  '-s': 's',
  '--source': 's',
  '-d': 'd',
  '--destination': 'd',
  '-i': 'i',
  '--in-interface': 'i',
  '-o': 'o',
  '--out-interface': 'o',
  '-p': 'p',
  '--protocol': 'p',
  '--dport': 'dport',
  '--destination-port': 'dport',
  '-j': 'j',
  '--jump': 'j',
  '--to-destination': 'toDestination',
  '--ctstate': 'ctstate',
  '--state': 'ctstate',
};

/** Match modules whose options are read above; any other module makes the rule one we do not model. */
const KNOWN_MODULES = new Set(['tcp', 'udp', 'comment', 'addrtype', 'conntrack', 'state']);

function iptOptions(rule: IptablesRule): IptOpts {
  const o: IptOpts = { not: new Set(), other: [] };
  const a = rule.args;
  let negate = false;
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    const v = a[i + 1];
    const key = Object.hasOwn(VALUE_OPTIONS, w) ? VALUE_OPTIONS[w] : undefined;
    if (w === '!') {
      negate = true;
      continue;
    }
    // A negation applies to the option right after it: one we read, or it is not understood.
    if (negate && !key) o.other.push('!');
    if (negate && key) o.not.add(key);
    negate = false;
    if (key) {
      o[key] = v;
      i++;
    } else if (w === '-m') {
      if (v !== undefined && KNOWN_MODULES.has(v)) i++;
      else o.other.push(w);
    } else if (w === '--comment') {
      i++;
    } else if (w === '--dst-type') {
      if (v === 'LOCAL') o.dstTypeLocal = true;
      else o.other.push(w);
      i++;
    } else {
      o.other.push(w);
    }
  }
  return o;
}

function fromIptables(ns: ObservedNamespace, save: IptablesRuleset | undefined, family: 4 | 6, out: ImportedFirewall): void {
  if (!save) return;
  const where = nsLabel(ns);
  const pre: (DnatMatch & { origin: string })[] = [];
  const outp: (DnatMatch & { origin: string })[] = [];
  const tool = family === 4 ? 'iptables' : 'ip6tables';
  const forward: PolicyItem[] = [];
  for (const t of save.tables) {
    for (const r of t.rules) {
      const origin = `${where}: ${tool} -t ${t.name} -A ${r.chain} ${r.args.join(' ')}`;
      const o = iptOptions(r);
      const onlyNot = (...keys: string[]) => [...o.not].every((k) => keys.includes(k));
      if (t.name === 'nat' && r.chain === 'POSTROUTING' && o.j === 'MASQUERADE' && o.s && !o.not.has('s') && !o.i && !o.p && o.other.length === 0 && onlyNot('o', 'd')) {
        const source = prefixOf(o.s);
        // "! -d S": not to the segment itself, as Wireplan's own rule says it.
        if (source && (o.d === undefined || (o.not.has('d') && prefixOf(o.d) === source))) {
          const out1: ImportedMasquerade = { source, origin };
          if (o.o !== undefined) {
            if (o.not.has('o')) out1.egressExcept = o.o;
            else out1.egress = o.o;
          }
          out.masquerades.push(out1);
          continue;
        }
      }
      if (t.name === 'nat' && (r.chain === 'PREROUTING' || r.chain === 'OUTPUT') && o.j === 'DNAT' && o.not.size === 0 && (o.p === 'tcp' || o.p === 'udp') && o.dport && /^\d+$/.test(o.dport) && o.toDestination && !o.s && !o.o && o.other.length === 0) {
        const target = parseTarget(o.toDestination);
        const listen = o.d !== undefined ? canonicalAddress(o.d.replace(/\/(32|128)$/, '')) : undefined;
        if (target && (o.d === undefined || listen)) {
          const d: DnatMatch & { origin: string } = { protocol: o.p, port: Number(o.dport), to: target.to, fibLocal: o.dstTypeLocal === true, origin };
          if (target.toPort !== undefined) d.toPort = target.toPort;
          if (listen !== undefined) d.listen = listen;
          if (o.i !== undefined) d.ingress = o.i;
          (r.chain === 'PREROUTING' ? pre : outp).push(d);
          continue;
        }
      }
      if (t.name === 'filter' && r.chain === 'FORWARD') {
        const p = iptPolicyRule(o, family);
        if (p) {
          forward.push(p);
          continue;
        }
      }
      out.notes.push(`${origin}: rule not understood; not imported`);
    }
    for (const c of t.chains) {
      if (!c.builtin || c.policy === undefined || c.policy === 'ACCEPT') continue;
      if (t.name === 'filter' && c.name === 'FORWARD' && c.policy === 'DROP') continue; // modelled below
      out.notes.push(`${where}: ${tool} -t ${t.name} chain ${c.name} has policy ${c.policy}; chain policies are not modelled`);
    }
  }
  pairDnat(pre, outp, out);
  const fwdPolicyDrop = save.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD')?.policy === 'DROP';
  // FORWARD's policy DROP is a last rule dropping everything else forwarded.
  if (fwdPolicyDrop) forward.push({ dests: [family === 4 ? ANY4 : ANY6], protocol: 'any', action: 'drop' });
  if (forward.some((x) => x !== 'established')) policyOf(forward, `${where}: ${tool} -t filter chain FORWARD`, out);
}

/**
 * A FORWARD rule as a policy rule: `[-i I] [-o O] [-s S] [-d D] [-p tcp|udp|icmp [-m tcp]
 * [--dport P[:Q]]] [-m state --state S,...] -j ACCEPT|DROP`, or `-m conntrack --ctstate
 * RELATED,ESTABLISHED -j ACCEPT` alone (allow established). Negations and other modules
 * are not modelled (undefined).
 */
function iptPolicyRule(o: IptOpts, family: 4 | 6): PolicyItem | undefined {
  if (o.other.length > 0 || o.not.size > 0 || o.toDestination !== undefined || o.dstTypeLocal) return undefined;
  if (o.ctstate !== undefined) {
    const states = o.ctstate.split(',').sort().join(',');
    const bare = o.s === undefined && o.d === undefined && o.p === undefined && o.dport === undefined && o.i === undefined && o.o === undefined;
    if (states === 'ESTABLISHED,RELATED' && o.j === 'ACCEPT' && bare) return 'established';
  }
  if (o.j !== 'ACCEPT' && o.j !== 'DROP') return undefined;
  const r: ImportedPolicyRule & { dests: string[] } = { dests: [family === 4 ? ANY4 : ANY6], protocol: 'any', action: o.j === 'ACCEPT' ? 'accept' : 'drop' };
  if (o.i !== undefined) r.in = o.i;
  if (o.o !== undefined) r.out = o.o;
  if (o.ctstate !== undefined) {
    const st = ctStates(o.ctstate);
    if (!st) return undefined;
    r.state = st;
  }
  if (o.p === 'tcp' || o.p === 'udp') r.protocol = o.p;
  else if (o.p === (family === 4 ? 'icmp' : 'ipv6-icmp')) r.protocol = 'icmp';
  else if (o.p !== undefined) return undefined;
  if (o.dport !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(o.dport);
    if (!m || (r.protocol !== 'tcp' && r.protocol !== 'udp')) return undefined;
    r.ports = m[2] !== undefined ? `${m[1]}-${m[2]}` : m[1]!;
  }
  if (o.s !== undefined) {
    const p = prefixOf(o.s);
    if (!p) return undefined;
    r.from = p;
  }
  if (o.d !== undefined) {
    const p = prefixOf(o.d);
    if (!p) return undefined;
    r.dests = [p];
  }
  return r;
}

/** Everything import understands in one namespace's firewall. */
export function importFirewall(ns: ObservedNamespace): ImportedFirewall {
  const out: ImportedFirewall = { masquerades: [], portForwards: [], policies: [], notes: [], infos: [] };
  fromNft(ns, out);
  fromIptables(ns, ns.iptables, 4, out);
  fromIptables(ns, ns.ip6tables, 6, out);
  return out;
}
