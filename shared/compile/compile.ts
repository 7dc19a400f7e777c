// compile(design) -> per-host plans. Total: a design with validation errors yields the
// diagnostics and no plan; it never throws.
import type { Design } from '../model/schema';
import type { Diagnostic } from '../validation/diagnostic';
import type { Plan } from './plan';

export type CompileResult = { ok: true; plan: Plan; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function compile(_design: Design): CompileResult {
  return { ok: false, diagnostics: [{ rule: 'not-implemented', severity: 'error', message: 'compiler not implemented yet' }] };
}
