// FILE may be `-`: the design is read from standard input by every command that reads one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { main } from './main';

const example = readFileSync(join(__dirname, '../../resources/examples/two-namespaces-nat.wireplan.json'), 'utf8');

async function cli(argv: string[], stdin: string): Promise<{ code: number; out: string; err: string; reads: number }> {
  let out = '';
  let err = '';
  let reads = 0;
  const io: CliIo = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    readStdin: async () => {
      reads++;
      return Buffer.from(stdin);
    },
  };
  const code = await main(argv, io);
  return { code, out, err, reads };
}

describe('FILE - reads the design from standard input', () => {
  it('validate -', async () => {
    const r = await cli(['validate', '-'], example);
    expect(r).toMatchObject({ code: 0, out: '(standard input): valid\n', reads: 1 });
  });

  it('validate --json - and plan - and export -', async () => {
    expect(JSON.parse((await cli(['validate', '--json', '-'], example)).out)).toMatchObject({ ok: true });
    const plan = await cli(['plan', '-'], example);
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/^# host lab \(lab\): \d+ steps/);
    const exp = await cli(['export', '-'], example);
    expect(exp.code).toBe(0);
    expect(exp.out).toMatch(/^#!\/usr\/bin\/env bash/);
  });

  it('bad input on stdin is named as standard input, exit 2', async () => {
    const r = await cli(['plan', '-'], '{"format":');
    expect(r.code).toBe(2);
    expect(r.err).toContain('(standard input): not valid JSON');
    const v = await cli(['validate', '-'], 'not json');
    expect(v.code).toBe(2);
    expect(v.err).toContain('(standard input): not valid JSON');
  });
});
