// Passing and failing cases for the addresses rules; the cases live in testing/cases/addresses.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { addressCases } from '../testing/cases/addresses';

describe('addresses rules', () => {
  for (const c of addressCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
