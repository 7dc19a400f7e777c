// Why a probe disagrees with the design, from the live state of the namespaces on its
// expected path: a namespace or interface missing, down or without carrier, a port not
// on its bridge, forwarding off, a route missing or different, an address missing or
// still tentative, the live firewall deciding otherwise (and which designed rule is
// missing or which foreign chain drops), a listener that could not start. Findings follow
// the packet's path, so the first one is the most likely cause.
import type { Design } from '../model/schema';
import { canonicalAddress } from '../net/ip';
import { parseIpAddr } from '../observe/ip-addr';
import { parseNftText } from '../observe/nft';
import type { NftRuleset, ObservedAddress, ObservedLink } from '../observe/types';
import { forwardHookVerdict, hookVerdict, normalizeRule } from './nft-eval';
import type { ListenerState } from './outcome';
import type { CheckRow } from './report';
import { BLOCKING, factKey, type Expectation, type Hop, type RouteUse } from './types';

export type RouteAnswer = { ok: true; dev?: string; gateway?: string; type?: string } | { ok: false; error: string };

export interface ScopeEvidence {
  missing?: boolean;
  links?: ObservedLink[];
  addresses?: ObservedAddress[];
  /** "net/ipv4/ip_forward" -> "1" ("-" when unreadable). */
  sysctl: Record<string, string>;
  routes: Map<string, RouteAnswer>;
  nft?: NftRuleset;
  nftError?: string;
}

/** Evidence per factKey(hostId, netns name). */
export type EvidenceMap = Map<string, ScopeEvidence>;
/** The nftables text the plan loads, per factKey(hostId, netns name). */
export type ExpectedFirewalls = Map<string, string>;

export interface EvidenceSection {
  kind: string;
  arg: string;
  body: string[];
}

export function parseEvidence(sections: readonly EvidenceSection[]): ScopeEvidence {
  const ev: ScopeEvidence = { sysctl: Object.create(null) as Record<string, string>, routes: new Map() };
  for (const s of sections) {
    const text = s.body.join('\n');
    if (s.kind === 'missing') ev.missing = true;
    else if (s.kind === 'addr') {
      const r = parseIpAddr(text);
      if (r.ok) {
        ev.links = r.value.links;
        ev.addresses = r.value.addresses;
      }
    } else if (s.kind === 'sysctl') {
      for (const line of s.body) {
        const m = /^(\S+) = (.*)$/.exec(line);
        if (m) ev.sysctl[m[1]!] = m[2]!.trim();
      }
    } else if (s.kind === 'route') {
      ev.routes.set(s.arg, routeAnswer(text));
    } else if (s.kind === 'nft') {
      if (/command not found|Operation not permitted|Permission denied/i.test(text)) ev.nftError = text.trim().split('\n')[0];
      else if (text.trim() === '') ev.nft = { tables: [], chains: [], rules: [], tableCommentsObserved: true, otherObjects: 0 };
      else {
        const r = parseNftText(text);
        if (r.ok) ev.nft = r.value;
        else ev.nftError = r.error;
      }
    }
  }
  return ev;
}

function routeAnswer(text: string): RouteAnswer {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const list = JSON.parse(t) as unknown;
      const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
      if (first && typeof first === 'object') {
        const str = (k: string) => (typeof first[k] === 'string' ? (first[k] as string) : undefined);
        const out: RouteAnswer = { ok: true };
        if (str('dev') !== undefined) out.dev = str('dev')!;
        if (str('gateway') !== undefined) out.gateway = canonicalAddress(str('gateway')!) ?? str('gateway')!;
        if (str('type') !== undefined) out.type = str('type')!;
        return out;
      }
    } catch {
      /* fall through */
    }
  }
  return { ok: false, error: t.split('\n')[0] || 'no answer' };
}

const routeText = (r: RouteUse) => (r.kind === 'connected' ? `on its connected subnet ${r.to} (dev ${r.dev})` : `${r.to}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`);
const scopeName = (hostName: string, ns: string) => (ns ? `${hostName}/${ns}` : hostName);

