// Kernel interface names: at most 15 bytes (IFNAMSIZ), a safe character set, and unique
// within a namespace, counting the host's NICs (root namespace), lo and derived names.
import { IFNAME, IFNAME_MAX_BYTES, utf8Length } from '../../model/identifiers';
import { pushTo } from '../group';
import { error, type Finding, type Rule } from '../rule';

/** Names the kernel or sysctl tree already uses for something else. */
const RESERVED = new Set(['all', 'default']);

export const ifnames: Rule = ({ ifaces, scopes }) => {
  const out: Finding[] = [];
  for (const i of ifaces) {
    const name = i.spec.ifname;
    if (!name) continue;
    const field = `${i.path}ifname`;
    if (utf8Length(name) > IFNAME_MAX_BYTES) {
      out.push(error('ifname-length', i.elementId, field, `interface name "${name}" of ${i.label} is ${utf8Length(name)} bytes; the kernel allows at most ${IFNAME_MAX_BYTES}`, `shorten it, e.g. "${name.slice(0, IFNAME_MAX_BYTES)}", or clear it to use a derived name`));
    } else if (!IFNAME.test(name)) {
      out.push(error('ifname-syntax', i.elementId, field, `interface name "${name}" of ${i.label} may use only letters, digits, "_", "." and "-", starting with a letter or digit`, 'rename it, or clear it to use a derived name'));
    } else if (RESERVED.has(name)) {
      out.push(error('ifname-syntax', i.elementId, field, `interface name "${name}" of ${i.label} is reserved (/proc/sys/net/*/conf/${name} means every interface)`, 'choose another name'));
    }
  }
  for (const scope of scopes.values()) {
    const nics = new Set(scope.ns ? [] : scope.host.nics.map((n) => n.name));
    const byName = new Map<string, typeof scope.ifaces>();
    for (const i of scope.ifaces) {
      if (!i.ifname) continue;
      pushTo(byName, i.ifname, i);
    }
    for (const [name, users] of byName) {
      const clashes: string[] = [];
      if (nics.has(name)) clashes.push(`the host's NIC "${name}"`);
      if (name === 'lo') clashes.push('the loopback interface');
      if (users.length < 2 && clashes.length === 0) continue;
      for (const i of users) {
        const others = [...clashes, ...users.filter((u) => u !== i).map((u) => u.label)];
        out.push(error('ifname-duplicate', i.elementId, `${i.path}ifname`, `${i.label} is named "${name}" in ${scope.label}, like ${others.join(' and ')}`, 'give it another ifname (or clear it to use a derived name)'));
      }
    }
  }
  return out;
};
