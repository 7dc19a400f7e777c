// Address and prefix syntax for every field that holds one, and host bits in prefixes
// (`ip route add 10.0.0.1/24` is refused by the kernel; in NAT/policy it hides a typo).
import { formatNetwork, isNetwork, parseAddress, parsePrefix } from '../../net/ip';
import { addressFields, type AddressField } from '../address-fields';
import { error, warning, type Finding, type Rule } from '../rule';

function checkField(f: AddressField): Finding | undefined {
  const { elementId, field, text, what } = f;
  const bad = (expected: string, fix: string) => error('address-syntax', elementId, field, `${what} "${text}" is not ${expected}`, fix);
  switch (f.form) {
    case 'address':
      if (parseAddress(text)) return undefined;
      return parsePrefix(text)
        ? bad('a plain address (no /length here)', `write just the address, e.g. "${text.split('/')[0]}"`)
        : bad('an IPv4 or IPv6 address', 'write an address such as "10.0.0.1" or "fd00::1"');
    case 'interface':
      if (parsePrefix(text)) return undefined;
      return parseAddress(text)
        ? bad('an address with a subnet length', `add the subnet length, e.g. "${text}/24"`)
        : bad('an interface address', 'write address/length, e.g. "10.0.0.1/24" or "fd00::1/64"');
    case 'route':
    case 'prefix': {
      if (f.form === 'route' && text === 'default') return undefined;
      const p = parsePrefix(text);
      if (!p) {
        const single = parseAddress(text);
        const example = single ? `"${text}/${single.family === 4 ? 32 : 128}" for a single address` : '"10.1.0.0/16"';
        return bad(f.form === 'route' ? '"default" or a prefix' : 'a prefix', `write a prefix such as ${example}`);
      }
      if (isNetwork(p)) return undefined;
      const msg = `${what} "${text}" has host bits set; the network is ${formatNetwork(p)}`;
      const fix = `write "${formatNetwork(p)}"`;
      return f.form === 'route' ? error('prefix-host-bits', elementId, field, `${msg} (the kernel refuses such a route)`, fix) : warning('prefix-host-bits', elementId, field, msg, fix);
    }
  }
}

export const addressSyntax: Rule = ({ design, ifaces }) =>
  addressFields(design, ifaces)
    .map(checkField)
    .filter((d) => d !== undefined);
