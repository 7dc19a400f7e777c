// Every rule in the catalog has a failing and a passing case, and every rule file is
// registered: a rule nobody tests, or nobody runs, is caught here.
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from './catalog';
import { RULES } from './rules';
import { CASE_TABLES } from './testing/cases';

const cases = Object.values(CASE_TABLES).flat();

describe('rule catalog', () => {
  it.each(RULE_IDS.filter((id) => id !== 'internal'))('%s has a failing and a passing case', (id) => {
    expect(cases.some((c) => c.rule === id && c.expect.length > 0)).toBe(true);
    expect(cases.some((c) => c.rule === id && c.expect.length === 0)).toBe(true);
  });

  it('runs each rule function once', () => {
    expect(new Set(RULES.map((r) => r.run)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  it('has unique case names per rule', () => {
    const keys = cases.map((c) => `${c.rule}: ${c.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
