// A new, empty design document (what File > New gives).
import { CURRENT_VERSION, type Design } from '../../../shared/model/schema';

export function emptyDesign(name = 'Untitled lab'): Design {
  return {
    wireplan: CURRENT_VERSION,
    tag: 'lab',
    name,
    hosts: [],
    namespaces: [],
    bridges: [],
    veths: [],
    macvlans: [],
    vlans: [],
    vxlans: [],
    masquerades: [],
    portForwards: [],
    policies: [],
    layout: { nodes: {}, frames: {} },
  };
}
