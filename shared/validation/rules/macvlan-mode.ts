// macvlan and ipvlan share one element kind in the schema, but not their modes.
import { error, type Finding, type Rule } from '../rule';

const MODES = { macvlan: ['bridge', 'private', 'vepa', 'passthru'], ipvlan: ['l2', 'l3', 'l3s'] } as const;

export const macvlanMode: Rule = ({ design }) => {
  const out: Finding[] = [];
  for (const m of design.macvlans) {
    const allowed: readonly string[] = MODES[m.kind];
    if (allowed.includes(m.mode)) continue;
    out.push(error('macvlan-mode', m.id, 'mode', `${m.kind} "${m.name}" cannot use mode "${m.mode}"; ${m.kind} modes are ${allowed.join(', ')}`, `pick one of ${allowed.join(', ')}${m.kind === 'ipvlan' ? ' (l2 is the usual choice)' : ' (bridge is the usual choice)'}`));
  }
  return out;
};
