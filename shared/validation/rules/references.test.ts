// Passing and failing cases for the references rules; the cases live in testing/cases/references.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { referenceCases } from '../testing/cases/references';

describe('references rules', () => {
  for (const c of referenceCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
