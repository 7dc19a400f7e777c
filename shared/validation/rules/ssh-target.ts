// How Wireplan reaches each host. SSH user and address go to ssh2 (never a shell), but
// they are still held to allowlists; a sandbox has no SSH session to protect.
import { isSshAddress, SSH_USER } from '../../model/identifiers';
import { canonicalAddress } from '../../net/ip';
import { error, warning, type Finding, type Rule } from '../rule';

export const sshTarget: Rule = ({ design }) => {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  for (const host of design.hosts) {
    const t = host.target;
    if (t.kind === 'sandbox') {
      host.nics.forEach((nic, i) => {
        if (nic.management) out.push(error('sandbox-management-nic', host.id, `nics[${i}].management`, `host "${host.name}" is a sandbox, but NIC "${nic.name}" is marked as carrying an SSH session`, 'clear "management" on the NIC, or make the host an SSH target'));
      });
      continue;
    }
    if (t.server) continue; // reached as the inventory entry says (checked when connecting)
    if (t.alias) {
      // Named by ssh config alias: the address, user and port come from the ssh config.
      if (!isSshAddress(t.alias)) out.push(error('ssh-address', host.id, 'target.alias', `ssh config alias "${t.alias}" of host "${host.name}" is not a host name`, 'use the name of a Host block of your ssh config (letters, digits, "-" and ".")'));
      continue;
    }
    if (!t.address) {
      out.push(error('ssh-address', host.id, 'target.address', `SSH host "${host.name}" has no address`, 'enter the host name or IP address Wireplan should connect to'));
    } else if (!isSshAddress(t.address)) {
      out.push(error('ssh-address', host.id, 'target.address', `SSH address "${t.address}" of host "${host.name}" is neither an IP address nor a host name`, 'enter a host name like "lab1.example.net" or an IP address'));
    } else {
      const key = `${canonicalAddress(t.address) ?? t.address.toLowerCase()}:${t.port}`;
      const other = seen.get(key);
      if (other !== undefined) out.push(warning('ssh-host-duplicate', host.id, 'target.address', `host "${host.name}" reaches the same SSH address and port as host "${other}"; both plans would be applied to one machine`, 'merge the two hosts, or correct the address'));
      else seen.set(key, host.name);
    }
    if (!SSH_USER.test(t.user)) {
      out.push(error('ssh-user', host.id, 'target.user', `SSH user "${t.user}" of host "${host.name}" is not a valid user name`, 'use a login name such as "root", "Lab.Admin" or "CORP\\jdoe" (letters, digits, "_", "." and "-"; no shell characters)'));
    }
  }
  return out;
};
