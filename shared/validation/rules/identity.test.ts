// Passing and failing cases for the identity rules; the cases live in testing/cases/identity.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { identityCases } from '../testing/cases/identity';

describe('identity rules', () => {
  for (const c of identityCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
