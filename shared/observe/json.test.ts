import { describe, expect, it } from 'vitest';
import { escapeRawControls, parseJson, splitJsonValues } from './json';

describe('splitJsonValues', () => {
  it('splits concatenated values and respects brackets and escapes inside strings', () => {
    const text = '[{"a":"]\\"[{"}]\n["ends with a backslash \\\\"]\n{"x":[1,[2]]}[]';
    const { chunks, garbage, truncated } = splitJsonValues(text);
    expect(chunks.map((c) => JSON.parse(c.text))).toEqual([[{ a: ']"[{' }], ['ends with a backslash \\'], { x: [1, [2]] }, []]);
    expect(garbage).toEqual([]);
    expect(truncated).toBeUndefined();
  });

  it('reports garbage lines and a truncated tail', () => {
    const { chunks, garbage, truncated } = splitJsonValues('oops\n[1]\n  [2, "unterminated');
    expect(chunks.map((c) => c.text)).toEqual(['[1]']);
    expect(garbage).toEqual([{ start: 0, text: 'oops' }]);
    expect(truncated?.start).toBe(11);
  });
});

describe('parseJson', () => {
  it('accepts raw control characters inside strings (iproute2 prints them unescaped)', () => {
    const r = parseJson('[{"ifalias":"a\u0001b\u001bc"}]', 'x');
    expect(r).toEqual({ ok: true, value: [{ ifalias: 'a\u0001b\u001bc' }], warnings: [] });
    expect(escapeRawControls('["\u0001"]')).toBe('["\\u0001"]');
    expect(escapeRawControls('[1,\n2]')).toBe('[1,\n2]');
  });

  it('gives a clear error with an escaped excerpt', () => {
    const r = parseJson('[{"a": tru\u0007e}]', 'ip link');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^ip link: not valid JSON \(/);
      expect(r.error).toContain('\\u0007');
      expect([...r.error].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
    }
    const long = parseJson(`[${'"x",'.repeat(100)} oops]`, 'x');
    expect(!long.ok && long.error.length).toBeLessThan(300);
    expect(parseJson('  ', 'x')).toEqual({ ok: false, error: 'x: empty output (expected JSON)', warnings: [] });
  });
});
