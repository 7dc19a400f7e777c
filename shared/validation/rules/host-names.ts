// Hosts are told apart by name in plans, logs and the canvas.
import { error, type Finding, type Rule } from '../rule';

export const hostNames: Rule = ({ design }) => {
  const out: Finding[] = [];
  const first = new Map<string, string>();
  for (const host of design.hosts) {
    const other = first.get(host.name);
    if (other === undefined) first.set(host.name, host.id);
    else out.push(error('host-name-duplicate', host.id, 'name', `host name "${host.name}" is already used by host "${other}"`, 'give every host its own name'));
  }
  return out;
};
