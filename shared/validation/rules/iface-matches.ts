// Interface and connection-state matches of NAT and forward-policy rules that can never
// do what they say:
//   - a bridge port (a veth end, NIC, VLAN or VXLAN enslaved to a bridge): routed and
//     bridge-netfilter traffic is seen on the bridge itself (iifname/oifname "br0"), never
//     on its ports, so the match is dead;
//   - a masquerade with both an egress and an "all but" egress;
//   - an empty state list (matches nothing), and a state list the policy's own
//     "allow established" accept answers first (the rule never sees those packets).
import type { Design } from '../../model/schema';
import type { Scope } from '../scopes';
import { error, warning, type Finding, type Rule } from '../rule';

/** Kernel name -> the kernel name of the bridge it is a port of, in one scope. */
function bridgePorts(design: Design, scope: Scope): Map<string, string> {
  const bridgeName = new Map<string, string>();
  for (const i of scope.ifaces) if (i.collection === 'bridges' && i.ifname) bridgeName.set(i.elementId, i.ifname);
  const out = new Map<string, string>();
  for (const i of scope.ifaces) {
    const name = i.master && bridgeName.get(i.master.id);
    if (name !== undefined && i.ifname) out.set(i.ifname, name);
  }
  if (!scope.ns) {
    for (const b of design.bridges) {
      const name = bridgeName.get(b.id);
      if (name !== undefined) for (const nic of b.nics) out.set(nic, name);
    }
  }
  return out;
}

export const ifaceMatches: Rule = ({ design, scopeAt }) => {
  const out: Finding[] = [];
  const ports = new Map<string, Map<string, string>>();
  const portsAt = (scope: Scope) => {
    let m = ports.get(scope.key);
    if (!m) ports.set(scope.key, (m = bridgePorts(design, scope)));
    return m;
  };
  const check = (at: string, elementId: string, field: string, name: string | undefined, what: string) => {
    const scope = name === undefined ? undefined : scopeAt(at);
    const bridge = scope && portsAt(scope).get(name!);
    if (bridge === undefined) return;
    out.push(
      error(
        'iface-match-bridge-port',
        elementId,
        field,
        `${what} "${name}" is a port of bridge "${bridge}": the firewall sees traffic through it on "${bridge}", so this match never applies`,
        `match "${bridge}" instead`,
      ),
    );
  };
  for (const m of design.masquerades) {
    check(m.at, m.id, 'egress', m.egress, `egress interface of masquerade "${m.name}"`);
    check(m.at, m.id, 'egressExcept', m.egressExcept, `excepted egress interface of masquerade "${m.name}"`);
    if (m.egress !== undefined && m.egressExcept !== undefined) {
      out.push(
        error(
          'masquerade-egress-both',
          m.id,
          'egressExcept',
          m.egressExcept === m.egress
            ? `masquerade "${m.name}" applies only out of "${m.egress}" and never out of "${m.egressExcept}": it matches nothing`
            : `masquerade "${m.name}" names an egress ("${m.egress}") and an egress it excepts ("${m.egressExcept}"); the exception adds nothing`,
          'keep one: "egress" for one interface, "egress except" for all but one',
        ),
      );
    }
  }
  for (const p of design.portForwards) check(p.at, p.id, 'ingress', p.ingress, `ingress interface of port forward "${p.name}"`);
  for (const p of design.policies) {
    p.rules.forEach((r, i) => {
      check(p.at, p.id, `rules[${i}].in`, r.in, `in-interface of rule ${i + 1} of policy "${p.name}"`);
      check(p.at, p.id, `rules[${i}].out`, r.out, `out-interface of rule ${i + 1} of policy "${p.name}"`);
      if (r.state === undefined) return;
      if (r.state.length === 0) {
        out.push(error('policy-state-empty', p.id, `rules[${i}].state`, `rule ${i + 1} of policy "${p.name}" matches an empty list of connection states, so no packet`, 'pick at least one state (new, established, related, invalid), or remove the state match'));
      } else if (p.allowEstablished && r.state.every((s) => s === 'established' || s === 'related')) {
        out.push(
          warning(
            'policy-state-established',
            p.id,
            `rules[${i}].state`,
            `rule ${i + 1} of policy "${p.name}" matches only ${r.state.join(' and ')} packets, which "allow established" accepts before any rule: it never applies`,
            'turn off "allow established" to decide them with rules, or add new/invalid to the states',
          ),
        );
      }
    });
  }
  return out;
};
