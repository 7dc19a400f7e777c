// Passing and failing cases for the routing rules; the cases live in testing/cases/routing.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { routingCases } from '../testing/cases/routing';

describe('routing rules', () => {
  for (const c of routingCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
