// Values computed from a design, memoized by the design object's identity so any number
// of components can ask without recomputing. validate/compile are total by contract; a
// crash is still turned into a diagnostic so the UI keeps working.
import { compile, type CompileResult } from '../../../shared/compile/compile';
import { ELEMENT_COLLECTIONS, type Design } from '../../../shared/model/schema';
import { serializeDesign } from '../../../shared/model/parse';
import type { Diagnostic, Severity } from '../../../shared/validation/diagnostic';
import { validate } from '../../../shared/validation/validate';
import { parseNicNodeId } from '../model/kinds';
import { memoByDesign } from '../model/memo';

const crash = (what: string, e: unknown): Diagnostic => ({
  rule: `${what}-crashed`,
  severity: 'error',
  message: `${what} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * Host NICs are drawn too, and their positions are stored under their canvas node id
 * ("nic:<host>:<name>"). The shared layout rule does not know those keys yet and calls
 * them dangling; drop exactly those findings while the NIC exists.
 */
function isNicLayoutKey(d: Design, diag: Diagnostic): boolean {
  if (diag.rule !== 'dangling-layout' || !diag.field?.startsWith('layout.nodes.nic:')) return false;
  const nic = parseNicNodeId(diag.field.slice('layout.nodes.'.length));
  return !!nic && d.hosts.some((h) => h.id === nic.hostId && h.nics.some((n) => n.name === nic.name));
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b)) return false;
  return true;
}

/**
 * True when `b` differs from `a` at most in positions: the same element collections (by
 * identity: edits replace what they change), fields and layout keys. Validation and the
 * compiler read nothing else of the layout than its keys, so their results carry over: a
 * drag of one node in a design of thousands does not validate and compile it again.
 */
export function onlyPositionsDiffer(a: Design, b: Design): boolean {
  if (a.wireplan !== b.wireplan || a.tag !== b.tag || a.name !== b.name || a.description !== b.description) return false;
  for (const c of ELEMENT_COLLECTIONS) if (a[c] !== b[c]) return false;
  return sameKeys(a.layout.nodes, b.layout.nodes) && sameKeys(a.layout.frames, b.layout.frames);
}

/** Like memoByDesign(), and a design that differs from the last one only in positions gets its result. */
function memoIgnoringPositions<T>(f: (d: Design) => T): (d: Design) => T {
  const cached = memoByDesign(f);
  let last: { design: Design; value: T } | undefined;
  const byDesign = new WeakMap<Design, T>();
  return (d) => {
    const hit = byDesign.get(d);
    if (hit !== undefined) return hit;
    const value = last && onlyPositionsDiffer(last.design, d) ? last.value : cached(d);
    byDesign.set(d, value);
    last = { design: d, value };
    return value;
  };
}

export const diagnosticsOf = memoIgnoringPositions((d): Diagnostic[] => {
  try {
    const all = validate(d);
    return all.some((x) => x.rule === 'dangling-layout') ? all.filter((x) => !isNicLayoutKey(d, x)) : all;
  } catch (e) {
    return [crash('validation', e)];
  }
});

export const compiledOf = memoIgnoringPositions((d): CompileResult => {
  try {
    return compile(d);
  } catch (e) {
    return { ok: false, diagnostics: [crash('compiler', e)] };
  }
});

export const serializedOf = memoByDesign((d) => serializeDesign(d));

export interface Badge {
  severity: Severity;
  count: number;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Worst diagnostic per element id. */
export const badgesOf = memoByDesign((d): Map<string, Badge> => {
  const map = new Map<string, Badge>();
  for (const diag of diagnosticsOf(d)) {
    if (!diag.elementId) continue;
    const b = map.get(diag.elementId);
    if (!b) map.set(diag.elementId, { severity: diag.severity, count: 1 });
    else map.set(diag.elementId, { severity: rank[diag.severity] < rank[b.severity] ? diag.severity : b.severity, count: b.count + 1 });
  }
  return map;
});

/** Diagnostics of one element, for the inspector. */
export function diagnosticsFor(d: Design, elementId: string): Diagnostic[] {
  return diagnosticsOf(d).filter((x) => x.elementId === elementId);
}
