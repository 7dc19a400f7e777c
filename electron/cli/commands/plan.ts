import type { HostPlan } from '../../../shared/compile/plan';
import { planText } from '../../../shared/export/script';
import { parseArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { loadPlan } from './load';

export const planHelp = `usage: wireplan plan FILE [--host NAME]... [--json]

Prints, for each host, the exact ordered commands that apply would run, and the
mapping from design names to kernel interface names.

  --host NAME   only this host (id or name); may be repeated
  --json        the plan as data (steps, probes, undo commands, hashes)

exit status: 0 ok, 1 the design has errors (they are printed), 2 unreadable or invalid file`;

function hostSection(h: HostPlan): string {
  const lines = [`# host ${h.host.name} (${h.host.id}): ${h.steps.length} steps, plan sha256:${h.hash}`];
  if (h.names.length) {
    lines.push('# interface names:');
    for (const n of h.names) lines.push(`#   ${n.logical} -> ${n.ifname}${n.ns ? ` in ${n.ns}` : ''}`);
  }
  lines.push(planText(h));
  return lines.join('\n');
}

export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [{ name: 'host', value: true, repeat: true }, { name: 'json' }]);
  if (args.positional.length !== 1) {
    io.err(planHelp);
    return EXIT.usage;
  }
  const loaded = await loadPlan(args.positional[0], args.values.get('host'), io, 'fix them to get a plan');
  if (typeof loaded === 'number') return loaded;
  const { plan, hosts } = loaded;
  if (args.flags.has('json')) io.out(JSON.stringify({ ...plan, hosts }, null, 2));
  else io.out(hosts.map(hostSection).join('\n\n'));
  return EXIT.ok;
}
