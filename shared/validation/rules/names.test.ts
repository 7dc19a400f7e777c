// Passing and failing cases for the names rules; the cases live in testing/cases/names.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { nameCases } from '../testing/cases/names';

describe('names rules', () => {
  for (const c of nameCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
