// What the canvas offers to capture on, for the context menus: both ends of a veth link,
// bridges, macvlans, VLAN and VXLAN interfaces, and a host's NICs (canvas id nic:HOST:NAME,
// the backend's HOST:NAME). Labels name the end by where it sits, as the canvas shows it.
import type { Design } from '../../../shared/model/schema';
import { parseNicNodeId } from '../model/kinds';

export interface CaptureChoice {
  element: string;
  /** Menu text: "Capture on ns1 end of ns1-br0". */
  menu: string;
  /** Tab title until the backend names it exactly. */
  title: string;
}

function placeName(design: Design, at: string): string {
  const all = [...design.hosts, ...design.namespaces, ...design.bridges];
  return all.find((e) => e.id === at)?.name ?? at;
}

export function captureChoices(design: Design, elementId: string): CaptureChoice[] {
  const nic = parseNicNodeId(elementId);
  if (nic) {
    const host = design.hosts.find((h) => h.id === nic.hostId);
    if (!host?.nics.some((n) => n.name === nic.name)) return [];
    return [{ element: `${host.id}:${nic.name}`, menu: `Capture on NIC ${nic.name} of ${host.name}`, title: `NIC ${nic.name} on ${host.name}` }];
  }
  const veth = design.veths.find((v) => v.id === elementId);
  if (veth) {
    return (['a', 'b'] as const).map((end) => {
      const where = placeName(design, veth[end].at);
      return { element: `${veth.id}.${end}`, menu: `Capture on the ${where} end of ${veth.name}`, title: `${veth.name} (${where} end)` };
    });
  }
  const kinds = [
    ['bridges', 'bridge'],
    ['macvlans', 'macvlan'],
    ['vlans', 'VLAN'],
    ['vxlans', 'VXLAN'],
  ] as const;
  for (const [collection, word] of kinds) {
    const el = design[collection].find((e) => e.id === elementId);
    if (el) return [{ element: el.id, menu: `Capture on ${word} ${el.name}`, title: `${word} ${el.name}` }];
  }
  return [];
}
