// The "clash of routes": two segments in one namespace with the same subnet give the
// kernel two connected routes for one destination, and replies leave through whichever
// it picks. Equal subnets are an error; a subnet inside another is a warning (the
// longer prefix silently wins for part of the range).
import { network, subnetSize } from '../../net/ip';
import { isHostPrefix } from '../addr-kinds';
import type { IfaceAddress } from '../context';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';

interface Entry {
  a: IfaceAddress;
  net: bigint;
}

export const subnetOverlap: Rule = ({ addresses, scopes }) => {
  const out: Finding[] = [];
  const byScope = new Map<string, Entry[]>();
  for (const a of addresses) {
    if (a.iface.scope === undefined || isHostPrefix(a.prefix)) continue;
    const key = `${a.iface.scope}\u0000${a.prefix.family}`;
    pushTo(byScope, key, { a, net: network(a.prefix) });
  }
  for (const entries of byScope.values()) {
    entries.sort((x, y) => (x.net < y.net ? -1 : x.net > y.net ? 1 : x.a.prefix.length - y.a.prefix.length));
    // Prefixes either nest or are disjoint: a stack of enclosing prefixes finds every
    // containing pair in one sweep.
    const clashes = new Map<Entry, { other: Entry; equal: boolean }[]>();
    const note = (x: Entry, other: Entry, equal: boolean) => pushTo(clashes, x, { other, equal });
    const stack: Entry[] = [];
    for (const e of entries) {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (e.net < top.net + subnetSize(top.a.prefix)) break;
        stack.pop();
      }
      for (const outer of stack) {
        if (outer.a.segment === e.a.segment) continue;
        const equal = outer.net === e.net && outer.a.prefix.length === e.a.prefix.length;
        note(outer, e, equal);
        note(e, outer, equal);
      }
      stack.push(e);
    }
    for (const e of entries) {
      const list = clashes.get(e);
      if (!list) continue;
      const scope = scopes.get(e.a.iface.scope!);
      const where = scope ? scope.label : 'one namespace';
      const subnet = e.a.subnet;
      const equal = list.filter((c) => c.equal);
      const others = (cs: typeof list) => [...new Set(cs.map((c) => `${c.other.a.iface.label} (${c.other.a.subnet})`))].join(', ');
      if (equal.length > 0) {
        out.push(error('subnet-overlap', e.a.iface.elementId, e.a.field, `${subnet} of ${e.a.iface.label} is also used by ${others(equal)} on a different segment in ${where}: two routes for one subnet`, 'give each segment its own subnet (or join them into one segment)'));
      } else {
        out.push(warning('subnet-overlap', e.a.iface.elementId, e.a.field, `${subnet} of ${e.a.iface.label} overlaps ${others(list)} on a different segment in ${where}; the longer prefix wins for the overlap`, 'use non-overlapping subnets per segment'));
      }
    }
  }
  return out;
};
