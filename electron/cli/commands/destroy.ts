import { destroyHost, type EventSink } from '../../backend/apply';
import { parseArgs, UsageError } from '../args';
import { EXIT } from '../io';
import { printReports } from './apply';
import { progressPrinter } from './apply-progress';
import { buildTargets, confirm, interactive, TARGET_HELP, TARGET_OPTIONS, type PromptIo } from './apply-targets';
import { loadPlan } from './load';
import { doneLine, hostLines, jsonEvents } from './ndjson';

export const destroyHelp = `usage: wireplan destroy FILE [--host NAME]... [--dry-run] [--yes] [--json] [SSH OPTIONS]

Removes this design from its hosts: the plan's own undo (namespaces, links, firewall
table, recorded sysctls restored), then any other object still carrying this design's
ownership tag. Nothing else is touched; a host where nothing is left is a success.

  --dry-run               show what would be removed
  --yes                   do not ask (required without a terminal)
  --json                  NDJSON on stdout as it happens: step events (undone, failed),
                          each host's outcome, a last {"type":"done"} line; needs --yes or --dry-run
${TARGET_HELP}

exit status: 0 removed (or already gone), 1 a host failed, 2 usage or not confirmed`;

export async function destroyCommand(argv: string[], io: PromptIo): Promise<number> {
  const args = parseArgs(argv, [...TARGET_OPTIONS, { name: 'dry-run' }, { name: 'yes' }, { name: 'json' }]);
  if (args.positional.length !== 1) {
    io.err(destroyHelp);
    return EXIT.usage;
  }
  const loaded = await loadPlan(args.positional[0], args.values.get('host'), io, 'destroy derives what to remove from it');
  if (typeof loaded === 'number') return loaded;
  const { design, plan, hosts } = loaded;
  const dryRun = args.flags.has('dry-run');
  const yes = args.flags.has('yes');
  const json = args.flags.has('json');
  if (json && !dryRun && !yes) throw new UsageError('--json needs --yes or --dry-run (no questions are asked in JSON mode)');
  if (!dryRun && !yes && !interactive(io)) {
    io.err('wireplan destroy changes hosts: pass --yes to run it without a terminal (or --dry-run to only look)');
    return EXIT.usage;
  }
  const t = await buildTargets(design, hosts.map((h) => h.host.id), args, io);
  try {
    const job = (dry: boolean, onEvent?: EventSink) =>
      Promise.all(hosts.map((h) => destroyHost(plan, h, t.targets.get(h.host.id)!, { dryRun: dry, ...(onEvent ? { onEvent } : {}) })));
    const names = new Map(hosts.map((h) => [h.host.id, h.host.name]));
    if (json) {
      const reports = await job(dryRun, jsonEvents(io, names));
      const ok = hostLines(io, reports, t.describe, dryRun ? { dryRun: true } : {});
      return doneLine(io, 'destroy', ok ? EXIT.ok : EXIT.findings);
    }
    if (dryRun || !yes) {
      const preview = await job(true);
      const ok = printReports(io, preview.map((r) => ({ ...r, orphans: [], changed: 0 })), t.describe);
      if (dryRun || !ok) return ok ? EXIT.ok : EXIT.findings;
      if (!(await confirm(io, `Remove this design from ${hosts.length} host(s)?`))) {
        io.err('nothing removed');
        return EXIT.usage;
      }
    }
    const reports = await job(false, progressPrinter(io, names));
    return printReports(io, reports.map((r) => ({ ...r, orphans: [], changed: 0 })), t.describe) ? EXIT.ok : EXIT.findings;
  } finally {
    await t.close();
  }
}
