// Passing and failing cases for the nat-policy rules; the cases live in testing/cases/nat-policy.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { natPolicyCases } from '../testing/cases/nat-policy';

describe('nat-policy rules', () => {
  for (const c of natPolicyCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
