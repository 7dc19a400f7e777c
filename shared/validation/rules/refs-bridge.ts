// A VLAN or VXLAN enslaved to a bridge must name a bridge that exists in the same
// namespace: a port and its bridge cannot be in different namespaces.
import { error, type Finding, type Rule } from '../rule';

export const refsBridge: Rule = ({ design, index, ifaceByKey, label }) => {
  const out: Finding[] = [];
  const ports = [...design.vlans.map((v) => ({ el: v, noun: 'VLAN' })), ...design.vxlans.map((x) => ({ el: x, noun: 'VXLAN' }))];
  for (const { el, noun } of ports) {
    if (el.bridge === undefined) continue;
    const bridge = index.get('bridges', el.bridge);
    if (!bridge) {
      const other = index.byId.get(el.bridge);
      out.push(error('dangling-bridge', el.id, 'bridge', `${noun} "${el.name}" is attached to ${other ? `${label(el.bridge)}, which is not a bridge` : `"${el.bridge}", which does not exist`}`, 'pick an existing bridge, or clear "bridge"'));
      continue;
    }
    const mine = ifaceByKey.get(el.id)?.scope;
    const theirs = ifaceByKey.get(bridge.id)?.scope;
    if (mine !== undefined && theirs !== undefined && mine !== theirs) {
      out.push(error('dangling-bridge', el.id, 'bridge', `${noun} "${el.name}" and its bridge "${bridge.name}" are in different namespaces; a bridge port must live with its bridge`, `set the ${noun}'s "at" to where bridge "${bridge.name}" is (${label(bridge.at)})`));
    }
  }
  return out;
};
