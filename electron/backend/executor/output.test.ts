import { describe, expect, it } from 'vitest';
import { CommandOutput } from './output';

describe('CommandOutput', () => {
  it('keeps a character split across chunks whole, in the result and in what it streams', () => {
    const streamed: string[] = [];
    const o = new CommandOutput({ onStdout: (s) => streamed.push(s) });
    const bytes = Buffer.from('a€b😀', 'utf8');
    for (let i = 0; i < bytes.length; i++) o.onStdout(bytes.subarray(i, i + 1));
    o.end();
    expect(o.stdout).toBe('a€b😀');
    expect(streamed.join('')).toBe('a€b😀');
    expect(streamed.every((s) => s.length > 0)).toBe(true);
  });

  it('keeps stdout and stderr apart and flushes a truncated character at the end', () => {
    const err: string[] = [];
    const o = new CommandOutput({ onStderr: (s) => err.push(s) });
    o.onStdout(Buffer.from('out\n'));
    o.onStderr(Buffer.from([0x65, 0xe2, 0x82])); // "e" and the first two bytes of "€"
    o.end();
    expect(o.stdout).toBe('out\n');
    expect(o.stderr).toBe('e\ufffd');
    expect(err.join('')).toBe('e\ufffd');
  });
});
