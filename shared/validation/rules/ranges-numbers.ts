// Numeric ranges the kernel and the protocols impose: MTU 68..65535 (IPv6 needs 1280),
// ports 1..65535 (port 0 means "any" to the kernel, never what a user meant), port specs
// "A-B" with A <= B, route metrics as unsigned 32-bit.
import { parsePrefix } from '../../net/ip';
import type { RuleContext } from '../context';
import { isPort, parsePortSpec } from '../ports';
import { error, type Finding, type Rule } from '../rule';

function mtus(ctx: RuleContext, out: Finding[]): void {
  for (const h of ctx.design.hosts) {
    h.nics.forEach((n, i) => {
      if (n.mtu !== undefined && !(Number.isInteger(n.mtu) && n.mtu >= 68 && n.mtu <= 65535)) {
        out.push(error('mtu-range', h.id, `nics[${i}].mtu`, `MTU ${n.mtu} of NIC "${n.name}" is outside 68..65535`, 'write the NIC\'s real MTU (usually 1500 or 9000)'));
      }
    });
  }
  for (const i of ctx.ifaces) {
    const mtu = i.spec.mtu;
    if (mtu === undefined) continue;
    const field = `${i.path}mtu`;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
      out.push(error('mtu-range', i.elementId, field, `MTU ${mtu} of ${i.label} is outside 68..65535`, 'use an MTU from 68 to 65535, usually 1500'));
    } else if (mtu < 1280 && i.spec.addresses.some((a) => parsePrefix(a)?.family === 6)) {
      out.push(error('mtu-range', i.elementId, field, `MTU ${mtu} of ${i.label} is below 1280, the IPv6 minimum, but it has IPv6 addresses`, 'use an MTU of at least 1280'));
    }
  }
}

function ports(ctx: RuleContext, out: Finding[]): void {
  const port = (elementId: string, field: string, n: number | undefined, what: string) => {
    if (n !== undefined && !isPort(n)) out.push(error('port-range', elementId, field, `${what} ${n} is outside 1..65535`, 'use a port from 1 to 65535'));
  };
  for (const h of ctx.design.hosts) if (h.target.kind === 'ssh') port(h.id, 'target.port', h.target.port, `SSH port of host "${h.name}"`);
  for (const x of ctx.design.vxlans) port(x.id, 'port', x.port, `UDP port of VXLAN "${x.name}"`);
  for (const b of ctx.design.bridges) port(b.id, 'stitchPort', b.stitchPort, `UDP port of the tunnels stretching bridge "${b.name}"`);
  for (const p of ctx.design.portForwards) {
    port(p.id, 'port', p.port, `published port of "${p.name}"`);
    port(p.id, 'toPort', p.toPort, `target port of "${p.name}"`);
  }
  for (const p of ctx.design.policies) {
    p.rules.forEach((r, i) => {
      if (r.ports !== undefined && !parsePortSpec(r.ports)) {
        out.push(error('port-spec', p.id, `rules[${i}].ports`, `ports "${r.ports}" in rule ${i + 1} of policy "${p.name}" is not "N" or "A-B" with 1 <= A <= B <= 65535`, 'write a port like "443" or a range like "8000-8100"'));
      }
    });
  }
}

function metrics(ctx: RuleContext, out: Finding[]): void {
  const owners = [...ctx.design.hosts, ...ctx.design.namespaces];
  for (const owner of owners) {
    owner.routes.forEach((r, i) => {
      if (r.metric !== undefined && !(Number.isInteger(r.metric) && r.metric >= 0 && r.metric <= 4294967295)) {
        out.push(error('metric-range', owner.id, `routes[${i}].metric`, `metric ${r.metric} of the route to ${r.to} in ${ctx.label(owner.id)} is outside 0..4294967295`, 'use a metric of 0 or more (lower is preferred)'));
      }
    });
  }
}

export const rangesNumbers: Rule = (ctx) => {
  const out: Finding[] = [];
  mtus(ctx, out);
  ports(ctx, out);
  metrics(ctx, out);
  return out;
};
