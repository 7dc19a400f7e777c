// Passing and failing cases for the stretched-segment rules; the cases live in testing/cases/stitch.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { stitchCases } from '../testing/cases/stitch';

describe('stitch rules', () => {
  for (const c of stitchCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
