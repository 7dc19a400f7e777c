// Namespace names become files under /run/netns and arguments of `ip netns`; two
// namespaces with one name on a host would be the same namespace.
import { NETNS_NAME } from '../../model/identifiers';
import { error, type Finding, type Rule } from '../rule';

export const netnsNames: Rule = ({ design }) => {
  const out: Finding[] = [];
  const first = new Map<string, string>();
  for (const ns of design.namespaces) {
    if (!NETNS_NAME.test(ns.name)) {
      out.push(
        error(
          'netns-name-syntax',
          ns.id,
          'name',
          `namespace name "${ns.name}" is not allowed: it must start with a letter or digit and use only letters, digits, "_", "." and "-" (at most 32)`,
          'rename the namespace, e.g. "app1"',
        ),
      );
    }
    const key = `${ns.host}\u0000${ns.name}`;
    const other = first.get(key);
    if (other === undefined) first.set(key, ns.id);
    else out.push(error('netns-name-duplicate', ns.id, 'name', `namespace name "${ns.name}" is already used on this host by namespace "${other}"`, 'give each namespace on a host its own name'));
  }
  return out;
};
