// What one physical NIC can be used for at once. A bridge port, a macvlan parent and an
// ipvlan parent each claim the NIC's receive handler, so the kernel refuses a second kind
// ("Device or resource busy"); a passthru macvlan must be alone on its NIC; and a VLAN
// id exists once per NIC.
import { pushTo } from '../group';
import { error, type Finding, type Rule } from '../rule';

interface Use {
  elementId: string;
  field: string;
  role: string;
  label: string;
}

export const nicUsage: Rule = ({ design, ifaceByKey, label }) => {
  const out: Finding[] = [];
  const hostOf = (id: string) => ifaceByKey.get(id)?.host;
  const uses = new Map<string, Use[]>();
  const passthruIds = new Set(design.macvlans.filter((m) => m.mode === 'passthru').map((m) => m.id));
  for (const b of design.bridges) {
    const host = hostOf(b.id);
    if (host) b.nics.forEach((nic, i) => pushTo(uses, `${host.id}\u0000${nic}`, { elementId: b.id, field: `nics[${i}]`, role: `bridge:${b.id}`, label: label(b.id) }));
  }
  for (const m of design.macvlans) {
    const host = hostOf(m.id);
    if (host) pushTo(uses, `${host.id}\u0000${m.parent}`, { elementId: m.id, field: 'parent', role: m.kind, label: label(m.id) });
  }
  for (const [key, list] of uses) {
    const nic = key.slice(key.indexOf('\u0000') + 1);
    const roles = new Set(list.map((u) => u.role));
    if (roles.size > 1) {
      for (const u of list) {
        const others = [...new Set(list.filter((o) => o.role !== u.role).map((o) => o.label))].join(', ');
        out.push(error('nic-busy', u.elementId, u.field, `NIC "${nic}" is used by ${u.label} and also by ${others}; a NIC can be a port of one bridge, or the parent of macvlans, or of ipvlans, not several`, 'give each use its own NIC, or put the macvlans on a bridge port instead'));
      }
    }
    const passthru = list.filter((u) => passthruIds.has(u.elementId));
    if (passthru.length > 0 && list.length > 1) {
      for (const u of passthru) {
        out.push(error('macvlan-passthru-exclusive', u.elementId, 'mode', `${u.label} is in passthru mode, which takes NIC "${nic}" for itself, but ${list.filter((o) => o !== u).map((o) => o.label).join(', ')} also use it`, 'use bridge mode, or give the passthru macvlan a NIC of its own'));
      }
    }
  }
  const vlanIds = new Map<string, string>();
  for (const v of design.vlans) {
    const host = hostOf(v.id);
    if (!host) continue;
    const key = `${host.id}\u0000${v.parent}\u0000${v.vlanId}`;
    const other = vlanIds.get(key);
    if (other !== undefined) out.push(error('vlan-duplicate', v.id, 'vlanId', `VLAN id ${v.vlanId} on NIC "${v.parent}" of host "${host.name}" already exists as ${label(other)}`, 'use one VLAN interface per id and NIC (attach it to a bridge to share it)'));
    else vlanIds.set(key, v.id);
  }
  return out;
};
