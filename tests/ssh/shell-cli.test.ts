// `wireplan shell FILE NAMESPACE --ssh ...` (issue 14), driven the way a person uses it:
// the real CLI process on a pseudo-terminal made by util-linux `script`, so its stdin is a
// TTY and it joins it to the remote pty in raw mode. What is typed runs inside the
// namespace on a real OpenSSH lab host; the CLI's exit status is the shell's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PromptIo } from '../../electron/cli/commands/apply-targets';
import { main } from '../../electron/cli/main';
import { EXAMPLES_DIR } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { quoteArg } from '../../shared/export/quote';

const skip = sshLabSkip('shell-cli');
const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');
const ROOT = join(import.meta.dirname, '..', '..');
const scope = new LabScope();
afterAll(() => scope.cleanup());

/** Runs the CLI on a pty (`script`); `feed` gets the output so far and returns what to type next. */
function onPty(argv: string[], steps: { wait: RegExp; type: string }[]): Promise<{ code: number | null; out: string }> {
  const command = ['node', join(ROOT, 'bin/wireplan.mjs'), ...argv].map(quoteArg).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
  let out = '';
  let step = 0;
  const advance = () => {
    while (step < steps.length && steps[step]!.wait.test(out)) child.stdin.write(steps[step++]!.type);
  };
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    advance();
  });
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  advance();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io: PromptIo = { out: () => {}, err: (t) => void (err += `${t}\n`), isTTY: false };
  return { code: await main(argv, io), err };
}

describe.skipIf(skip)('wireplan shell', () => {
  it('joins the terminal to a root shell inside the namespace; exits with the shell', async () => {
    const lab = await scope.lab();
    const made = await lab.exec('set -e; ip netns add app1; ip -n app1 link set lo up; ip -n app1 addr add 10.79.0.5/32 dev lo');
    expect(made.code, made.stderr).toBe(0);
    const ssh = ['--ssh', `lab=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
    const r = await onPty(['shell', example, 'app1', ...ssh], [
      // The shell is up once it answers; then the real work, then exit with a status of its own.
      { wait: /^/, type: 'echo "up-$((20+1))"\r' },
      { wait: /up-21/, type: 'ip -br addr; echo "ns=$(ip netns identify) uid=$(id -u) tty=$(tty)"\r' },
      { wait: /ns=app1 uid=0 tty=\/dev\/pts/, type: 'exit 7\r' },
    ]);
    expect(r.out).toMatch(/10\.79\.0\.5\/32/);
    expect(r.out).toMatch(/ns=app1 uid=0 tty=\/dev\/pts\/\d+/);
    expect(r.code, r.out).toBe(7);
  }, 60_000);

  it('refuses what it cannot open, with the reason', async () => {
    const noName = await cli(['shell', example, 'nope']);
    expect(noName.code).toBe(2);
    expect(noName.err).toContain('the design has no namespace or host "nope" (namespaces: app1, app2)');
    const sandbox = await cli(['shell', example, 'app1']);
    expect(sandbox.code).toBe(2);
    expect(sandbox.err).toContain('lab is a sandbox host');
    const usage = await cli(['shell', example]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: wireplan shell FILE NAMESPACE');
  });
});