/** Evidence-based explanation lines for one disagreeing row. */
export function diagnose(
  row: CheckRow,
  evidence: EvidenceMap,
  firewalls: ExpectedFirewalls,
  listeners: ReadonlyMap<string, ListenerState>,
  tag: string,
  design?: Design,
): string[] {
  const e = row.expectation;
  // Findings with a rank: 0 what someone changed (missing, down, off, a rule), 1 what
  // follows from it (no carrier, a connected route gone); shown causes first, in path order.
  const found: { text: string; rank: number }[] = [];
  const said = new Set<string>();
  let prefix = '';
  const push = (s: string, rank = 0) => {
    if (said.has(s)) return;
    said.add(s);
    found.push({ text: prefix + s, rank });
  };
  const hostNames = new Map<string, string>();
  for (const h of [...e.path, ...e.reply]) hostNames.set(h.scope.hostId, h.scope.hostName);
  hostNames.set(e.probe.from.hostId, e.probe.from.hostName);
  const evOf = (hostId: string, ns: string) => evidence.get(factKey(hostId, ns));
  const nameOf = (hostId: string, ns: string) => scopeName(hostNames.get(hostId) ?? hostId, ns);
  const elementName = (comment: string | undefined) => {
    const id = comment?.startsWith(`wireplan:${tag}:`) ? comment.slice(`wireplan:${tag}:`.length) : undefined;
    if (!id) return undefined;
    const el = design && [...design.policies, ...design.portForwards, ...design.masquerades].find((x) => x.id === id);
    return el ? `"${el.name}"` : `"${id}"`;
  };
  const table = `wp_${tag}`;

  const missingDesignedRules = (hostId: string, ns: string, chain: string | undefined) => {
    const ev = evOf(hostId, ns);
    const want = firewalls.get(factKey(hostId, ns));
    if (!ev?.nft || want === undefined) return;
    const where = nameOf(hostId, ns);
    if (!ev.nft.tables.some((t) => t.family === 'inet' && t.name === table)) {
      push(`the firewall table inet ${table} is missing in ${where}`);
      return;
    }
    const expected = parseNftText(want);
    if (!expected.ok) return;
    const live = new Set(ev.nft.rules.filter((r) => r.table === table && r.family === 'inet').map((r) => `${r.chain}|${normalizeRule(r.summary)}`));
    let shown = 0;
    for (const r of expected.value.rules) {
      if (chain !== undefined && r.chain !== chain) continue;
      if (live.has(`${r.chain}|${normalizeRule(r.summary)}`)) continue;
      if (shown++ >= 3) break;
      const owner = elementName(r.comment);
      push(`the designed rule \`${normalizeRule(r.summary)}\`${owner ? ` (${owner})` : ''} is missing from chain ${r.chain} of table inet ${table} in ${where}`);
    }
  };

  // Namespaces that do not exist.
  const scopes = new Map<string, { hostId: string; ns: string }>();
  for (const h of [...e.path, ...e.reply]) {
    scopes.set(factKey(h.scope.hostId, h.scope.ns), { hostId: h.scope.hostId, ns: h.scope.ns });
    for (const s of h.segment ?? []) scopes.set(factKey(s.hostId, s.ns), { hostId: s.hostId, ns: s.ns });
  }
  scopes.set(factKey(e.probe.from.hostId, e.probe.from.ns), { hostId: e.probe.from.hostId, ns: e.probe.from.ns });
  for (const s of scopes.values()) if (evOf(s.hostId, s.ns)?.missing) push(`namespace "${s.ns}" does not exist on host ${hostNames.get(s.hostId) ?? s.hostId}`);

  const fwdKey = e.probe.family === 4 ? 'net/ipv4/ip_forward' : 'net/ipv6/conf/all/forwarding';
  const blocking = e.reasons.find((r) => BLOCKING.has(r.code));
  const check = (hop: Hop, dir: 'forward' | 'reply') => {
    const ev = evOf(hop.scope.hostId, hop.scope.ns);
    if (!ev || ev.missing) return;
    const where = hop.scope.name;
    // The interfaces the frame crosses to the next hop. No carrier is only worth saying
    // when nothing on the way is down or gone (then it is the consequence).
    let broken = false;
    const noCarrier: string[] = [];
    for (const s of hop.segment ?? []) {
      const sev = evOf(s.hostId, s.ns);
      if (!sev?.links) continue;
      const at = nameOf(s.hostId, s.ns);
      const link = sev.links.find((l) => l.ifname === s.ifname);
      if (!link) {
        broken = true;
        push(`interface ${s.ifname} (${s.label}) is missing in ${at}`);
      } else if (!link.up) {
        broken = true;
        push(`interface ${s.ifname} in ${at} is down (the design has it up)`);
      } else if (s.master !== undefined && link.master !== s.master) {
        broken = true;
        push(`interface ${s.ifname} in ${at} is ${link.master ? `a port of ${link.master}` : 'not a port of any bridge'}; the design puts it on bridge ${s.master}`);
      } else if (!link.lowerUp) noCarrier.push(`interface ${s.ifname} in ${at} has no carrier (its peer or parent is down or gone)`);
    }
    if (!broken) for (const n of noCarrier) push(n, 1);
    // Forwarding.
    const forwarding = hop.inIf !== undefined && hop.role !== 'deliver' && hop.role !== 'bridge' && hop.bridge === undefined;
    if (forwarding && ev.sysctl[fwdKey] === '0' && !(blocking?.code === 'forwarding-off' && blocking.at === where)) {
      push(`${e.probe.family === 4 ? 'ip_forward' : 'IPv6 forwarding'} is 0 in ${where} (the design turns it on), so it does not route between its interfaces`);
    }
    // The route.
    if (hop.route && hop.bridge === undefined) {
      const r = ev.routes.get(hop.dst);
      if (r && !r.ok) push(`${where} has no route to ${hop.dst} (ip route get: ${r.error}); the design routes it ${routeText(hop.route)}`, hop.route.kind === 'connected' ? 1 : 0);
      else if (r?.ok && r.type !== 'local' && (r.dev !== hop.route.dev || (hop.route.via !== undefined && r.gateway !== hop.route.via))) {
        push(`${where} routes ${hop.dst} ${r.gateway ? `via ${r.gateway} ` : ''}dev ${r.dev ?? '?'}; the design routes it ${routeText(hop.route)}`);
      }
    }
    // Addresses.
    if (ev.addresses) {
      const mine = (a: string) => ev.addresses!.find((x) => x.local === a);
      if (hop.role === 'deliver') {
        const a = mine(hop.dst);
        if (!a) push(`address ${hop.dst} is missing in ${where}`);
        else if (a.flags.includes('tentative') || a.flags.includes('dadfailed')) push(`address ${hop.dst} in ${where} is ${a.flags.includes('dadfailed') ? 'a duplicate (DAD failed)' : 'still tentative (IPv6 DAD)'}`);
      }
      if (hop.role === 'send' && hop.src && !mine(hop.src)) push(`${where} does not have its source address ${hop.src}`);
    }
    // The firewall on the forward hook (routed, or bridged through bridge netfilter).
    const filtered = hop.role === 'forward' || hop.role === 'bridge' || (hop.role === 'drop' && (hop.inIf !== undefined || hop.bridge !== undefined));
    if (filtered && ev.nft) {
      const live = forwardHookVerdict(ev.nft, {
        family: e.probe.family,
        proto: e.probe.kind === 'tcp' ? 'tcp' : 'icmp',
        src: hop.src,
        dst: hop.dst,
        ...(hop.dport !== undefined ? { dport: hop.dport } : {}),
        ...(hop.bridge !== undefined ? { iif: hop.bridge, oif: hop.bridge } : {}),
        ...(hop.inIf !== undefined && hop.bridge === undefined ? { iif: hop.inIf } : {}),
        ...(hop.outIf !== undefined && hop.bridge === undefined ? { oif: hop.outIf } : {}),
        established: dir === 'reply',
      });
      const designDrop = e.reasons.find((r) => r.code === 'policy-drop' && r.at === where && r.dir === dir);
      if (live.verdict === 'drop' && !designDrop) {
        push(`the firewall in ${where} drops it: ${live.text}`);
        missingDesignedRules(hop.scope.hostId, hop.scope.ns, 'forward');
      } else if (live.verdict === 'accept' && designDrop) {
        push(`the firewall in ${where} lets it through (${live.text}), but the design says: ${designDrop.text}`);
        missingDesignedRules(hop.scope.hostId, hop.scope.ns, 'forward');
      } else if (live.verdict === 'unknown') {
        push(`the firewall in ${where}: ${live.text}`);
      }
    } else if (filtered && ev.nftError) {
      push(`the firewall in ${where} could not be read: ${ev.nftError}`);
    }
    // Firewalls on the input hook where it is delivered, and the output hook where it starts
    // (Wireplan writes neither: anything dropping there is someone else's).
    if ((hop.role === 'deliver' || hop.role === 'send') && ev.nft && hop.bridge === undefined) {
      const hook = hop.role === 'deliver' ? 'input' : 'output';
      const live = hookVerdict(ev.nft, hook, {
        family: e.probe.family,
        proto: e.probe.kind === 'tcp' ? 'tcp' : 'icmp',
        src: hop.src,
        dst: hop.dst,
        ...(hop.dport !== undefined ? { dport: hop.dport } : {}),
        ...(hop.inIf !== undefined ? { iif: hop.inIf } : {}),
        ...(hop.outIf !== undefined ? { oif: hop.outIf } : {}),
        established: dir === 'reply',
      });
      if (live.verdict === 'drop') push(`the firewall in ${where} drops it on the ${hook} hook: ${live.text}`);
    }
    // NAT the design does here.
    if (e.reasons.some((r) => (r.code === 'dnat' || r.code === 'masquerade') && r.at === where && r.dir === dir)) {
      missingDesignedRules(hop.scope.hostId, hop.scope.ns, undefined);
    }
  };
  for (const hop of e.path) check(hop, 'forward');
  prefix = 'on the way back: ';
  for (const hop of e.reply) check(hop, 'reply');
  prefix = '';

  // It got through where the design blocks it: is the blocking condition absent live?
  if (e.expect === 'blocked' && row.outcome?.reached && blocking) {
    const at = [...e.path, ...e.reply].find((h) => h.scope.name === blocking.at);
    const ev = at && evOf(at.scope.hostId, at.scope.ns);
    if (blocking.code === 'forwarding-off' && ev?.sysctl[fwdKey] === '1') push(`forwarding is on in ${blocking.at}, but the design leaves it off there (${blocking.text})`);
    else if (blocking.code === 'no-route' && at) {
      const r = ev?.routes.get(at.dst);
      if (r?.ok) push(`${blocking.at} has a route to ${at.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev ?? '?'} that the design does not have`);
    } else if (blocking.code !== 'policy-drop') push(`the design expects it to be stopped (${blocking.text}), but the host let it through`);
  }

  // A TCP probe that found nothing listening where the design sends it.
  if (e.probe.kind === 'tcp' && e.landsAt && row.outcome && !row.outcome.reached) {
    const l = [...listeners.values()].find((x) => x.spec.scope.key === e.landsAt!.scope.key && x.spec.address === e.landsAt!.address && x.spec.port === e.landsAt!.port);
    if (l && !l.ready) push(`the check's listener on ${l.spec.scope.name} ${l.spec.address}:${l.spec.port} could not start: ${l.detail}`);
  }

  // Firewalls Wireplan does not own, on the forward hook of routers on the path.
  for (const hop of e.path) {
    if (hop.role !== 'forward' && hop.role !== 'bridge' && hop.role !== 'drop') continue;
    const ev = evOf(hop.scope.hostId, hop.scope.ns);
    for (const c of ev?.nft?.chains ?? []) {
      if (c.hook !== 'forward' || c.table === table) continue;
      if (c.policy === 'drop') push(`${hop.scope.name} has a forward chain outside Wireplan with policy drop: table ${c.family} ${c.table} chain ${c.name} (e.g. Docker's FORWARD)`);
    }
  }

  if (found.length === 0) {
    // Strict reverse-path filtering drops asymmetric traffic the design may route.
    for (const s of scopes.values()) {
      const ev = evOf(s.hostId, s.ns);
      if (ev?.sysctl['net/ipv4/conf/all/rp_filter'] === '1') push(`reverse-path filtering is strict (rp_filter=1) in ${nameOf(s.hostId, s.ns)}; it drops packets whose reply would leave by another interface`);
    }
  }
  if (found.length === 0) {
    push(
      e.expect === 'reach'
        ? `the live state along the designed path matches the design; the packet is lost elsewhere (${row.outcome?.summary ?? 'no result'})`
        : `nothing on the designed path explains why it got through; the design expects: ${blocking?.text ?? 'blocked'}`,
    );
  }
  return found
    .map((f, i) => ({ ...f, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((f) => f.text);
}

/** The expectation's one-line "why": its blocking reason, or the key steps that let it through. */
export function expectationWhy(e: Expectation): string {
  const blocking = e.reasons.find((r) => BLOCKING.has(r.code));
  const forward = e.reasons.filter((r) => r.dir === 'forward');
  if (blocking) return [...forward.filter((r) => r.code === 'dnat').map((r) => r.short ?? r.text), blocking.text].join('; ');
  const parts: string[] = [];
  const routed = forward.some((r) => r.code === 'forwards');
  for (const r of forward) {
    if (r.code === 'dnat' || r.code === 'masquerade' || r.code === 'forwards' || r.code === 'policy-accept') parts.push(r.short ?? r.text);
    if (r.code === 'segment' && !routed && parts.length === 0) parts.push(`same segment, ${r.short ?? r.text}`);
  }
  for (const r of e.reasons) if (r.dir === 'reply' && r.code === 'un-nat') parts.push(r.short ?? r.text);
  if (parts.length === 0) parts.push(forward.find((r) => r.code === 'delivered')?.text ?? 'delivered');
  return [...new Set(parts)].join('; ');
}
