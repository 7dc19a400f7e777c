// Interface names that commands use as-is (route dev, masquerade egress, forward
// ingress, policy rule in/out, per-interface sysctls) must exist in that namespace once the plan has run:
// an interface Wireplan creates there (its kernel name), a declared NIC (root), or lo.
import { isIfname } from '../../model/identifiers';
import type { Scope } from '../scopes';
import { error, type Finding, type Rule } from '../rule';

const SYSCTL_WILDCARDS = new Set(['all', 'default']);

function known(scope: Scope): string {
  const names = [...scope.ifnames].sort();
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, ...` : shown;
}

export const refsIfnames: Rule = ({ design, scopes, scopeAt }) => {
  const out: Finding[] = [];
  // Malformed names are ifname-ref-syntax's finding; one diagnostic per field is enough.
  const check = (scope: Scope | undefined, elementId: string, field: string, name: string | undefined, what: string) => {
    if (!scope || name === undefined || !isIfname(name) || scope.ifnames.has(name)) return;
    out.push(error('dangling-ifname', elementId, field, `${what.replace('%', () => `"${name}"`)} does not exist in ${scope.label}`, `use an interface of that namespace (${known(scope)}), by its kernel name`));
  };
  for (const scope of scopes.values()) {
    scope.routes.forEach((r, i) => check(scope, scope.ownerId, `routes[${i}].dev`, r.dev, `device % of the route to ${r.to}`));
  }
  for (const m of design.masquerades) {
    check(scopeAt(m.at), m.id, 'egress', m.egress, `egress interface % of masquerade "${m.name}"`);
    check(scopeAt(m.at), m.id, 'egressExcept', m.egressExcept, `excepted egress interface % of masquerade "${m.name}"`);
  }
  for (const p of design.policies) {
    p.rules.forEach((r, i) => {
      check(scopeAt(p.at), p.id, `rules[${i}].in`, r.in, `in-interface % of rule ${i + 1} of policy "${p.name}"`);
      check(scopeAt(p.at), p.id, `rules[${i}].out`, r.out, `out-interface % of rule ${i + 1} of policy "${p.name}"`);
    });
  }
  for (const p of design.portForwards) check(scopeAt(p.at), p.id, 'ingress', p.ingress, `ingress interface % of port forward "${p.name}"`);
  for (const h of design.hosts) {
    const root = scopes.get(h.id);
    h.sysctls.interfaces.forEach((s, i) => {
      if (!SYSCTL_WILDCARDS.has(s.iface)) check(root, h.id, `sysctls.interfaces[${i}].iface`, s.iface, 'sysctl interface %');
    });
  }
  return out;
};
