// Passing and failing cases for the ranges rules; the cases live in testing/cases/ranges.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { rangeCases } from '../testing/cases/ranges';

describe('ranges rules', () => {
  for (const c of rangeCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
