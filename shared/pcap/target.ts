// What a capture listens on: a design element (a veth end, bridge, macvlan, VLAN or VXLAN
// interface) or a host NIC, resolved to the host, the network namespace and the kernel
// interface name the compiler gives it, so a capture taps exactly the interface the plan
// made. The same resolution serves the app's context menus and `wireplan capture`.
import { resolveNames } from '../compile/names';
import { IFNAME, NETNS_NAME } from '../model/identifiers';
import type { Design } from '../model/schema';
import { DesignIndex } from '../model/topology';

export interface CaptureTarget {
  hostId: string;
  /** Kernel netns name; "" for the host's root namespace. */
  netns: string;
  ifname: string;
  /** What the user picked, in words: "veth ns1-br0 end a (v-ns1 in ns1 on lab)". */
  label: string;
}

const KIND_WORD = { bridges: 'bridge', veths: 'veth', macvlans: 'macvlan', vlans: 'VLAN', vxlans: 'VXLAN' } as const;

/**
 * `element`: an element id or name; a veth end as `ID.a` / `ID.b` (a veth alone means end
 * a); a host NIC as `HOST:NIC` (host id or name, then the NIC's kernel name).
 */
export function resolveCaptureTarget(design: Design, element: string): { ok: true; target: CaptureTarget } | { ok: false; error: string } {
  const index = new DesignIndex(design);
  const names = resolveNames(design, index);
  const nic = /^([^:]+):([^:]+)$/.exec(element);
  if (nic) {
    const [, hostRef, nicName] = nic as unknown as [string, string, string];
    const host = design.hosts.find((h) => h.id === hostRef) ?? design.hosts.find((h) => h.name === hostRef);
    if (!host) return { ok: false, error: `no host "${hostRef}" in the design (hosts: ${design.hosts.map((h) => h.id).join(', ') || 'none'})` };
    if (!host.nics.some((n) => n.name === nicName)) {
      return { ok: false, error: `host ${host.id} has no NIC "${nicName}" in the design (NICs: ${host.nics.map((n) => n.name).join(', ') || 'none'})` };
    }
    return checked({ hostId: host.id, netns: '', ifname: nicName, label: `NIC ${nicName} on ${host.name}` });
  }
  const endMatch = /^(.+)\.(a|b)$/.exec(element);
  const [ref, end] = endMatch && !index.byId.has(element) ? [endMatch[1]!, endMatch[2] as 'a' | 'b'] : [element, undefined];
  const byName = names.filter((n) => n.logical.replace(/ \((a|b)\)$/, '') === ref || n.element === ref);
  const ids = [...new Set(byName.map((n) => n.element))];
  if (ids.length === 0) {
    const known = index.byId.get(ref);
    if (known) return { ok: false, error: `${ref} is a ${known.collection.replace(/s$/, '')}: capture on a link end, bridge, macvlan, VLAN, VXLAN or a host NIC (HOST:NIC)` };
    return { ok: false, error: `no element "${ref}" to capture on in the design` };
  }
  // An id wins over a name; two elements of the same name need their id.
  const id = ids.includes(ref) ? ref : ids.length === 1 ? ids[0]! : undefined;
  if (!id) return { ok: false, error: `"${ref}" names ${ids.length} elements (${ids.join(', ')}); give the element id` };
  const slots = names.filter((n) => n.element === id);
  const slot = slots.find((s) => s.end === (end ?? (slots[0]?.end ? 'a' : undefined)));
  if (!slot) return { ok: false, error: end ? `${id} is not a veth: it has no end "${end}"` : `${id} has no interface to capture on` };
  const host = index.host(slot.hostId);
  const where = `${slot.ifname}${slot.ns ? ` in ${slot.ns}` : ''} on ${host?.name ?? slot.hostId}`;
  const what = `${KIND_WORD[slot.collection]} ${slot.logical.replace(/ \((a|b)\)$/, '')}${slot.end ? ` end ${slot.end}` : ''}`;
  return checked({ hostId: slot.hostId, netns: slot.ns, ifname: slot.ifname, label: `${what} (${where})` });
}

/** Names reach the host's argv: they must be kernel-valid (a design that failed validation may hold anything). */
function checked(t: CaptureTarget): { ok: true; target: CaptureTarget } | { ok: false; error: string } {
  if (!IFNAME.test(t.ifname)) return { ok: false, error: `"${t.ifname}" is not a valid interface name (${t.label})` };
  if (t.netns && !NETNS_NAME.test(t.netns)) return { ok: false, error: `"${t.netns}" is not a valid network namespace name (${t.label})` };
  return { ok: true, target: t };
}
