// The design as the connectivity check sees a sandbox host with stand-in NICs: each
// stand-in (shared/sandbox/stand-ins.ts) is, in the sandbox, a veth into the hidden
// "outside" namespace, so the check models it as one. The check can then probe from
// outside (a client beyond the NIC reaching a port forward; pings into the design) and
// towards it (a namespace behind a masquerade reaching the network beyond the NIC), with
// expectations the reach model computes like any other. Only NICs that are plain uplinks
// become veths: a NIC that parents macvlans or VLANs, is a bridge port, or carries a
// tunnel stays a NIC (the model has no way to say "a veth that is also a parent").
import { NamespaceSchema, VethSchema, type Design, type Host } from '../model/schema';
import type { StandInNic } from './stand-ins';

/** The outside namespace's name in the checked design (on the host it is a hidden path). */
export const OUTSIDE_NS = 'outside';

export interface OutsideDesign {
  design: Design;
  /** Host id -> the stand-ins modelled as veths into OUTSIDE_NS on that host. */
  outside: Map<string, StandInNic[]>;
  notes: string[];
}

/** NIC names something other than a masquerade or route uses as a device of its own. */
function nicsInUse(design: Design, host: Host): Set<string> {
  const used = new Set<string>();
  const here = new Set([host.id, ...design.namespaces.filter((n) => n.host === host.id).map((n) => n.id)]);
  for (const m of design.macvlans) if (here.has(m.at)) used.add(m.parent);
  for (const v of design.vlans) if (here.has(v.at)) used.add(v.parent);
  for (const x of design.vxlans) if (here.has(x.at) && x.dev) used.add(x.dev);
  for (const b of design.bridges) if (here.has(b.at)) b.nics.forEach((n) => used.add(n));
  if (host.underlayDev) used.add(host.underlayDev);
  return used;
}

/**
 * `standIns`: per sandbox host, the stand-in NICs its sandbox really made. Returns the
 * design unchanged (and a note) where a host's stand-ins cannot be modelled.
 */
export function withOutside(design: Design, standIns: ReadonlyMap<string, readonly StandInNic[]>): OutsideDesign {
  const out: OutsideDesign = { design, outside: new Map(), notes: [] };
  let d = design;
  for (const host of design.hosts) {
    const made = standIns.get(host.id) ?? [];
    if (host.target.kind !== 'sandbox' || made.length === 0) continue;
    if (design.namespaces.some((n) => n.host === host.id && n.name === OUTSIDE_NS)) {
      out.notes.push(`host "${host.name}": a namespace of the design is called "${OUTSIDE_NS}", so nothing was probed from beyond its stand-in NICs`);
      continue;
    }
    const inUse = nicsInUse(design, host);
    const uplinks = made.filter((n) => !inUse.has(n.name) && host.nics.some((x) => x.name === n.name));
    if (uplinks.length === 0) continue;
    const nsId = `${OUTSIDE_NS}-${host.id}`.slice(0, 64);
    const names = new Set(uplinks.map((n) => n.name));
    d = {
      ...d,
      hosts: d.hosts.map((h) => (h.id === host.id ? { ...h, nics: h.nics.filter((n) => !names.has(n.name)) } : h)),
      // Through the schema, so every field has its default like in a loaded design.
      namespaces: [...d.namespaces, NamespaceSchema.parse({ id: nsId, name: OUTSIDE_NS, host: host.id, routes: [{ to: 'default', via: uplinks[0]!.hostAddress }] })],
      veths: [
        ...d.veths,
        ...uplinks.map((n) =>
          VethSchema.parse({
            id: `${nsId}-${n.name}`.slice(0, 64),
            name: `stand-in ${n.name}`,
            a: { at: host.id, ifname: n.name, addresses: [n.hostCidr] },
            b: { at: nsId, ifname: n.name, addresses: [n.outsideCidr] },
          }),
        ),
      ],
    };
    out.outside.set(host.id, uplinks);
  }
  out.design = d;
  return out;
}
