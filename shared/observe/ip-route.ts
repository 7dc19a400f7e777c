// `ip -j route show [table all]`.
//
// Facts about iproute2 6.1 (verified): without -4/-6, `route show` and `route show table
// main` list IPv4 only; `route show table all` lists both families and every table. Routes
// of the main table carry no "table" key; others say "table":"local" / "100". With -d every
// route gets "type":"unicast"; without it only non-unicast types are printed. A host route
// prints its dst without a prefix length ("10.77.0.5"). IPv6 routes always carry "pref".
import { formatNetwork, parseAddress, parsePrefix } from '../net/ip';
import { canonAddr as canonicalAddress, memo } from './canon';
import { isRecord, parseJson, rec, str, strArray, uint, type JsonRecord } from './json';
import { fail, guard, ok, type ParseResult } from './result';
import type { ObservedNexthop, ObservedRoute } from './types';

const familyOfText = memo((text: string) => parseAddress(text)?.family);

function familyOf(text: string | undefined): 4 | 6 | undefined {
  return text === undefined ? undefined : familyOfText(text);
}

function gatewayOf(o: JsonRecord): string | undefined {
  const gw = str(o, 'gateway');
  if (gw !== undefined) return canonicalAddress(gw) ?? gw;
  const via = rec(o, 'via'); // RTA_VIA: an IPv4 route via an IPv6 next hop
  const host = via ? str(via, 'host') : undefined;
  return host === undefined ? undefined : (canonicalAddress(host) ?? host);
}

const canonDst = memo((dst: string): string | undefined => {
  if (dst.includes('/')) {
    const p = parsePrefix(dst);
    return p && formatNetwork(p);
  }
  const a = parseAddress(dst);
  return a && formatNetwork({ family: a.family, address: a.value, length: a.family === 4 ? 32 : 128 });
});

/** Canonical network text for a route destination ("default" needs the family). */
export function canonicalRouteDst(dst: string, family: 4 | 6): string | undefined {
  if (dst === 'default') return family === 4 ? '0.0.0.0/0' : '::/0';
  return canonDst(dst);
}

export function routeFromJson(o: unknown, familyHint?: 4 | 6): { route: ObservedRoute } | { error: string } {
  if (!isRecord(o)) return { error: 'not an object' };
  const dstRaw = str(o, 'dst');
  if (dstRaw === undefined) return { error: 'missing "dst"' };
  const gateway = gatewayOf(o);
  const prefsrc = str(o, 'prefsrc');
  const nexthopsRaw = o['nexthops'];
  const nexthops: ObservedNexthop[] | undefined = Array.isArray(nexthopsRaw)
    ? nexthopsRaw.filter(isRecord).map((h) => {
        const nh: ObservedNexthop = {};
        const g = gatewayOf(h);
        if (g !== undefined) nh.gateway = g;
        const dev = str(h, 'dev');
        if (dev !== undefined) nh.dev = dev;
        const weight = uint(h, 'weight');
        if (weight !== undefined) nh.weight = weight;
        return nh;
      })
    : undefined;
  let family: 4 | 6 | undefined;
  if (dstRaw !== 'default') {
    // canonicalRouteDst below rejects what is not an address; the family is in the text.
    family = dstRaw.includes(':') ? 6 : 4;
  } else {
    family =
      familyOf(str(o, 'gateway')) ??
      familyOf(prefsrc) ??
      familyOf(nexthops?.find((h) => h.gateway)?.gateway) ??
      ('pref' in o ? 6 : undefined) ??
      familyHint ??
      4;
  }
  const dst = canonicalRouteDst(dstRaw, family);
  if (dst === undefined) return { error: `unparseable dst ${JSON.stringify(dstRaw)}` };
  const tableRaw = o['table'];
  const route: ObservedRoute = {
    family,
    dst,
    dstRaw,
    type: str(o, 'type') ?? 'unicast',
    table: typeof tableRaw === 'string' ? tableRaw : typeof tableRaw === 'number' ? String(tableRaw) : 'main',
    flags: strArray(o, 'flags'),
  };
  if (gateway !== undefined) route.gateway = gateway;
  const dev = str(o, 'dev');
  if (dev !== undefined) route.dev = dev;
  const metric = uint(o, 'metric');
  if (metric !== undefined) route.metric = metric;
  const protocol = str(o, 'protocol');
  if (protocol !== undefined) route.protocol = protocol;
  const scope = str(o, 'scope');
  if (scope !== undefined) route.scope = scope;
  if (prefsrc !== undefined) route.prefsrc = canonicalAddress(prefsrc) ?? prefsrc;
  if (nexthops !== undefined) route.nexthops = nexthops;
  return { route };
}

export function routesFromArray(arr: unknown[], what: string, warnings: string[], familyHint?: 4 | 6): ObservedRoute[] {
  const routes: ObservedRoute[] = [];
  arr.forEach((entry, i) => {
    const r = routeFromJson(entry, familyHint);
    if ('error' in r) warnings.push(`${what}: entry ${i} skipped: ${r.error}`);
    else routes.push(r.route);
  });
  return routes;
}

/**
 * Parse `ip -j route show ...`. `family` is a hint for `default` routes that carry nothing
 * else telling their family (use it for `ip -6 route show` output).
 */
export function parseIpRoute(text: string, options: { family?: 4 | 6 } = {}): ParseResult<ObservedRoute[]> {
  return guard('ip route', () => {
    const parsed = parseJson(text, 'ip route');
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail('ip route: expected a JSON array of routes');
    const warnings: string[] = [];
    return ok(routesFromArray(parsed.value, 'ip route', warnings, options.family), warnings);
  });
}
