// A scope is one routing/naming domain: a host's root namespace or one namespace on it.
// Interface names must be unique in it, routes live in it, and it forwards (or not).
import type { Host, Namespace, Route } from '../model/schema';
import { scopeKey, type Iface } from './ifaces';

export interface Scope {
  key: string;
  host: Host;
  ns?: Namespace;
  /** Id of the element that owns the scope's settings: the namespace, or the host for root. */
  ownerId: string;
  /** For messages: 'the root namespace of host "h1"', 'namespace "app" on host "h1"'. */
  label: string;
  /** The owner's `routes` (host routes for root). */
  routes: Route[];
  ifaces: Iface[];
  /** Interface names present after the plan: Wireplan's, the host's NICs (root) and lo. */
  ifnames: Set<string>;
}

export function buildScopes(hosts: Host[], namespaces: Namespace[], ifaces: Iface[]): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  const hostById = new Map<string, Host>();
  for (const host of hosts) {
    if (hostById.has(host.id)) continue;
    hostById.set(host.id, host);
    const ifnames = new Set(['lo', ...host.nics.map((n) => n.name)]);
    scopes.set(scopeKey(host), { key: scopeKey(host), host, ownerId: host.id, label: `the root namespace of host "${host.name}"`, routes: host.routes, ifaces: [], ifnames });
  }
  for (const ns of namespaces) {
    const host = hostById.get(ns.host);
    const key = host && scopeKey(host, ns);
    if (!host || !key || scopes.has(key)) continue;
    scopes.set(key, { key, host, ns, ownerId: ns.id, label: `namespace "${ns.name}" on host "${host.name}"`, routes: ns.routes, ifaces: [], ifnames: new Set(['lo']) });
  }
  for (const iface of ifaces) {
    const scope = iface.scope === undefined ? undefined : scopes.get(iface.scope);
    if (!scope) continue;
    scope.ifaces.push(iface);
    if (iface.ifname) scope.ifnames.add(iface.ifname);
  }
  return scopes;
}

/** Whether the scope forwards packets of this family (unset counts as off: Linux's default). */
export function forwards(scope: Scope, family: 4 | 6): boolean {
  const sysctls = scope.ns ? scope.ns.sysctls : scope.host.sysctls;
  return (family === 4 ? sysctls.ipForward : sysctls.ipv6Forward) === true;
}

export function forwardingFix(scope: Scope, family: 4 | 6): string {
  const knob = family === 4 ? 'ip_forward' : 'IPv6 forwarding';
  return scope.ns
    ? `turn on ${knob} in namespace "${scope.ns.name}" on host "${scope.host.name}"`
    : `turn on ${knob} on host "${scope.host.name}"`;
}
