// wireplan import --clab: the CLI end to end on files and standard input: an example's
// containerlab export comes back as a valid design file with the same namespaces, the
// --json summary, and specific errors for input that is not a topology.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDesign } from '../../shared/model/parse';
import type { CliIo } from './io';
import { main } from './main';

const example = join(__dirname, '../../resources/examples/two-namespaces-nat.wireplan.json');
const dir = mkdtempSync(join(tmpdir(), 'wp-clab-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), readStdin: async () => Buffer.from(stdin) };
  return { code: await main(argv, io), out, err };
}

describe('wireplan import --clab', () => {
  it('imports an exported topology from a file and from stdin, and summarises with --json', async () => {
    const clab = join(dir, 'lab.clab.yml');
    expect((await cli(['export', example, '--format', 'clab', '-o', clab])).code).toBe(0);
    const out = join(dir, 'back.wireplan.json');
    const r = await cli(['import', '--clab', clab, '-o', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${out}: 2 namespaces, 1 bridges, 2 veth pairs, 2 routes`);
    const back = parseDesign(readFileSync(out, 'utf8'));
    expect(back.ok && back.design.namespaces.map((n) => n.name)).toEqual(['app1', 'app2']);
    expect(back.ok && back.design.tag).toBe('twons');

    const viaStdin = join(dir, 'stdin.wireplan.json');
    const j = await cli(['import', '--clab', '-', '-o', viaStdin, '--json', '--tag', 'again'], readFileSync(clab, 'utf8'));
    expect(j.code, j.err).toBe(0);
    const summary = JSON.parse(j.out) as { ok: boolean; counts: Record<string, number>; notes: { message: string }[] };
    expect(summary).toMatchObject({ type: 'import', ok: true, exit: 0, output: viaStdin, source: '(standard input)', counts: { namespaces: 2, veths: 2 } });
    expect(summary.notes.map((n) => n.message)).toContain('host lab targets the local sandbox: point it at a real host (Hosts panel, or --ssh when applying)');
  });

  it('says what is wrong with input that is not a topology', async () => {
    const o = join(dir, 'x.wireplan.json');
    expect((await cli(['import', '--clab', '-', '-o', o], 'a: [1, 2')).err).toMatch(/^\(standard input\) is not valid YAML: unexpected end of the stream/);
    expect((await cli(['import', '--clab', '-', '-o', o], 'name: x\n')).err).toContain('(standard input): not a containerlab topology: it has no "topology" mapping');
    const both = await cli(['import', '--clab', '-', '--sandbox', '-o', o]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('give exactly one of --ssh USER@ADDRESS[:PORT], --sandbox and --clab FILE');
  });
});
