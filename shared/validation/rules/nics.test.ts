// Passing and failing cases for the nics rules; the cases live in testing/cases/nics.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { nicCases } from '../testing/cases/nics';

describe('nics rules', () => {
  for (const c of nicCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
