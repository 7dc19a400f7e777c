// Every field of the design that holds an address or prefix, with the form it must
// take. The syntax rule walks this list so a new field is checked by adding one line.
import type { Design, Route } from '../model/schema';
import type { Iface } from './ifaces';

export type AddressForm =
  /** A plain address: 10.0.0.1, fd00::1. */
  | 'address'
  /** An interface address with its subnet length: 10.0.0.1/24. */
  | 'interface'
  /** A subnet: 10.0.0.0/24 (host bits are a warning). */
  | 'prefix'
  /** "default" or a subnet; host bits are an error (the kernel refuses them). */
  | 'route';

export interface AddressField {
  elementId: string;
  field: string;
  text: string;
  form: AddressForm;
  /** For messages: "route gateway", "VXLAN remote". */
  what: string;
}

export function addressFields(design: Design, ifaces: Iface[]): AddressField[] {
  const out: AddressField[] = [];
  const add = (elementId: string, field: string, text: string | undefined, form: AddressForm, what: string) => {
    if (text !== undefined) out.push({ elementId, field, text, form, what });
  };
  const routes = (elementId: string, list: Route[]) =>
    list.forEach((r, i) => {
      add(elementId, `routes[${i}].to`, r.to, 'route', 'route destination');
      add(elementId, `routes[${i}].via`, r.via, 'address', 'route gateway');
    });
  for (const h of design.hosts) {
    add(h.id, 'underlay', h.underlay, 'address', 'underlay address');
    routes(h.id, h.routes);
  }
  for (const ns of design.namespaces) routes(ns.id, ns.routes);
  for (const i of ifaces) i.spec.addresses.forEach((a, n) => add(i.elementId, `${i.path}addresses[${n}]`, a, 'interface', `address of ${i.label}`));
  for (const x of design.vxlans) {
    add(x.id, 'remote', x.remote, 'address', 'VXLAN remote');
    add(x.id, 'group', x.group, 'address', 'VXLAN group');
    add(x.id, 'local', x.local, 'address', 'VXLAN local address');
  }
  for (const m of design.masquerades) add(m.id, 'source', m.source, 'prefix', 'masquerade source');
  for (const p of design.portForwards) {
    add(p.id, 'listen', p.listen, 'address', 'listen address');
    add(p.id, 'to', p.to, 'address', 'forward target');
  }
  for (const p of design.policies) {
    p.protects.forEach((t, i) => add(p.id, `protects[${i}]`, t, 'prefix', 'protected prefix'));
    p.rules.forEach((r, i) => {
      add(p.id, `rules[${i}].from`, r.from, 'prefix', 'rule source');
      add(p.id, `rules[${i}].to`, r.to, 'prefix', 'rule destination');
    });
  }
  return out;
}
