// Adding an element at a canvas point: the host frame under the point owns it (a new
// host is made when there is none); the element's layout is stored relative to that frame.
import type { Design } from '../../../shared/model/schema';
import {
  newBridge,
  newHost,
  newMacvlan,
  newMasquerade,
  newNamespace,
  newNic,
  newPolicy,
  newPortForward,
  newVlan,
  newVxlan,
} from './defaults';
import { FRAME_HEADER, FRAME_MIN, nicNodeId, type NodeKind } from './kinds';
import { fitFrames, frameAt, nearestFrame, nodeSize, type XY } from './layout';
import { hostById } from './lookup';

export interface Added {
  design: Design;
  /** Canvas node id of the new thing. */
  id: string;
}

function addHostAt(design: Design, topLeft: XY): Added {
  const host = newHost(design);
  return {
    id: host.id,
    design: {
      ...design,
      hosts: [...design.hosts, host],
      layout: { ...design.layout, frames: { ...design.layout.frames, [host.id]: { x: topLeft.x, y: topLeft.y, ...FRAME_MIN } } },
    },
  };
}

/**
 * Adds a `kind` centred on `point` (absolute canvas coordinates). `inHost` forces the
 * owner (click-to-add uses the selected host); otherwise the frame under the point, the
 * nearest frame, or a new host.
 */
export function addNode(design: Design, kind: NodeKind, point: XY, inHost?: string): Added {
  if (kind === 'host') return addHostAt(design, { x: Math.round(point.x - FRAME_MIN.width / 2), y: Math.round(point.y - FRAME_HEADER / 2) });
  let d = design;
  let hostId = inHost && hostById(d, inHost) ? inHost : (frameAt(d, point) ?? nearestFrame(d, point));
  if (!hostId) {
    const made = addHostAt(d, { x: Math.round(point.x - FRAME_MIN.width / 2), y: Math.round(point.y - FRAME_MIN.height / 2) });
    d = made.design;
    hostId = made.id;
  }
  const host = hostById(d, hostId)!;
  const size = nodeSize(kind);
  const topLeft = { x: Math.round(point.x - size.width / 2), y: Math.round(point.y - size.height / 2) };

  let id: string;
  switch (kind) {
    case 'nic': {
      const nic = newNic(host);
      id = nicNodeId(host.id, nic.name);
      d = { ...d, hosts: d.hosts.map((h) => (h.id === host.id ? { ...h, nics: [...h.nics, nic] } : h)) };
      break;
    }
    case 'namespace': {
      const ns = newNamespace(d, host.id);
      id = ns.id;
      d = { ...d, namespaces: [...d.namespaces, ns] };
      break;
    }
    case 'bridge': {
      const b = newBridge(d, host.id);
      id = b.id;
      d = { ...d, bridges: [...d.bridges, b] };
      break;
    }
    case 'macvlan':
    case 'ipvlan': {
      const m = newMacvlan(d, host.id, host, kind);
      id = m.id;
      d = { ...d, macvlans: [...d.macvlans, m] };
      break;
    }
    case 'vlan': {
      const v = newVlan(d, host.id, host);
      id = v.id;
      d = { ...d, vlans: [...d.vlans, v] };
      break;
    }
    case 'vxlan': {
      const x = newVxlan(d, host.id);
      id = x.id;
      d = { ...d, vxlans: [...d.vxlans, x] };
      break;
    }
    case 'masquerade': {
      const m = newMasquerade(d, host.id, host.id);
      id = m.id;
      d = { ...d, masquerades: [...d.masquerades, m] };
      break;
    }
    case 'portForward': {
      const p = newPortForward(d, host.id, host.id);
      id = p.id;
      d = { ...d, portForwards: [...d.portForwards, p] };
      break;
    }
    case 'policy': {
      const p = newPolicy(d, host.id, host.id);
      id = p.id;
      d = { ...d, policies: [...d.policies, p] };
      break;
    }
  }
  d = { ...d, layout: { ...d.layout, nodes: { ...d.layout.nodes, [id]: topLeft } } };
  return { design: fitFrames(d, [hostId]), id };
}
