// Stand-in NICs for a sandbox host. A sandbox (a private network namespace on this
// machine) has no NICs, yet designs name them: macvlan parents, masquerade egress, the
// NIC a port forward is reached through. The sandbox backend creates each as one end of
// a veth pair whose far end sits in a hidden "outside" namespace (the LAN or ISP beyond
// the NIC): the NIC gets an address on a /24 of its own, the far end the other address,
// and the outside namespace a default route back through the first NIC, so traffic
// leaving through a masquerade or arriving at a port forward has somewhere real to go.
// Pure: the backend (which creates them) and the renderer (which says they are
// stand-ins) compute the same names and addresses from the design alone.
import type { Design } from '../model/schema';
import { formatAddress, overlaps, parseAddress, parsePrefix, type Prefix } from '../net/ip';

export interface StandInNic {
  /** The NIC's name on the host (the design's), and the far end's name in the outside namespace. */
  name: string;
  /** The NIC's address, with its prefix length ("100.64.0.2/24"). */
  hostCidr: string;
  /** The far end's address in the outside namespace, with its prefix length. */
  outsideCidr: string;
  /** The far end's address alone: where "from outside" traffic comes from. */
  outsideAddress: string;
  /** The NIC's address alone: where outside clients connect to. */
  hostAddress: string;
}

export type StandInResult = { ok: true; nics: StandInNic[] } | { ok: false; error: string };

/** What the kernel accepts as an interface name (at most 15 bytes, no '/', ':' or space). */
const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** Where the stand-in subnets come from: the shared address space (RFC 6598), 100.64.0.0/10. */
const POOL_BASE = (100n << 24n) | (64n << 16n);
const POOL_SUBNETS = 1n << 14n; // /24s in a /10

/** Every IPv4 address or prefix the design mentions (addresses, routes, sources, targets). */
function designPrefixes(design: Design): Prefix[] {
  const out: Prefix[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const p = parsePrefix(v);
      // Short prefixes (default routes, 0.0.0.0/0 policies) say nothing about which
      // addresses are in use; avoiding them would leave no subnet at all.
      if (p && p.family === 4 && p.length >= 8) out.push(p);
      const a = p ? undefined : parseAddress(v);
      if (a && a.family === 4) out.push({ family: 4, address: a.value, length: 32 });
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const key of ['hosts', 'namespaces', 'bridges', 'veths', 'macvlans', 'vlans', 'vxlans', 'masquerades', 'portForwards', 'policies'] as const) visit(design[key]);
  return out;
}

/**
 * The stand-ins of one sandbox host, in the order of its NICs: each on the first /24 of
 * 100.64.0.0/10 that no address of the design falls in, NIC at .2, outside at .1.
 */
export function standInNics(design: Design, hostId: string): StandInResult {
  const host = design.hosts.find((h) => h.id === hostId);
  if (!host) return { ok: false, error: `no host ${JSON.stringify(hostId)} in the design` };
  if (host.target.kind !== 'sandbox') return { ok: true, nics: [] };
  const used = designPrefixes(design);
  const nics: StandInNic[] = [];
  let next = 0n;
  const seen = new Set<string>();
  for (const nic of host.nics) {
    if (!IFNAME.test(nic.name)) {
      return { ok: false, error: `host ${host.name}: NIC name ${JSON.stringify(nic.name)} is not a valid interface name (1-15 letters, digits, '_', '.', '-'), so no stand-in can be made for it` };
    }
    if (seen.has(nic.name)) return { ok: false, error: `host ${host.name}: NIC ${nic.name} is listed twice` };
    seen.add(nic.name);
    for (;;) {
      if (next >= POOL_SUBNETS) return { ok: false, error: `host ${host.name}: no free /24 in 100.64.0.0/10 left for stand-in NIC ${nic.name}` };
      const subnet: Prefix = { family: 4, address: POOL_BASE | (next << 8n), length: 24 };
      next++;
      if (used.some((p) => overlaps(p, subnet))) continue;
      const outsideAddress = formatAddress(4, subnet.address | 1n);
      const hostAddress = formatAddress(4, subnet.address | 2n);
      nics.push({ name: nic.name, hostCidr: `${hostAddress}/24`, outsideCidr: `${outsideAddress}/24`, outsideAddress, hostAddress });
      break;
    }
  }
  return { ok: true, nics };
}
