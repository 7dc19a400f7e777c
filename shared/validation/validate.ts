// validate(design) -> Diagnostic[]: runs every rule; never throws. A rule that throws
// becomes one 'internal' diagnostic and the others still run. Output order is fixed:
// design-level findings first, then by element position in the design, then rule order.
import { ELEMENT_COLLECTIONS, type Design } from '../model/schema';
import { buildContext, type RuleContext } from './context';
import type { Diagnostic } from './diagnostic';
import type { Rule } from './rule';
import { RULES } from './rules';

function internal(what: string, e: unknown): Diagnostic {
  const detail = e instanceof Error ? e.message : String(e);
  return {
    rule: 'internal',
    severity: 'error',
    message: `the ${what} check failed on this design (${detail}); the other checks still ran`,
    fix: 'report this as a Wireplan bug, with the design file attached',
  };
}

function elementOrder(design: Design): Map<string, number> {
  const order = new Map<string, number>();
  for (const collection of ELEMENT_COLLECTIONS) {
    const list: unknown = design[collection];
    if (!Array.isArray(list)) continue;
    for (const el of list as { id?: unknown }[]) {
      if (typeof el?.id === 'string' && !order.has(el.id)) order.set(el.id, order.size);
    }
  }
  return order;
}

export function validate(design: Design): Diagnostic[] {
  return runRules(design, RULES);
}

/**
 * validate(), also handing back the context it built (undefined when indexing failed), so
 * compile() reuses its design index and kernel names instead of computing them again.
 */
export function validateWithContext(design: Design): { diagnostics: Diagnostic[]; context: RuleContext | undefined } {
  let context: RuleContext | undefined;
  const diagnostics = runRules(design, RULES, (ctx) => (context = ctx));
  return { diagnostics, context };
}

/** validate() with a given rule list (tests use it to prove a throwing rule is contained). */
export function runRules(design: Design, rules: readonly { name: string; run: Rule }[], built?: (ctx: RuleContext) => void): Diagnostic[] {
  let ctx: RuleContext;
  try {
    ctx = buildContext(design);
  } catch (e) {
    return [internal('design indexing', e)];
  }
  built?.(ctx);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { name, run } of rules) {
    let found: Diagnostic[];
    try {
      found = run(ctx);
    } catch (e) {
      found = [internal(`"${name}"`, e)];
    }
    for (const d of found) {
      const key = JSON.stringify([d.rule, d.elementId, d.field, d.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  if (out.length < 2) return out; // nothing to order (the usual case for a design being compiled)
  let order: Map<string, number>;
  try {
    order = elementOrder(design);
  } catch {
    return out;
  }
  const rank = (d: Diagnostic) => (d.elementId === undefined ? -1 : (order.get(d.elementId) ?? Number.MAX_SAFE_INTEGER));
  return out
    .map((d, i) => ({ d, i, r: rank(d) }))
    .sort((x, y) => x.r - y.r || x.i - y.i)
    .map((x) => x.d);
}
