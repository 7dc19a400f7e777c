// Issue 11: a design file must not be able to drive the terminal (control characters in
// names are printed escaped), and a reader that goes away (`plan | head -1`) ends the
// command quietly with its own exit status instead of an EPIPE stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ask } from './commands/apply-targets';
import { terminalSafe, type CliIo } from './io';
import { main } from './main';

const root = join(__dirname, '../..');
const bin = join(root, 'bin/wireplan.mjs');
const example = join(root, 'resources/examples/two-namespaces-nat.wireplan.json');
const dir = mkdtempSync(join(tmpdir(), 'wireplan-cli-term-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = '\u001b';
const BEL = '\u0007';
// OSC retitle, clear screen, colour, cursor home, a carriage return that overwrites the line.
const HOSTILE = `${ESC}]0;owned${BEL}${ESC}[2J${ESC}[31m${ESC}[H\r`;

function hostileDesign(): string {
  const d = JSON.parse(readFileSync(example, 'utf8'));
  d.name = `Evil ${HOSTILE} design`;
  d.hosts[0].name = `lab${HOSTILE}`;
  d.veths[0].name = `uplink${HOSTILE}`;
  const path = join(dir, 'hostile.wireplan.json');
  writeFileSync(path, JSON.stringify(d));
  return path;
}

function invalidHostileDesign(): string {
  const d = JSON.parse(readFileSync(example, 'utf8'));
  d.namespaces[0].name = `app1${HOSTILE}`;
  const path = join(dir, 'hostile-invalid.wireplan.json');
  writeFileSync(path, JSON.stringify(d));
  return path;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal output', () => {
  it('terminalSafe escapes controls but keeps newlines, tabs and ordinary text', () => {
    expect(terminalSafe(`a\tb\nc${ESC}[2Jd\r${BEL}é\u202e`)).toBe('a\tb\nc\\u001b[2Jd\\u000d\\u0007é\\u202e');
  });

  it('plan prints host and link names with ESC sequences escaped', async () => {
    const r = await cli('plan', hostileDesign());
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(r.out).toContain('# host lab\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31m\\u001b[H\\u000d (lab)');
    expect(r.out).toContain('uplink\\u001b]0;owned');
  });

  it('validate prints a hostile namespace name escaped, in the finding and its fix', async () => {
    const r = await cli('validate', invalidHostileDesign());
    expect(r.code).toBe(1);
    expect(r.out + r.err).not.toMatch(RAW_CONTROL);
    expect(r.out).toContain('app1\\u001b]0;owned');
  });

  it('questions (apply and destroy confirmations, host keys) show names escaped too', async () => {
    let asked = '';
    await ask({ out: () => {}, err: () => {}, ask: async (q) => ((asked = q), 'n') }, `Host lab${HOSTILE} offers an unknown key. Trust it?`);
    expect(asked).not.toMatch(RAW_CONTROL);
    expect(asked).toContain('lab\\u001b]0;owned');
  });

  it('--json stays valid JSON and keeps the exact names', async () => {
    const r = await cli('plan', hostileDesign(), '--json');
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(r.out).hosts[0].host.name).toBe(`lab${HOSTILE}`);
  });

  // Real processes (tsx start-up each): the timeouts guard against hangs, they assert no speed.
  it('the real command line: nothing raw reaches the terminal, and export to stdout is the script itself', { timeout: 180_000 }, async () => {
    const run = promisify(execFile);
    const plan = await run(process.execPath, [bin, 'plan', hostileDesign()], { cwd: root });
    expect(plan.stdout).not.toMatch(RAW_CONTROL);
    expect(plan.stdout).toContain('lab\\u001b]0;owned');
    const exported = await run(process.execPath, [bin, 'export', example, '--host', 'lab'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const toFile = join(dir, 'lab.sh');
    await run(process.execPath, [bin, 'export', example, '--host', 'lab', '-o', toFile], { cwd: root });
    expect(exported.stdout.trimEnd()).toBe(readFileSync(toFile, 'utf8').trimEnd());
  });
});

describe('a reader that goes away', () => {
  it('`wireplan plan big.json | head -1` prints one line and exits 0 without a stack trace', { timeout: 120_000 }, async () => {
    const d = JSON.parse(readFileSync(example, 'utf8'));
    for (let i = 0; i < 1500; i++) d.namespaces.push({ id: `n${i}`, name: `n${i}`, host: 'lab' });
    const big = join(dir, 'big.wireplan.json');
    writeFileSync(big, JSON.stringify(d));
    // The plan is far bigger than a pipe's buffer, so the writer meets the closed pipe.
    const script = `set -o pipefail; "$0" "$1" plan "$2" 2>"$3" | head -1; echo "exit=\${PIPESTATUS[0]}"`;
    const errFile = join(dir, 'plan.stderr');
    const { stdout } = await promisify(execFile)('bash', ['-c', script, process.execPath, bin, big, errFile], { cwd: root });
    const [first, status] = stdout.trimEnd().split('\n');
    expect(first).toMatch(/^# host lab \(lab\): \d+ steps/);
    expect(status).toBe('exit=0');
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });
});
