import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteArg, shellCommand } from './quote';

/** Runs `printf '%s\0' ARGS` through /bin/sh and returns the arguments sh saw. */
function roundTrip(args: string[]): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${args.map(quoteArg).join(' ')}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoteArg', () => {
  it('leaves plain identifiers readable', () => {
    expect(shellCommand(['ip', 'link', 'add', 'br0', 'type', 'bridge'])).toBe('ip link add br0 type bridge');
    expect(quoteArg('10.0.0.1/24')).toBe('10.0.0.1/24');
  });

  it('quotes everything a shell would interpret', () => {
    for (const s of ['', 'a b', 'a$(id)', '`id`', "it's", 'a;b', 'x\ny', '*', '~root', '$HOME', 'a|b', '!x', '#c']) {
      expect(roundTrip([s])).toEqual([s]);
    }
  });

  it('round-trips any string (without NUL, which no argv can carry) through /bin/sh', () => {
    const noNul = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\0/g, ''));
    fc.assert(
      fc.property(fc.array(noNul, { minLength: 1, maxLength: 6 }), (args) => {
        expect(roundTrip(args)).toEqual(args);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses an empty command', () => {
    expect(() => shellCommand([])).toThrow('empty command');
  });
});
