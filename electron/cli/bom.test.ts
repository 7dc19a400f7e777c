// A design saved with a UTF-8 byte order mark (some Windows editors add one) is a valid
// design for every command that reads a file: validate and plan accept it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'wp-cli-bom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = readFileSync(join(__dirname, '../../resources/examples/two-namespaces-nat.wireplan.json'));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  return { code: await main(argv, io), out, err };
}

describe('a UTF-8 BOM', () => {
  it('validate and plan read a design file that starts with one', async () => {
    const file = join(dir, 'bom.wireplan.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), example]));
    const validate = await cli('validate', file);
    expect(validate.err).toBe('');
    expect(validate.code).toBe(0);
    const plan = await cli('plan', file);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('ip ');
  });
});
