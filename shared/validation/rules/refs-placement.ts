// Every `at` (and a namespace's `host`) must name an element that can hold the thing:
// hosts and namespaces hold everything; a veth end may also sit on a bridge (as a port).
import { error, type Finding, type Rule } from '../rule';

type Holder = 'hosts' | 'namespaces' | 'bridges';
const PLACES: Holder[] = ['hosts', 'namespaces'];
const PORT_PLACES: Holder[] = ['hosts', 'namespaces', 'bridges'];
const NOUN: Record<Holder, string> = { hosts: 'a host', namespaces: 'a namespace', bridges: 'a bridge' };

/** "a host, a namespace or a bridge". */
function expectedOf(allowed: Holder[]): string {
  const nouns = allowed.map((c) => NOUN[c]);
  return nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} or ${nouns[nouns.length - 1]!}` : nouns.join('');
}

export const refsPlacement: Rule = ({ design, index, label }) => {
  const out: Finding[] = [];
  const check = (elementId: string, field: string, what: string, ref: string, allowed: Holder[]) => {
    const target = index.byId.get(ref);
    if (target && allowed.includes(target.collection as Holder)) return;
    const expected = expectedOf(allowed);
    if (!target) {
      out.push(error('dangling-at', elementId, field, `${what} refers to "${ref}", which does not exist`, `pick ${expected} that exists`));
    } else {
      out.push(error('dangling-at', elementId, field, `${what} refers to ${label(ref)}, but it must be ${expected}`, `pick ${expected}`));
    }
  };
  const placed = (list: { id: string; name: string; at: string }[], noun: string) => {
    for (const el of list) check(el.id, 'at', `${noun} "${el.name}"`, el.at, PLACES);
  };
  for (const ns of design.namespaces) check(ns.id, 'host', `namespace "${ns.name}"`, ns.host, ['hosts']);
  placed(design.bridges, 'bridge');
  for (const v of design.veths) {
    for (const end of ['a', 'b'] as const) check(v.id, `${end}.at`, `veth "${v.name}" end ${end}`, v[end].at, PORT_PLACES);
  }
  for (const m of design.macvlans) check(m.id, 'at', `${m.kind} "${m.name}"`, m.at, PLACES);
  placed(design.vlans, 'VLAN');
  placed(design.vxlans, 'VXLAN');
  placed(design.masquerades, 'masquerade');
  placed(design.portForwards, 'port forward');
  placed(design.policies, 'policy');
  return out;
};
