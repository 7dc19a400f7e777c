import { applyHosts, type HostApplyReport } from '../../backend/apply';
import { SandboxExecutor } from '../../backend/executor';
import { parseArgs, UsageError } from '../args';
import { EXIT } from '../io';
import { buildTargets, confirm, interactive, TARGET_HELP, TARGET_OPTIONS, type PromptIo } from './apply-targets';
import { describeOutcome, progressPrinter } from './apply-progress';
import { loadPlan } from './load';
import { doneLine, hostLines, jsonEvents } from './ndjson';

export const applyHelp = `usage: wireplan apply FILE [--host NAME]... [--dry-run] [--yes] [--keep-partial] [--persist]
                      [--confirm-within S [--allow-management-change]] [--json] [SSH OPTIONS]

Applies the design to its hosts (in parallel). Each host is checked first (root, tools,
kernel features, firewall, the interface carrying the SSH session), then the whole plan
runs ON the host as one unit with a lock and a journal: it survives the connection
dropping, stops at the first failing step and rolls back what it did, and only steps
that are missing run (applying twice changes nothing). Objects of this design that the
design no longer has are removed first. If one host fails, the others undo this apply.

  --dry-run               check and show what would change; change nothing
  --yes                   do not ask (required without a terminal)
  --keep-partial          on failure keep completed steps (no rollback, on any host)
  --persist               make the lab survive a reboot: once every host converged, install
                          the exported script (/usr/local/lib/wireplan/wireplan-TAG.sh) and
                          its unit (/etc/systemd/system/wireplan-TAG.service) on each host and
                          enable the unit (systemd hosts only); destroy removes them again
  --confirm-within S      commit-confirmed: each host undoes this apply by itself unless a
                          fresh SSH connection confirms it within S seconds after it ends
  --allow-management-change   accept a plan that touches the SSH session's interface or
                          route (only with --confirm-within)
  --json                  NDJSON on stdout, one object per line as it happens: step events
                          (started, done, present, failed, undone), each host's outcome, and
                          a last {"type":"done"} line; needs --yes or --dry-run
${TARGET_HELP}

exit status: 0 every host converged (or --dry-run ok), 1 a host failed, was refused or
the design has errors, 2 usage, unreadable file, or not confirmed`;

const OPTIONS = [...TARGET_OPTIONS, { name: 'dry-run' }, { name: 'yes' }, { name: 'keep-partial' }, { name: 'confirm-within', value: true }, { name: 'allow-management-change' }, { name: 'json' }, { name: 'persist' }];

export function printReports(io: PromptIo, reports: readonly (HostApplyReport & { unpersisted?: string[] })[], describe: (id: string) => string): boolean {
  let ok = true;
  for (const r of reports) {
    const d = describeOutcome(r.outcome);
    ok &&= d.ok;
    const [first, ...rest] = d.text.split('\n');
    io.out([`${r.host.name} (${describe(r.host.id)}): ${first}${r.ms ? `  [${(r.ms / 1000).toFixed(1)} s]` : ''}`, ...rest].join('\n'));
    for (const w of r.warnings) io.out(`  warning: ${w.split('\n').join('\n  ')}`);
    if (r.persist?.ok) io.out(`  persistent: ${r.persist.unit} enabled (${r.persist.wants}), runs ${r.persist.script} up at boot`);
    else if (r.persist) {
      ok = false;
      io.out(`  NOT persistent: ${r.persist.error}`);
    }
    if (r.unpersisted?.length) io.out(`  boot unit removed: ${r.unpersisted.join(', ')}`);
  }
  return ok;
}

export async function applyCommand(argv: string[], io: PromptIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positional.length !== 1) {
    io.err(applyHelp);
    return EXIT.usage;
  }
  const within = args.values.get('confirm-within')?.[0];
  const confirmWithinS = within === undefined ? undefined : Number(within);
  if (confirmWithinS !== undefined && !(Number.isInteger(confirmWithinS) && confirmWithinS >= 1 && confirmWithinS <= 3600)) throw new UsageError('--confirm-within takes whole seconds from 1 to 3600');
  if (args.flags.has('allow-management-change') && confirmWithinS === undefined) throw new UsageError('--allow-management-change needs --confirm-within S (the host reverts by itself unless confirmed)');
  const loaded = await loadPlan(args.positional[0], args.values.get('host'), io, 'fix them before applying');
  if (typeof loaded === 'number') return loaded;
  const { design, plan, hosts } = loaded;
  const dryRun = args.flags.has('dry-run');
  const yes = args.flags.has('yes');
  const json = args.flags.has('json');
  if (json && !dryRun && !yes) throw new UsageError('--json needs --yes or --dry-run (no questions are asked in JSON mode)');
  if (!dryRun && !yes && !interactive(io)) {
    io.err('wireplan apply changes hosts: pass --yes to apply without a terminal (or --dry-run to only look)');
    return EXIT.usage;
  }
  const t = await buildTargets(design, hosts.map((h) => h.host.id), args, io);
  try {
    const sandboxes = hosts.filter((h) => t.targets.get(h.host.id)!.executor instanceof SandboxExecutor);
    if (args.flags.has('persist') && sandboxes.length) throw new UsageError(`--persist is for SSH hosts: ${sandboxes.map((h) => h.host.name).join(', ')} is a local sandbox, which nothing rebuilds at boot (give --ssh NAME=USER@ADDRESS)`);
    const names = new Map(hosts.map((h) => [h.host.id, h.host.name]));
    const jobs = hosts.map((h) => ({ host: h, target: t.targets.get(h.host.id)! }));
    const base = {
      keepPartial: args.flags.has('keep-partial'),
      persist: args.flags.has('persist'),
      allowManagementChange: args.flags.has('allow-management-change'),
      ...(confirmWithinS !== undefined ? { confirmWithinS } : {}),
    };
    if (json) {
      const r = await applyHosts(plan, jobs, { ...base, ...(dryRun ? { dryRun: true } : {}), onEvent: jsonEvents(io, names) });
      const ok = hostLines(io, r.reports, t.describe, dryRun ? { dryRun: true } : {});
      return doneLine(io, 'apply', ok ? EXIT.ok : EXIT.findings);
    }
    if (dryRun || !yes) {
      io.err(`checking ${hosts.length} host(s) ...`);
      const preview = await applyHosts(plan, jobs, { ...base, dryRun: true });
      const ok = printReports(io, preview.reports, t.describe);
      if (dryRun) return ok ? EXIT.ok : EXIT.findings;
      if (!ok) return EXIT.findings;
      if (preview.reports.every((r) => r.outcome.kind === 'planned' && r.outcome.missing.length + r.outcome.orphans.length === 0)) {
        io.out('nothing to do');
        return EXIT.ok;
      }
      if (!(await confirm(io, `Apply to ${hosts.length} host(s)?`))) {
        io.err('not applied');
        return EXIT.usage;
      }
    }
    const r = await applyHosts(plan, jobs, { ...base, onEvent: progressPrinter(io, names) });
    const ok = printReports(io, r.reports, t.describe);
    return ok ? EXIT.ok : EXIT.findings;
  } finally {
    await t.close();
  }
}
