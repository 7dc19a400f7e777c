import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, mask, parseAddress, parsePrefix } from './ip';

// The regex + split implementation the char-code parser replaced: the reference for what a
// dotted quad is.
const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const referenceV4 = (text: string) => (V4.test(text) ? text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) : undefined);
const referenceFormatV4 = (value: bigint) => [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');

describe('IPv4 parsing and formatting', () => {
  it('accepts exactly the dotted quads without leading zeros', () => {
    for (const text of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '1.22.199.249', '192.168.001.1', '256.0.0.1', '1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.4 ', '01.2.3.4', '1.2.3.00', '1000.1.1.1', '1.2.3.4567', '', '1.2.3.-4', '１.2.3.4']) {
      const a = parseAddress(text);
      expect(a?.family === 4 ? a.value : undefined, text).toBe(referenceV4(text));
    }
  });

  it('agrees with the regex reference on arbitrary text', () => {
    const octet = fc.oneof(fc.nat(300).map(String), fc.stringMatching(/^[0-9]{0,4}$/));
    const quadish = fc.tuple(octet, octet, octet, octet, fc.constantFrom('.', '', '..', 'x')).map(([a, b, c, d, sep]) => `${a}.${b}${sep === '.' ? '.' : sep}${c}.${d}`);
    fc.assert(
      fc.property(fc.oneof(quadish, fc.string({ maxLength: 20 })), (text) => {
        const a = parseAddress(text);
        expect(a?.family === 4 ? a.value : undefined).toBe(referenceV4(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('formats like the reference, including values wider than 32 bits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }), (v) => {
        expect(formatAddress(4, v)).toBe(referenceFormatV4(v));
      }),
    );
  });

  it('parses prefix lengths of one to three digits, leading zeros allowed (as the old regex did)', () => {
    for (const len of ['0', '8', '24', '024', '32', '33', '0032', '', '2a', '-1', '1 ', '١']) {
      const expected = /^\d{1,3}$/.test(len) && Number(len) <= 32 ? Number(len) : undefined;
      expect(parsePrefix(`10.0.0.0/${len}`)?.length, len).toBe(expected);
    }
    expect(parsePrefix('fd00::/0128')).toBeUndefined();
    expect(parsePrefix('fd00::/128')?.length).toBe(128);
  });

  it('parses prefixes and masks', () => {
    expect(parsePrefix('10.1.2.3/16')).toEqual({ family: 4, address: 0x0a010203n, length: 16 });
    expect(parsePrefix('10.1.2.3/33')).toBeUndefined();
    expect(mask(4, 16)).toBe(0xffff0000n);
    expect(mask(6, 128)).toBe((1n << 128n) - 1n);
    expect(mask(4, 0)).toBe(0n);
  });
});
