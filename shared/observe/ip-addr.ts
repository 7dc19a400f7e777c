// `ip -j addr show`: links (as in `ip link`) each with an addr_info array.
import { canonAddr as canonicalAddress } from './canon';
import { isRecord, parseJson, str, uint } from './json';
import { linksFromArray } from './ip-link';
import { fail, guard, ok, type ParseResult } from './result';
import type { ObservedAddress, ObservedLink } from './types';

/** Boolean address flags ip prints as `"tentative": true` etc. */
const ADDR_FLAGS = [
  'secondary',
  'temporary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'permanent',
  'dynamic',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
] as const;

export interface IpAddrOutput {
  links: ObservedLink[];
  addresses: ObservedAddress[];
}

export function addressesFromArray(arr: unknown[], what: string, warnings: string[]): ObservedAddress[] {
  const out: ObservedAddress[] = [];
  arr.forEach((entry) => {
    if (!isRecord(entry)) return; // reported by the link pass
    const ifindex = uint(entry, 'ifindex');
    const ifname = str(entry, 'ifname');
    if (ifindex === undefined || ifname === undefined) return;
    const infos = entry['addr_info'];
    if (infos === undefined) return;
    if (!Array.isArray(infos)) {
      warnings.push(`${what}: ${JSON.stringify(ifname)}: addr_info is not an array`);
      return;
    }
    infos.forEach((a, j) => {
      const where = () => `${what}: ${JSON.stringify(ifname)} address ${j}`; // only for warnings
      if (!isRecord(a)) {
        warnings.push(`${where()} skipped: not an object`);
        return;
      }
      const familyText = str(a, 'family');
      const family = familyText === 'inet' ? 4 : familyText === 'inet6' ? 6 : undefined;
      if (family === undefined) {
        // AF_PACKET and friends: not an IP address; not worth a warning.
        return;
      }
      const localRaw = str(a, 'local');
      const prefixlen = uint(a, 'prefixlen');
      const local = localRaw === undefined ? undefined : canonicalAddress(localRaw);
      if (local === undefined || prefixlen === undefined || prefixlen > (family === 4 ? 32 : 128)) {
        warnings.push(`${where()} skipped: missing or invalid local/prefixlen`);
        return;
      }
      const addr: ObservedAddress = {
        ifindex,
        ifname,
        family,
        local,
        prefixlen,
        cidr: `${local}/${prefixlen}`,
        flags: ADDR_FLAGS.filter((f) => a[f] === true),
      };
      const peerRaw = str(a, 'address');
      if (peerRaw !== undefined) addr.peer = canonicalAddress(peerRaw) ?? peerRaw;
      const broadcast = str(a, 'broadcast');
      if (broadcast !== undefined) addr.broadcast = broadcast;
      const scope = str(a, 'scope');
      if (scope !== undefined) addr.scope = scope;
      const label = str(a, 'label');
      if (label !== undefined) addr.label = label;
      const valid = uint(a, 'valid_life_time');
      if (valid !== undefined) addr.validLifetime = valid;
      const preferred = uint(a, 'preferred_life_time');
      if (preferred !== undefined) addr.preferredLifetime = preferred;
      out.push(addr);
    });
  });
  return out;
}

export function parseIpAddr(text: string): ParseResult<IpAddrOutput> {
  return guard('ip addr', () => {
    const parsed = parseJson(text, 'ip addr');
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail('ip addr: expected a JSON array of links');
    const warnings: string[] = [];
    const links = linksFromArray(parsed.value, 'ip addr', warnings, false);
    const addresses = addressesFromArray(parsed.value, 'ip addr', warnings);
    return ok({ links, addresses }, warnings);
  });
}
