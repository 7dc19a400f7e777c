// --json of the commands that talk to hosts, against the local sandbox target (the
// design's host `lab` is a sandbox: each command gets a fresh one for its run): every
// stdout line is one JSON object, written as the run goes, ending with {"type":"done"}.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PromptIo } from '../../electron/cli/commands/apply-targets';
import { main } from '../../electron/cli/main';
import { EXAMPLES_DIR } from '../support/examples';

const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');

interface Line {
  type: string;
  [k: string]: unknown;
}

/** Runs the CLI; stdout must be NDJSON: each write one line that parses on its own. */
async function cliJson(argv: string[], stdin?: string): Promise<{ code: number; lines: Line[]; err: string }> {
  const lines: Line[] = [];
  let err = '';
  const io: PromptIo = {
    out: (t) => {
      expect(t.includes('\n'), `one object per line: ${t}`).toBe(false);
      lines.push(JSON.parse(t) as Line);
    },
    err: (t) => void (err += `${t}\n`),
    isTTY: false,
    ...(stdin !== undefined ? { readStdin: async () => Buffer.from(stdin) } : {}),
  };
  const code = await main(argv, io);
  return { code, lines, err };
}

describe('--json streams NDJSON against the sandbox', () => {
  it('apply --yes --json: step started/done per step, the host outcome, then done', async () => {
    const r = await cliJson(['apply', example, '--yes', '--json']);
    expect(r.code, r.err).toBe(0);
    const steps = r.lines.filter((l) => l.type === 'step');
    const started = steps.filter((l) => l.event === 'started');
    expect(started.length).toBeGreaterThan(10);
    expect(started[0]).toMatchObject({ host: 'lab', hostName: 'lab', index: 1, total: started.length });
    expect(typeof started[0]!.stepId).toBe('string');
    expect(steps.filter((l) => l.event === 'done').length).toBeGreaterThan(0);
    const hosts = r.lines.filter((l) => l.type === 'host');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ host: 'lab', ok: true, outcome: { kind: 'converged', changed: started.length } });
    // Events come before the host's outcome, and the done line is last.
    expect(r.lines.indexOf(hosts[0]!)).toBeGreaterThan(r.lines.indexOf(started.at(-1)!));
    expect(r.lines.at(-1)).toEqual({ type: 'done', command: 'apply', ok: true, exit: 0 });
  });

  it('apply --json without --yes or --dry-run is a usage error, not a question', async () => {
    const r = await cliJson(['apply', example, '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--json needs --yes or --dry-run');
  });

  it('apply --dry-run --json: the planned outcome, nothing run', async () => {
    const r = await cliJson(['apply', example, '--dry-run', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.lines.filter((l) => l.type === 'step' && l.event === 'started')).toEqual([]);
    expect(r.lines.find((l) => l.type === 'host')).toMatchObject({ ok: true, dryRun: true, outcome: { kind: 'planned' } });
    expect(r.lines.at(-1)).toMatchObject({ type: 'done', exit: 0 });
  });

  it('diff --json: one diff line with every step state (a fresh sandbox has every step missing), exit 1', async () => {
    const r = await cliJson(['diff', example, '--json']);
    expect(r.code, r.err).toBe(1);
    const d = r.lines.find((l) => l.type === 'diff')!;
    expect(d).toMatchObject({ host: 'lab', inSync: false, present: 0 });
    const steps = d.steps as { state: string; stepId: string }[];
    expect(steps.length).toBe(d.total);
    expect(new Set(steps.map((s) => s.state))).toEqual(new Set(['missing']));
    expect(r.lines.at(-1)).toEqual({ type: 'done', command: 'diff', ok: false, exit: 1 });
  });

  it('destroy --yes --json: the host outcome (nothing left on a fresh sandbox), then done', async () => {
    const r = await cliJson(['destroy', example, '--yes', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.lines.find((l) => l.type === 'host')).toMatchObject({ host: 'lab', ok: true, outcome: { kind: 'removed' } });
    expect(r.lines.at(-1)).toEqual({ type: 'done', command: 'destroy', ok: true, exit: 0 });
  });

  it('a design read from standard input (FILE -) applies the same', async () => {
    const r = await cliJson(['apply', '-', '--dry-run', '--json'], readFileSync(example, 'utf8'));
    expect(r.code, r.err).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ type: 'done', exit: 0 });
  });

  it('import --sandbox --json: one summary object', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wp-import-json-')), 'imported.wireplan.json');
    const r = await cliJson(['import', '--sandbox', '-o', out, '--json']);
    expect(r.lines, r.err).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ type: 'import', ok: r.code === 0, exit: r.code, output: out });
    expect(r.lines[0]!.counts).toMatchObject({ namespaces: 0 });
    expect(Array.isArray(r.lines[0]!.notes)).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ hosts: [{ name: 'sandbox' }] });
  });
});
