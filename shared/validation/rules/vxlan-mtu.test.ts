// Passing and failing cases for the vxlan-mtu rules; the cases live in testing/cases/vxlan-mtu.ts.
import { describe, expect, it } from 'vitest';
import { actual, expected } from '../testing/case';
import { vxlanMtuCases } from '../testing/cases/vxlan-mtu';

describe('vxlan-mtu rules', () => {
  for (const c of vxlanMtuCases) {
    it(`${c.rule}: ${c.expect.length === 0 ? 'passes' : 'fails'} for ${c.name}`, () => {
      expect(actual(c)).toEqual(expected(c));
    });
  }
});
