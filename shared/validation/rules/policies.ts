// Policy shape problems: ports on a protocol without ports, a policy that protects
// nothing, rules no packet can reach, and two policies claiming the same destinations
// at one router (their order decides, and the design does not say it).
import { formatNetwork, overlaps, parsePrefix, type Prefix } from '../../net/ip';
import type { Policy } from '../../model/schema';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';

const isCatchAll = (r: Policy['rules'][number]) =>
  r.from === undefined && r.to === undefined && r.in === undefined && r.out === undefined && r.state === undefined && r.protocol === 'any' && r.ports === undefined;

export const policies: Rule = ({ design, scopeAt }) => {
  const out: Finding[] = [];
  const byRouter = new Map<string, { policy: Policy; prefixes: Prefix[] }[]>();
  for (const p of design.policies) {
    if (p.protects.length === 0) {
      out.push(warning('policy-protects-empty', p.id, 'protects', `policy "${p.name}" protects no prefix, so it filters nothing`, 'add the subnets this policy guards, e.g. "10.0.2.0/24"'));
    }
    p.rules.forEach((r, i) => {
      if (r.ports !== undefined && r.protocol !== 'tcp' && r.protocol !== 'udp') {
        out.push(error('policy-ports-protocol', p.id, `rules[${i}].ports`, `rule ${i + 1} of policy "${p.name}" lists ports ${r.ports} with protocol ${r.protocol}; ports exist only for tcp and udp`, 'set the protocol to tcp or udp, or remove the ports'));
      }
    });
    const catchAll = p.rules.findIndex(isCatchAll);
    if (catchAll >= 0 && catchAll < p.rules.length - 1) {
      out.push(warning('policy-rule-shadowed', p.id, `rules[${catchAll + 1}]`, `rule ${catchAll + 1} of policy "${p.name}" matches all traffic, so rules ${catchAll + 2}..${p.rules.length} never apply`, 'move the catch-all rule to the end, or use the default action instead'));
    }
    const key = scopeAt(p.at)?.key;
    const prefixes = p.protects.map(parsePrefix).filter((x) => x !== undefined);
    if (key !== undefined) pushTo(byRouter, key, { policy: p, prefixes });
  }
  for (const list of byRouter.values()) {
    for (const [n, { policy, prefixes }] of list.entries()) {
      for (const earlier of list.slice(0, n)) {
        const shared = prefixes.find((a) => earlier.prefixes.some((b) => overlaps(a, b)));
        if (!shared) continue;
        out.push(warning('policy-overlap', policy.id, 'protects', `policy "${policy.name}" and policy "${earlier.policy.name}" both protect ${formatNetwork(shared)} at the same router; which one applies first is not defined`, 'merge them into one policy, or protect disjoint prefixes'));
        break;
      }
    }
  }
  return out;
};
