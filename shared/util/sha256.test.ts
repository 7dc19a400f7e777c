import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('matches known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('agrees with node:crypto across buffer refills and on padding boundaries', () => {
    for (const len of [55, 56, 63, 64, 65, 65535, 65536, 65537, 200_000]) {
      const text = 'aé€😀'.repeat(Math.ceil(len / 4)).slice(0, len);
      expect(sha256Hex(text), `length ${len}`).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it('agrees with node:crypto on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
  });
});
