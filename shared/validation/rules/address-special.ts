// Interface addresses that parse but cannot (or should not) identify a host: the
// unspecified and multicast addresses, loopback outside lo, and a subnet's network
// or broadcast address.
import { bits, formatNetwork } from '../../net/ip';
import { addressOf, isLoopback, isMulticast, isUnspecified } from '../addr-kinds';
import { error, warning, type Finding, type Rule } from '../rule';

export const addressSpecial: Rule = ({ addresses }) => {
  const out: Finding[] = [];
  for (const a of addresses) {
    const { iface, field, text, prefix } = a;
    const addr = addressOf(prefix);
    const suggest = `use a host address such as "${a.prefix.family === 4 ? '10.0.0.1/24' : 'fd00::1/64'}"`;
    if (isUnspecified(addr) || isMulticast(addr)) {
      const kind = isUnspecified(addr) ? 'the unspecified address' : 'a multicast address';
      out.push(error('address-special', iface.elementId, field, `${text} on ${iface.label} is ${kind}; it cannot be assigned to an interface`, suggest));
    } else if (isLoopback(addr)) {
      out.push(warning('address-special', iface.elementId, field, `${text} on ${iface.label} is a loopback address; it is never routed off the host`, suggest));
    } else if (prefix.length <= bits(prefix.family) - 2) {
      const allOnes = (1n << BigInt(bits(prefix.family) - prefix.length)) - 1n;
      const hostBits = prefix.address & allOnes;
      if (hostBits === 0n) {
        out.push(warning('address-special', iface.elementId, field, `${text} on ${iface.label} is the network address of ${formatNetwork(prefix)}${prefix.family === 6 ? ' (the subnet-router anycast address)' : ''}`, `use a host address inside ${formatNetwork(prefix)}`));
      } else if (prefix.family === 4 && hostBits === allOnes) {
        out.push(warning('address-special', iface.elementId, field, `${text} on ${iface.label} is the broadcast address of ${formatNetwork(prefix)}`, `use a host address inside ${formatNetwork(prefix)}`));
      }
    }
  }
  return out;
};
