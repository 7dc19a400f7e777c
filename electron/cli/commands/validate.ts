import { validate } from '../../../shared/validation/validate';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { parseArgs } from '../args';
import { EXIT, fileLabel, type CliIo } from '../io';
import { describeLoadFailure } from '../../backend/designFile';
import { loadDesignArg } from './load';

export const validateHelp = `usage: wireplan validate FILE [--json]

Checks a design: file format, names, addresses, references, routing and firewall rules.
Prints each finding with the element, the field and how to fix it.

  --json   machine-readable output: {"ok": bool, "diagnostics": [...]}

exit status: 0 no errors (warnings allowed), 1 errors found, 2 file unreadable or invalid`;

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.elementId, d.field].filter(Boolean).join('.');
  return `${d.severity.padEnd(7)} ${where ? `${where}: ` : ''}${d.message}${d.fix ? `\n        fix: ${d.fix}` : ''}`;
}

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [{ name: 'json' }]);
  const file = args.positional[0];
  if (!file || args.positional.length > 1) {
    io.err(validateHelp);
    return EXIT.usage;
  }
  const json = args.flags.has('json');
  const loaded = await loadDesignArg(file, io);
  if (!loaded.ok) {
    if (json) io.out(JSON.stringify({ ok: false, kind: loaded.kind, errors: loaded.errors }, null, 2));
    else io.err(describeLoadFailure(fileLabel(file), loaded));
    return EXIT.usage;
  }
  const diagnostics = validate(loaded.design);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (json) {
    io.out(JSON.stringify({ ok: errors === 0, diagnostics }, null, 2));
  } else {
    for (const d of diagnostics) io.out(formatDiagnostic(d));
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    io.out(errors || warnings ? `${fileLabel(file)}: ${errors} error(s), ${warnings} warning(s)` : `${fileLabel(file)}: valid`);
  }
  return errors ? EXIT.findings : EXIT.ok;
}
