// Shared by commands that take a design FILE: load it or explain why not.
import { compile } from '../../../shared/compile/compile';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import type { Design } from '../../../shared/model/schema';
import { describeLoadFailure, loadDesignFile } from '../../backend/designFile';
import { readFile } from 'node:fs/promises';
import { EXIT, fileLabel, readAll, STDIN_FILE, type CliIo } from '../io';
import { formatDiagnostic } from './validate';

/** Loads FILE, where `-` is standard input (read once, whole). */
export function loadDesignArg(file: string, io: CliIo): ReturnType<typeof loadDesignFile> {
  return loadDesignFile(file, (path) => (path === STDIN_FILE ? (io.readStdin ? io.readStdin() : readAll(process.stdin)) : readFile(path)));
}

export async function loadOrReport(file: string | undefined, io: CliIo): Promise<Design | undefined> {
  if (!file) {
    io.err('missing FILE (a NAME.wireplan.json design)');
    return undefined;
  }
  const result = await loadDesignArg(file, io);
  if (!result.ok) {
    io.err(describeLoadFailure(fileLabel(file), result));
    return undefined;
  }
  return result.design;
}

/** Compiles the design, or prints its errors (and why they block `what`) and returns undefined. */
export function compileOrReport(design: Design, io: CliIo, why?: string): Plan | undefined {
  const result = compile(design);
  if (result.ok) return result.plan;
  for (const d of result.diagnostics) io.err(formatDiagnostic(d));
  if (why) io.err(`the design has errors; ${why} (wireplan validate FILE)`);
  return undefined;
}

/** The hosts named by --host (id or name), in the order given; all of them when none is named. */
export function selectHosts(hosts: HostPlan[], wanted: string[] | undefined, io: CliIo): HostPlan[] | undefined {
  if (!wanted?.length) return hosts;
  const out: HostPlan[] = [];
  for (const w of wanted) {
    const h = hosts.find((x) => x.host.id === w || x.host.name === w);
    if (!h) {
      io.err(`no host "${w}" in this design (hosts: ${hosts.map((x) => x.host.name).join(', ') || 'none'})`);
      return undefined;
    }
    out.push(h);
  }
  return out;
}

export interface LoadedPlan {
  design: Design;
  plan: Plan;
  hosts: HostPlan[];
}

/**
 * FILE -> design -> plan -> the hosts asked for: what every plan-based command starts with.
 * Anything wrong is said on stderr and comes back as the exit code.
 */
export async function loadPlan(file: string | undefined, wanted: string[] | undefined, io: CliIo, why?: string): Promise<LoadedPlan | number> {
  const design = await loadOrReport(file, io);
  if (!design) return EXIT.usage;
  const plan = compileOrReport(design, io, why);
  if (!plan) return EXIT.findings;
  const hosts = selectHosts(plan.hosts, wanted, io);
  if (!hosts) return EXIT.usage;
  return { design, plan, hosts };
}
