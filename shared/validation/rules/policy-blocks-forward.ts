// A policy that protects a port forward's target but would drop the published traffic:
// DNAT rewrites the destination before the forward path, so the policy sees
// to:toPort. Rules are evaluated in order (first match wins), then the default action.
// The client of a published port is anyone, so a rule limited by `from` decides only for
// some clients: an accepting one means the forward works (for them), a dropping one
// leaves the rest to later rules.
import { contains, parseAddress, parsePrefix, type Address } from '../../net/ip';
import type { Policy, PortForward } from '../../model/schema';
import { pushTo } from '../group';
import { parsePortSpec } from '../ports';
import { warning, type Finding, type Rule } from '../rule';

function verdict(policy: Policy, to: Address, protocol: 'tcp' | 'udp', port: number): { drop: boolean; by: string; field: string } {
  for (const [i, r] of policy.rules.entries()) {
    if (r.protocol !== 'any' && r.protocol !== protocol) continue;
    if (r.to !== undefined) {
      const p = parsePrefix(r.to);
      if (!p || !contains(p, to)) continue;
    }
    if (r.ports !== undefined) {
      const range = parsePortSpec(r.ports);
      if (!range || port < range.lo || port > range.hi) continue;
    }
    // The published connection starts as a new one.
    if (r.state !== undefined && !r.state.includes('new')) continue;
    // Limited to some clients (a source prefix or an arrival/exit interface): an accept
    // means the forward works (for them), a drop leaves the rest to later rules.
    if (r.from !== undefined || r.in !== undefined || r.out !== undefined) {
      if (r.action === 'accept') return { drop: false, by: `rules[${i}]`, field: `rules[${i}]` };
      continue;
    }
    return { drop: r.action === 'drop', by: `rules[${i}]`, field: `rules[${i}].action` };
  }
  return { drop: policy.defaultAction === 'drop', by: 'its default action', field: 'defaultAction' };
}

export const policyBlocksForward: Rule = ({ design, scopeAt }) => {
  const out: Finding[] = [];
  const policiesAt = new Map<string, Policy[]>();
  for (const policy of design.policies) {
    const key = scopeAt(policy.at)?.key;
    if (key !== undefined) pushTo(policiesAt, key, policy);
  }
  for (const pf of design.portForwards) {
    const scope = scopeAt(pf.at);
    const to = parseAddress(pf.to);
    if (!scope || !to) continue;
    const port = pf.toPort ?? pf.port;
    for (const policy of policiesAt.get(scope.key) ?? []) {
      const protects = policy.protects.some((t) => {
        const p = parsePrefix(t);
        return p !== undefined && contains(p, to);
      });
      if (!protects) continue;
      const v = verdict(policy, to, pf.protocol, port);
      if (v.drop) out.push(...blocked(pf, policy, port, v.by, v.field));
    }
  }
  return out;
};

/** Reported on both elements, so the canvas badges the forward and the policy. */
function blocked(pf: PortForward, policy: Policy, port: number, by: string, policyField: string): Finding[] {
  const message = `port forward "${pf.name}" publishes ${pf.protocol}/${pf.port} to ${pf.to}:${port}, but policy "${policy.name}" protects ${pf.to} and drops that traffic (${by})`;
  const fix = `add a rule to policy "${policy.name}" accepting ${pf.protocol} port ${port} to ${pf.to}, before any rule that drops it`;
  return [
    warning('policy-blocks-port-forward', pf.id, 'to', message, fix),
    warning('policy-blocks-port-forward', policy.id, policyField, message, fix),
  ];
}
