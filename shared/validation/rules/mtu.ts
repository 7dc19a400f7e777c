// MTU coherence. A macvlan/ipvlan/VLAN cannot exceed its parent NIC's MTU (the kernel
// refuses it). On one segment, every interface should agree: a larger MTU on one side
// means large frames are dropped without an error (PMTU discovery does not help on one L2
// segment). Bridges without addresses only forward, so their own MTU is left out.
import { pushTo } from '../group';
import type { Iface } from '../ifaces';
import { error, warning, type Finding, type Rule } from '../rule';

const DEFAULT_MTU = 1500;

export const mtu: Rule = ({ design, ifaces, segments, label }) => {
  const out: Finding[] = [];
  const parentOf = new Map<string, string>();
  for (const m of design.macvlans) parentOf.set(m.id, m.parent);
  for (const v of design.vlans) parentOf.set(v.id, v.parent);
  const parentMtu = (i: Iface) => {
    const parent = parentOf.get(i.key);
    const nic = parent === undefined ? undefined : i.host?.nics.find((n) => n.name === parent);
    return nic ? { name: nic.name, mtu: nic.mtu } : undefined;
  };
  const effective = (i: Iface) => i.spec.mtu ?? parentMtu(i)?.mtu ?? DEFAULT_MTU;

  for (const i of ifaces) {
    const parent = parentMtu(i);
    if (!parent || i.spec.mtu === undefined) continue;
    const limit = parent.mtu ?? DEFAULT_MTU;
    if (i.spec.mtu > limit) {
      out.push(error('mtu-exceeds-parent', i.elementId, 'mtu', `${label(i.elementId)} MTU ${i.spec.mtu} is larger than the ${limit} MTU of its parent NIC "${parent.name}"${parent.mtu === undefined ? ' (not declared, assumed 1500)' : ''}`, `set the mtu to ${limit} or less, or declare the NIC's real MTU`));
    }
  }

  const bySegment = new Map<string, Iface[]>();
  for (const i of ifaces) {
    if (i.collection === 'bridges' && i.spec.addresses.length === 0) continue;
    pushTo(bySegment, segments.of(i), i);
  }
  for (const members of bySegment.values()) {
    if (members.length < 2) continue;
    const smallest = members.reduce((a, b) => (effective(b) < effective(a) ? b : a));
    const min = effective(smallest);
    for (const i of members) {
      if (i.collection === 'bridges' || effective(i) <= min) continue;
      out.push(warning('mtu-mismatch', i.elementId, `${i.path}mtu`, `${i.label} has MTU ${effective(i)}${i.spec.mtu === undefined ? ' (default)' : ''} but ${smallest.label} on the same segment has ${min}; larger frames are dropped silently`, `set the mtu to ${min}`));
    }
  }
  return out;
};
