// Addresses that are used together must be one family: an IPv4 route cannot go via an
// IPv6 gateway here, a VXLAN socket has one family, NAT does not translate 4 <-> 6.
import { parseAddress, parsePrefix, type Family } from '../../net/ip';
import { error, type Finding, type Rule } from '../rule';

const famOf = (text: string | undefined): Family | undefined =>
  text === undefined ? undefined : (parseAddress(text)?.family ?? parsePrefix(text)?.family);

export const addressFamily: Rule = ({ design }) => {
  const out: Finding[] = [];
  const pair = (elementId: string, field: string, what: string, a: string | undefined, b: string | undefined, bWhat: string) => {
    const fa = famOf(a);
    const fb = famOf(b);
    if (fa === undefined || fb === undefined || fa === fb) return;
    out.push(error('family-mismatch', elementId, field, `${what} "${a}" is IPv${fa} but ${bWhat} "${b}" is IPv${fb}`, `use IPv${fb} for both, or split it into one entry per family`));
  };
  const routes = (elementId: string, list: { to: string; via?: string | undefined }[]) =>
    list.forEach((r, i) => {
      if (r.to !== 'default') pair(elementId, `routes[${i}].via`, 'gateway', r.via, r.to, 'destination');
    });
  for (const h of design.hosts) routes(h.id, h.routes);
  for (const ns of design.namespaces) routes(ns.id, ns.routes);
  for (const x of design.vxlans) {
    pair(x.id, 'remote', 'VXLAN remote', x.remote, x.local, 'local address');
    pair(x.id, 'group', 'VXLAN group', x.group, x.local, 'local address');
  }
  for (const p of design.portForwards) pair(p.id, 'to', 'forward target', p.to, p.listen, 'listen address');
  for (const p of design.policies) p.rules.forEach((r, i) => pair(p.id, `rules[${i}].to`, 'rule destination', r.to, r.from, 'rule source'));
  return out;
};
