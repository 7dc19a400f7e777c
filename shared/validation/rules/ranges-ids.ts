// Tag ranges: 802.1Q VLAN ids and PVIDs are 12 bits minus the reserved 0 and 4095;
// VXLAN VNIs are 24 bits. A PVID only takes effect on a port of a vlan-filtering bridge.
import { error, warning, type Finding, type Rule } from '../rule';

const inRange = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;

export const rangesIds: Rule = ({ design, ifaceByKey }) => {
  const out: Finding[] = [];
  for (const v of design.vlans) {
    if (!inRange(v.vlanId, 1, 4094)) out.push(error('vlan-id-range', v.id, 'vlanId', `VLAN id ${v.vlanId} of VLAN "${v.name}" is outside 1..4094`, 'use a VLAN id from 1 to 4094'));
  }
  for (const x of design.vxlans) {
    if (!inRange(x.vni, 1, 16777215)) out.push(error('vni-range', x.id, 'vni', `VNI ${x.vni} of VXLAN "${x.name}" is outside 1..16777215`, 'use a VNI from 1 to 16777215'));
  }
  for (const v of design.veths) {
    for (const end of ['a', 'b'] as const) {
      const pvid = v[end].pvid;
      if (pvid === undefined) continue;
      const field = `${end}.pvid`;
      if (!inRange(pvid, 1, 4094)) {
        out.push(error('pvid-range', v.id, field, `PVID ${pvid} of veth "${v.name}" end ${end} is outside 1..4094`, 'use a VLAN id from 1 to 4094'));
        continue;
      }
      const master = ifaceByKey.get(`${v.id}.${end}`)?.master;
      if (!master) {
        out.push(warning('pvid-not-filtering', v.id, field, `veth "${v.name}" end ${end} has PVID ${pvid} but is not a bridge port, so it has no effect`, 'attach the end to a vlan-filtering bridge, or remove the PVID'));
      } else if (!master.vlanFiltering) {
        out.push(warning('pvid-not-filtering', v.id, field, `veth "${v.name}" end ${end} has PVID ${pvid}, but bridge "${master.name}" does not filter VLANs, so it has no effect`, `turn on VLAN filtering on bridge "${master.name}", or remove the PVID`));
      }
    }
  }
  return out;
};
