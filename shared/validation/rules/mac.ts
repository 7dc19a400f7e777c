// MAC addresses reach `ip link ... address`; they must be well-formed unicast and not
// shared (two interfaces with one MAC confuse every switch and bridge on the path).
import { MAC } from '../../model/identifiers';
import type { Iface } from '../ifaces';
import { error, warning, type Finding, type Rule } from '../rule';

export const mac: Rule = ({ ifaces }) => {
  const out: Finding[] = [];
  const users = new Map<string, Iface[]>();
  for (const i of ifaces) {
    const mac = i.spec.mac;
    if (mac === undefined) continue;
    const field = `${i.path}mac`;
    if (!MAC.test(mac) || mac === '00:00:00:00:00:00') {
      const lower = mac.toLowerCase();
      const hint = lower !== mac && MAC.test(lower) ? `write it in lower case: "${lower}"` : 'write six hex pairs, e.g. "02:00:00:00:00:01", or clear it for a random MAC';
      out.push(error('mac-syntax', i.elementId, field, `MAC "${mac}" of ${i.label} is not a valid MAC address`, hint));
      continue;
    }
    if (parseInt(mac.slice(0, 2), 16) % 2 === 1) {
      out.push(error('mac-multicast', i.elementId, field, `MAC "${mac}" of ${i.label} is a multicast address (first octet odd); an interface needs a unicast MAC`, 'use a locally administered unicast MAC such as "02:..." (first octet even)'));
      continue;
    }
    users.set(mac, [...(users.get(mac) ?? []), i]);
  }
  for (const i of ifaces) {
    const mac = i.spec.mac;
    const same = mac === undefined ? undefined : users.get(mac);
    if (!same || same.length < 2) continue;
    const others = same.filter((o) => o !== i).map((o) => o.label);
    out.push(warning('mac-duplicate', i.elementId, `${i.path}mac`, `MAC "${mac}" of ${i.label} is also used by ${others.join(', ')}`, 'give each interface its own MAC, or clear it for a random one'));
  }
  return out;
};
