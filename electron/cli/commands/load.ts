// Shared by commands that take a design FILE: load it or explain why not.
import { compile } from '../../../shared/compile/compile';
import type { Plan } from '../../../shared/compile/plan';
import type { Design } from '../../../shared/model/schema';
import { describeLoadFailure, loadDesignFile } from '../../backend/designFile';
import type { CliIo } from '../io';
import { formatDiagnostic } from './validate';

export async function loadOrReport(file: string | undefined, io: CliIo): Promise<Design | undefined> {
  if (!file) {
    io.err('missing FILE (a NAME.wireplan.json design)');
    return undefined;
  }
  const result = await loadDesignFile(file);
  if (!result.ok) {
    io.err(describeLoadFailure(file, result));
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
