// Declared NICs are the host's existing interfaces Wireplan refers to (parents, bridge
// ports, underlay, route devs); their names reach command lines.
import { isIfname } from '../../model/identifiers';
import { error, type Finding, type Rule } from '../rule';

export const nicNames: Rule = ({ design }) => {
  const out: Finding[] = [];
  for (const host of design.hosts) {
    const seen = new Set<string>();
    host.nics.forEach((nic, i) => {
      if (!isIfname(nic.name)) {
        out.push(error('nic-name-syntax', host.id, `nics[${i}].name`, `NIC name "${nic.name}" is not a valid interface name (at most 15 bytes of letters, digits, "_", "." and "-")`, 'write the NIC name exactly as `ip link` shows it'));
      }
      if (seen.has(nic.name)) out.push(error('nic-name-duplicate', host.id, `nics[${i}].name`, `NIC "${nic.name}" is declared twice on host "${host.name}"`, 'remove the second declaration'));
      seen.add(nic.name);
    });
  }
  return out;
};
