// VXLAN adds 50 bytes of headers over IPv4 (70 over IPv6); a VXLAN frame larger than the
// underlay MTU minus that is dropped silently. The bridge the VXLAN is a port of must not
// be larger either, or everything behind it sends frames the tunnel cannot carry.
import { parseAddress } from '../../net/ip';
import type { Vxlan } from '../../model/schema';
import type { RuleContext } from '../context';
import { error, type Finding, type Rule } from '../rule';

const DEFAULT_MTU = 1500;

function underlayFamily(x: Vxlan, underlay: string | undefined): 4 | 6 {
  for (const text of [x.local, x.remote, x.group, underlay]) {
    const a = text === undefined ? undefined : parseAddress(text);
    if (a) return a.family;
  }
  return 4;
}

/** The underlay's MTU and what it is called in messages. */
function underlayMtu(ctx: RuleContext, x: Vxlan): { mtu: number; what: string } {
  const iface = ctx.ifaceByKey.get(x.id);
  if (x.dev === undefined) return { mtu: DEFAULT_MTU, what: 'the underlay (assumed 1500: no "dev" set)' };
  const nic = iface?.host?.nics.find((n) => n.name === x.dev);
  if (nic) return { mtu: nic.mtu ?? DEFAULT_MTU, what: `underlay NIC "${nic.name}"${nic.mtu === undefined ? ' (MTU not declared, assumed 1500)' : ''}` };
  const own = ctx.ifaces.find((i) => i.ifname === x.dev && i.host === iface?.host);
  return { mtu: own?.spec.mtu ?? DEFAULT_MTU, what: `underlay "${x.dev}"` };
}

export const vxlanMtu: Rule = (ctx) => {
  const out: Finding[] = [];
  for (const x of ctx.design.vxlans) {
    const host = ctx.ifaceByKey.get(x.id)?.host;
    const overhead = underlayFamily(x, host?.underlay) === 6 ? 70 : 50;
    const { mtu: under, what } = underlayMtu(ctx, x);
    const usable = under - overhead;
    // With a `dev` and no MTU the kernel itself picks the underlay MTU minus the headers.
    const mtu = x.mtu ?? (x.dev !== undefined ? usable : DEFAULT_MTU);
    if (mtu > usable) {
      out.push(error('vxlan-mtu', x.id, 'mtu', `VXLAN "${x.name}" MTU ${mtu}${x.mtu === undefined ? ' (default)' : ''} + ${overhead} bytes of headers = ${mtu + overhead}, more than the ${under} MTU of ${what}`, `set the VXLAN mtu to ${usable} (or raise the underlay MTU to ${mtu + overhead})`));
    }
    const bridge = x.bridge === undefined ? undefined : ctx.index.get('bridges', x.bridge);
    if (!bridge) continue;
    const limit = Math.min(mtu, usable);
    const bmtu = bridge.mtu ?? DEFAULT_MTU;
    if (bmtu > limit) {
      out.push(error('vxlan-mtu', bridge.id, 'mtu', `bridge "${bridge.name}" MTU ${bmtu}${bridge.mtu === undefined ? ' (default)' : ''} is larger than its VXLAN port "${x.name}" can carry (${limit})`, `set the bridge mtu to ${limit} (and the MTU of interfaces on the bridge's segment)`));
    }
  }
  return out;
};
