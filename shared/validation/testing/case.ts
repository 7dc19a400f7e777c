// Rule test cases as data: one change to the base design, and the exact findings of one
// rule it must produce (none, for a passing case). Kept free of vitest so the catalog
// coverage test can import every table.
import type { RuleId } from '../catalog';
import type { Design } from '../../model/schema';
import type { Severity } from '../diagnostic';
import { validate } from '../validate';
import { designWith } from './designs';

export interface Expected {
  elementId?: string;
  field?: string;
  severity?: Severity;
}

export interface Case {
  rule: RuleId;
  name: string;
  mutate: (d: Design) => void;
  /** Findings of `rule` (severity defaults to error); empty for a passing case. */
  expect: Expected[];
}

export const bad = (rule: RuleId, name: string, mutate: (d: Design) => void, ...expect: Expected[]): Case => ({ rule, name, mutate, expect });
export const good = (rule: RuleId, name: string, mutate: (d: Design) => void = () => {}): Case => ({ rule, name, mutate, expect: [] });
export const warn = (elementId: string | undefined, field: string | undefined): Expected => ({
  ...(elementId !== undefined ? { elementId } : {}),
  ...(field !== undefined ? { field } : {}),
  severity: 'warning',
});

type Shape = { elementId: string | undefined; field: string | undefined; severity: Severity };
const byJson = (a: Shape, b: Shape) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/** What the case's rule actually reported, in a comparable form. */
export function actual(c: Case): Shape[] {
  return validate(designWith(c.mutate))
    .filter((d) => d.rule === c.rule)
    .map((d) => ({ elementId: d.elementId, field: d.field, severity: d.severity }))
    .sort(byJson);
}

export function expected(c: Case): Shape[] {
  return c.expect.map((e) => ({ elementId: e.elementId, field: e.field, severity: e.severity ?? 'error' })).sort(byJson);
}
