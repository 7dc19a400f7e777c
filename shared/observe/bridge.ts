// `bridge -j link show` and `bridge -j [-c] vlan show`.
//
// vlan show (iproute2 >= 5.x): [{"ifname":"br0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]},
// {"vlan":10,"vlanEnd":20}]}]. Older iproute2 printed an object keyed by ifname; both are read.
// A kernel without CONFIG_BRIDGE_VLAN_FILTERING (like ours, verified) prints [].
import { isRecord, parseJson, str, strArray, uint } from './json';
import { fail, guard, ok, type ParseResult } from './result';
import type { BridgePort, BridgeVlan, BridgeVlanPort } from './types';

export function parseBridgeLink(text: string): ParseResult<BridgePort[]> {
  return guard('bridge link', () => {
    if (typeof text === 'string' && text.trim() === '') return ok([]);
    const parsed = parseJson(text, 'bridge link');
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail('bridge link: expected a JSON array');
    const warnings: string[] = [];
    const ports: BridgePort[] = [];
    parsed.value.forEach((e, i) => {
      const ifindex = isRecord(e) ? uint(e, 'ifindex') : undefined;
      const ifname = isRecord(e) ? str(e, 'ifname') : undefined;
      if (!isRecord(e) || ifindex === undefined || ifname === undefined) {
        warnings.push(`bridge link: entry ${i} skipped: missing ifindex/ifname`);
        return;
      }
      const port: BridgePort = { ifindex, ifname, flags: strArray(e, 'flags') };
      const master = str(e, 'master');
      if (master !== undefined) port.master = master;
      const state = str(e, 'state');
      if (state !== undefined) port.state = state;
      const priority = uint(e, 'priority');
      if (priority !== undefined) port.priority = priority;
      const cost = uint(e, 'cost');
      if (cost !== undefined) port.cost = cost;
      const mtu = uint(e, 'mtu');
      if (mtu !== undefined) port.mtu = mtu;
      ports.push(port);
    });
    return ok(ports, warnings);
  });
}

function vlansOf(list: unknown, where: string, warnings: string[]): BridgeVlan[] {
  if (!Array.isArray(list)) {
    warnings.push(`${where}: "vlans" is not an array`);
    return [];
  }
  const out: BridgeVlan[] = [];
  list.forEach((v, j) => {
    const vid = isRecord(v) ? uint(v, 'vlan') : undefined;
    if (!isRecord(v) || vid === undefined || vid < 1 || vid > 4094) {
      warnings.push(`${where}: vlan ${j} skipped: missing or invalid "vlan"`);
      return;
    }
    const flags = strArray(v, 'flags');
    const entry: BridgeVlan = { vid, pvid: flags.includes('PVID'), untagged: flags.includes('Egress Untagged') };
    const end = uint(v, 'vlanEnd');
    if (end !== undefined && end > vid && end <= 4094) entry.vidEnd = end;
    out.push(entry);
  });
  return out;
}

export function parseBridgeVlan(text: string): ParseResult<BridgeVlanPort[]> {
  return guard('bridge vlan', () => {
    if (typeof text === 'string' && text.trim() === '') return ok([]);
    const parsed = parseJson(text, 'bridge vlan');
    if (!parsed.ok) return parsed;
    const warnings: string[] = [];
    const ports: BridgeVlanPort[] = [];
    if (Array.isArray(parsed.value)) {
      parsed.value.forEach((e, i) => {
        const ifname = isRecord(e) ? str(e, 'ifname') : undefined;
        if (!isRecord(e) || ifname === undefined) {
          warnings.push(`bridge vlan: entry ${i} skipped: missing ifname`);
          return;
        }
        ports.push({ ifname, vlans: vlansOf(e['vlans'], `bridge vlan: ${JSON.stringify(ifname)}`, warnings) });
      });
    } else if (isRecord(parsed.value)) {
      for (const [ifname, list] of Object.entries(parsed.value)) {
        ports.push({ ifname, vlans: vlansOf(list, `bridge vlan: ${JSON.stringify(ifname)}`, warnings) });
      }
    } else {
      return fail('bridge vlan: expected a JSON array');
    }
    return ok(ports, warnings);
  });
}
