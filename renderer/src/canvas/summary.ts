// One-line summaries shown under an element's name on the canvas and in search results.
import type { Bridge, Macvlan, Masquerade, Namespace, Nic, Policy, PortForward, Vlan, Vxlan } from '../../../shared/model/schema';
import type { Entry } from '../model/lookup';

export function summary(entry: Entry): string {
  switch (entry.kind) {
    case 'namespace': {
      const ns = entry.element as Namespace;
      const def = ns.routes.find((r) => r.to === 'default');
      return def?.via ? `gw ${def.via}` : `${ns.routes.length} route${ns.routes.length === 1 ? '' : 's'}`;
    }
    case 'bridge': {
      const b = entry.element as Bridge;
      return [b.addresses[0] ?? 'no address', b.vlanFiltering ? 'vlan-aware' : ''].filter(Boolean).join(' · ');
    }
    case 'nic': {
      const n = entry.element as Nic;
      return n.management ? 'management' : n.mtu ? `mtu ${n.mtu}` : 'uplink';
    }
    case 'macvlan':
    case 'ipvlan': {
      const m = entry.element as Macvlan;
      return `${m.parent || '?'} · ${m.mode}`;
    }
    case 'vlan': {
      const v = entry.element as Vlan;
      return `id ${v.vlanId} on ${v.parent || '?'}`;
    }
    case 'vxlan': {
      const x = entry.element as Vxlan;
      return `vni ${x.vni}${x.remote ? ` → ${x.remote}` : x.group ? ` · ${x.group}` : ''}`;
    }
    case 'masquerade': {
      const m = entry.element as Masquerade;
      return `${m.source}${m.egress ? ` → ${m.egress}` : m.egressExcept ? ` → all but ${m.egressExcept}` : ''}`;
    }
    case 'portForward': {
      const p = entry.element as PortForward;
      return `${p.protocol}/${p.port} → ${p.to}${p.toPort ? `:${p.toPort}` : ''}`;
    }
    case 'policy': {
      const p = entry.element as Policy;
      return `${p.defaultAction} · ${p.rules.length} rule${p.rules.length === 1 ? '' : 's'}`;
    }
    default:
      return '';
  }
}

export function displayName(entry: Entry): string {
  return (entry.element as { name: string }).name;
}
