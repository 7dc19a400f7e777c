import { diffHost } from '../../backend/apply';
import { parseArgs } from '../args';
import { EXIT } from '../io';
import { steps } from './apply-progress';
import { buildTargets, TARGET_HELP, TARGET_OPTIONS, type PromptIo } from './apply-targets';
import { loadPlan } from './load';
import { diffLine, doneLine, emit } from './ndjson';

export const diffHelp = `usage: wireplan diff FILE [--host NAME]... [--json] [SSH OPTIONS]

Compares the design with the live hosts: each plan step is present, missing or foreign
(an object with that name that Wireplan did not create), plus this design's objects that
the design no longer has (apply would remove them). Changes nothing on the hosts.

  --json                  NDJSON on stdout: one {"type":"diff"} line per host as it is
                          compared (every step's state: present, missing, drifted, foreign),
                          {"type":"host","error"} for a host that could not be compared,
                          and a last {"type":"done"} line
${TARGET_HELP}

exit status: 0 every host in sync, 1 differences (or the design has errors), 2 usage or a host unreachable`;

export async function diffCommand(argv: string[], io: PromptIo): Promise<number> {
  const args = parseArgs(argv, [...TARGET_OPTIONS, { name: 'json' }]);
  const json = args.flags.has('json');
  if (args.positional.length !== 1) {
    io.err(diffHelp);
    return EXIT.usage;
  }
  const loaded = await loadPlan(args.positional[0], args.values.get('host'), io);
  if (typeof loaded === 'number') return loaded;
  const { design, plan, hosts } = loaded;
  const t = await buildTargets(design, hosts.map((h) => h.host.id), args, io);
  try {
    if (json) {
      let code: number = EXIT.ok;
      await Promise.all(
        hosts.map((h) =>
          diffHost(plan, h, t.targets.get(h.host.id)!).then(
            (d) => {
              diffLine(io, d, t.describe(d.host.id));
              if (d.lockedBy !== undefined) code = EXIT.usage;
              else if (!d.inSync && code === EXIT.ok) code = EXIT.findings;
            },
            (e: Error) => {
              emit(io, { type: 'host', host: h.host.id, hostName: h.host.name, ok: false, error: e.message });
              code = EXIT.usage;
            },
          ),
        ),
      );
      return doneLine(io, 'diff', code);
    }
    const diffs = await Promise.all(
      hosts.map((h) =>
        diffHost(plan, h, t.targets.get(h.host.id)!).then(
          (d) => ({ ok: true as const, d }),
          (e: Error) => ({ ok: false as const, host: h.host, error: e.message }),
        ),
      ),
    );
    let code: number = EXIT.ok;
    for (const r of diffs) {
      if (!r.ok) {
        io.out(`${r.host.name}: cannot compare: ${r.error}`);
        code = EXIT.usage;
        continue;
      }
      const d = r.d;
      const head = `${d.host.name} (${t.describe(d.host.id)})`;
      if (d.lockedBy !== undefined) {
        io.out(`${head}: a run is in progress (${d.lockedBy}); try again when it ends`);
        code = EXIT.usage;
        continue;
      }
      if (d.inSync) {
        io.out(`${head}: in sync (${d.steps.length} steps present)`);
        continue;
      }
      if (code === EXIT.ok) code = EXIT.findings;
      io.out(`${head}: ${d.steps.length - d.missing.length - d.foreign.length}/${d.steps.length} steps present`);
      if (d.missing.length) io.out(`  missing (apply would run):\n${steps(d.missing)}`);
      if (d.foreign.length) io.out(`  foreign (exists, not created by Wireplan; apply refuses):\n${steps(d.foreign)}`);
      if (d.removals.length) io.out(`  no longer in the design (apply would remove):\n${d.removals.map((x) => `    ${x}`).join('\n')}`);
    }
    return code;
  } finally {
    await t.close();
  }
}
