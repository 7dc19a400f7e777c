// Interface names written by the user that reach commands without being created by
// Wireplan: parents, bridge NICs, route devs, NAT egress, forward ingress, sysctl keys.
// Each must pass the allowlist before anything else looks at it.
import { isIfname } from '../../model/identifiers';
import { error, type Finding, type Rule } from '../rule';

export const ifnameRefs: Rule = ({ design }) => {
  const out: Finding[] = [];
  const check = (elementId: string, field: string, name: string | undefined, what: string) => {
    if (name === undefined || isIfname(name)) return;
    out.push(error('ifname-ref-syntax', elementId, field, `${what} "${name}" is not a valid interface name (at most 15 bytes of letters, digits, "_", "." and "-")`, 'write the interface name exactly as `ip link` shows it'));
  };
  const routes = (elementId: string, list: { dev?: string | undefined }[]) =>
    list.forEach((r, i) => check(elementId, `routes[${i}].dev`, r.dev, 'route device'));
  for (const h of design.hosts) {
    routes(h.id, h.routes);
    check(h.id, 'underlayDev', h.underlayDev, 'underlay NIC');
    h.sysctls.interfaces.forEach((s, i) => check(h.id, `sysctls.interfaces[${i}].iface`, s.iface, 'sysctl interface'));
  }
  for (const ns of design.namespaces) routes(ns.id, ns.routes);
  for (const b of design.bridges) b.nics.forEach((n, i) => check(b.id, `nics[${i}]`, n, 'bridge NIC'));
  for (const m of design.macvlans) check(m.id, 'parent', m.parent, 'parent NIC');
  for (const v of design.vlans) check(v.id, 'parent', v.parent, 'parent NIC');
  for (const x of design.vxlans) check(x.id, 'dev', x.dev, 'underlay device');
  for (const m of design.masquerades) {
    check(m.id, 'egress', m.egress, 'egress interface');
    check(m.id, 'egressExcept', m.egressExcept, 'excepted egress interface');
  }
  for (const p of design.policies) {
    p.rules.forEach((r, i) => {
      check(p.id, `rules[${i}].in`, r.in, 'in-interface');
      check(p.id, `rules[${i}].out`, r.out, 'out-interface');
    });
  }
  for (const p of design.portForwards) check(p.id, 'ingress', p.ingress, 'ingress interface');
  return out;
};
