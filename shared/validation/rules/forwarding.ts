// NAT, port forwards, forward-path policies and being someone's gateway all need the
// router to forward packets. Linux's default (and a fresh namespace's) is off, so an
// unset ip_forward counts as off.
import { formatAddress, parseAddress, parsePrefix, type Family } from '../../net/ip';
import type { IfaceAddress } from '../context';
import type { Iface } from '../ifaces';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';
import { forwardingFix, forwards, type Scope } from '../scopes';

const famOfPrefix = (text: string): Family => parsePrefix(text)?.family ?? 4;
const knob = (family: Family) => (family === 4 ? 'ip_forward' : 'IPv6 forwarding');

export const forwarding: Rule = (ctx) => {
  const { design, scopeAt } = ctx;
  const out: Finding[] = [];
  const need = (elementId: string, what: string, at: string, family: Family, severity: 'error' | 'warning') => {
    const scope = scopeAt(at);
    if (!scope || forwards(scope, family)) return;
    const make = severity === 'error' ? error : warning;
    out.push(make('forwarding-off', elementId, 'at', `${what} needs forwarding, but ${knob(family)} is off in ${scope.label}`, forwardingFix(scope, family)));
  };
  for (const m of design.masquerades) need(m.id, `masquerade "${m.name}"`, m.at, famOfPrefix(m.source), 'error');
  for (const p of design.portForwards) need(p.id, `port forward "${p.name}"`, p.at, parseAddress(p.to)?.family ?? 4, 'error');
  for (const p of design.policies) {
    const families = new Set(p.protects.map((t) => parsePrefix(t)?.family).filter((f) => f !== undefined));
    for (const f of [4, 6] as const) if (families.has(f)) need(p.id, `policy "${p.name}" filters forwarded traffic and`, p.at, f, 'warning');
  }
  out.push(...gatewaysThatDoNotForward(ctx.scopes, ctx.addresses, ctx.segments.of));
  return out;
};

/** Namespaces other namespaces route through (their address is someone's `via`) must forward. */
function gatewaysThatDoNotForward(scopes: Map<string, Scope>, addresses: IfaceAddress[], segmentOf: (i: Iface) => string): Finding[] {
  const out: Finding[] = [];
  const owners = new Map<string, IfaceAddress[]>();
  for (const a of addresses) pushTo(owners, `${a.prefix.family}/${a.address}`, a);
  const users = new Map<string, { router: Scope; family: Family; who: string[] }>();
  for (const scope of scopes.values()) {
    let segments: Set<string> | undefined; // only needed to choose between several owners
    for (const r of scope.routes) {
      const via = r.via === undefined ? undefined : parseAddress(r.via);
      if (!via) continue;
      const candidates = (owners.get(`${via.family}/${formatAddress(via.family, via.value)}`) ?? []).filter((a) => a.iface.scope !== scope.key);
      if (candidates.length > 1) segments ??= new Set(scope.ifaces.map(segmentOf));
      const owner = (segments && candidates.find((a) => segments!.has(a.segment))) ?? candidates[0];
      const router = owner?.iface.scope === undefined ? undefined : scopes.get(owner.iface.scope);
      if (!router || forwards(router, via.family)) continue;
      const key = `${router.key}\u0000${via.family}`;
      const entry = users.get(key) ?? { router, family: via.family, who: [] };
      entry.who.push(`${scope.label} (route to ${r.to})`);
      users.set(key, entry);
    }
  }
  for (const { router, family, who } of users.values()) {
    const field = family === 4 ? 'sysctls.ipForward' : 'sysctls.ipv6Forward';
    const shown = who.slice(0, 3).join(', ') + (who.length > 3 ? `, and ${who.length - 3} more` : '');
    out.push(warning('gateway-not-forwarding', router.ownerId, field, `${router.label} is the gateway of ${shown}, but ${knob(family)} is off there, so it drops what it should route`, forwardingFix(router, family)));
  }
  return out;
}

