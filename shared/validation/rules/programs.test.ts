// Passing and failing cases for the program rules; the cases live in testing/cases/programs.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { programCases } from '../testing/cases/programs';

describe('program rules', () => {
  for (const c of programCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
