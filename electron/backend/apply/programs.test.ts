// The apply machinery's small on-host programs (upload.sh, detached.sh, confirm.sh), run
// for real in bash against a temp dir whose name a shell would misread if it were ever
// spliced into code: every value reaches them as a quoted argument.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmCommand } from './confirm';
import { followCommand, readRunFiles, startCommand } from './detached';
import type { HostExecutor } from '../executor';
import { EXT_SH } from './ext.generated';
import type { RemotePaths } from './paths';
import { parsePreflight, preflightCommand } from './preflight';
import { uploadCommand } from './upload';

const root = mkdtempSync(join(tmpdir(), 'wp-programs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// A directory name with a space, a quote and a command substitution.
const dir = join(root, `it's $(touch pwned) x`);
mkdirSync(dir);
const paths: RemotePaths = { dir, script: join(dir, 'plan-0123456789abcdef.sh'), ext: join(dir, 'wp-ext.sh'), runs: join(dir, 'runs') };

function sh(command: string, input = '') {
  return spawnSync('bash', ['-c', command], { input, encoding: 'utf8', cwd: root, timeout: 20_000 });
}

describe('apply programs', () => {
  it('upload writes the plan from stdin and the extension from its argument, then runs the given argv', () => {
    const r = sh(uploadCommand(paths, ['bash', '-c', 'printf "ran %s\\n" "$1"', 'x', "a 'b' $(c)"]), 'PLAN TEXT\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("ran a 'b' $(c)\n");
    expect(readFileSync(paths.script, 'utf8')).toBe('PLAN TEXT\n');
    expect(readFileSync(paths.ext, 'utf8')).toBe(EXT_SH);
    expect(existsSync(paths.runs)).toBe(true);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('a detached run starts once per run id, records its input, and its log is followed to its exit status', () => {
    // A stand-in for wp-ext.sh's runner: pid, a log line with the arguments it got, rc.
    const fake = join(dir, 'fake-ext.sh');
    writeFileSync(fake, 'd=$3; printf "%s\\n" "$$" > "$d/pid"; shift 4; printf "args:%s\\n" "$*" >> "$d/log"; printf "0\\n" > "$d/rc"\n');
    const p = { ...paths, ext: fake };
    const start = () => sh(startCommand(p, { runId: 'abcdef12-run', op: 'apply', args: ['--keep-partial', 'x y'], input: '' }), 'netns old wireplan:t:old\n');
    const first = start();
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^@wpx started \d+ \S+\n$/);
    const runDir = join(paths.runs, 'abcdef12-run');
    expect(readFileSync(join(runDir, 'input'), 'utf8')).toBe('netns old wireplan:t:old\n');
    expect(readFileSync(join(runDir, 'op'), 'utf8')).toBe('apply\n');
    for (let i = 0; i < 200 && !existsSync(join(runDir, 'rc')); i++) spawnSync('sleep', ['0.01']);
    expect(start().stdout).toMatch(/^@wpx started \d+ \S+ again\n$/);
    const follow = sh(followCommand(runDir, 0));
    expect(follow.stdout).toBe('args:--keep-partial x y\n');
    expect(follow.stderr).toMatch(/@wpx rc 0/);
    expect(sh(followCommand(runDir, 'args:'.length)).stdout).toBe('--keep-partial x y\n');
    expect(sh(followCommand(join(paths.runs, 'nope'), 0)).stderr).toMatch(/@wpx no-run/);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('reads a run\'s small files in one round trip', async () => {
    const run = join(paths.runs, 'files-run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'rc'), '0\n');
    writeFileSync(join(run, 'revert.log'), 'line 1\n@@ not a marker\n');
    const local = {
      run: async (command: string) => {
        const r = sh(command);
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
      },
    } as unknown as HostExecutor;
    expect(await readRunFiles(local, run)).toEqual({ rc: '0', 'revert.log': 'line 1\n@@ not a marker' });
    expect(await readRunFiles(local, join(paths.runs, 'gone'))).toEqual({});
  });

  it('confirm answers with the timer\'s decision, or says there is no such run', () => {
    const none = sh(confirmCommand(join(paths.runs, 'missing')));
    expect(none.status).toBe(3);
    expect(none.stdout).toBe('@wpx confirm no-run\n');
    const run = join(paths.runs, 'confirmed-run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'timer.state'), 'confirmed\n');
    const r = sh(confirmCommand(run));
    expect(r.stdout).toBe('@wpx confirm confirmed\n');
    expect(existsSync(join(run, 'confirm'))).toBe(true);
  });

  it('preflight reports this machine\'s uid and tools, and tries exactly the features it is given', () => {
    const { command, stdin } = preflightCommand(['veth', 'bridge', 'no-such-feature' as never]);
    expect(command).toBe('bash -s -- veth bridge');
    const r = sh(command, stdin);
    expect(r.status).toBe(0);
    const facts = parsePreflight(r.stdout);
    expect(facts.uid).toBe(process.getuid?.());
    expect(facts.tools['bash']).toMatch(/bash$/);
    // A throwaway network namespace needs privilege (root, or user namespaces): without it
    // the preflight says so instead of testing.
    if (!facts.featureTestUnavailable && r.stdout.includes('feature ')) {
      expect(Object.keys(facts.features).sort()).toEqual(['bridge', 'veth']);
    }
  });
});
