// The CLI's secrets against a real lab host whose client key is encrypted and whose login
// user needs a sudo password: without a terminal the command fails naming the flag and
// the variable; from 0600 files (flag or environment) it works; a file others can read
// is refused; on a real pseudo-terminal (util-linux `script`) both are asked without echo.
// The secrets never appear in argv, in the output or in the transcript.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptIo } from '../../electron/cli/commands/apply-targets';
import { ENV_PASSPHRASE_FILE, ENV_SUDO_PASSWORD_FILE } from '../../electron/cli/credentials';
import { main } from '../../electron/cli/main';
import { EXAMPLES_DIR } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';

const PASSPHRASE = 'Key-Pass-71c2-never-shown';
const SUDO_PW = 'Sudo-Pw-58ad-never-shown';
const labSkip = sshLabSkip('cli-credentials');
const skip = labSkip ?? (existsSync('/usr/bin/sudo') ? undefined : 'sudo is not installed here (Debian package: sudo)');
const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');
const REPO = join(__dirname, '../..');

const scope = new LabScope();
let lab: LabHost;
let ssh: string[];

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab({ clientKeyPassphrase: PASSPHRASE, user: { name: 'wpsudo', password: SUDO_PW, sudo: 'password' } });
  ssh = ['--ssh', `lab=wpsudo@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
});
afterAll(() => scope.cleanup());

function secretFile(name: string, text: string, mode = 0o600): string {
  const p = join(scope.dir, name);
  writeFileSync(p, `${text}\n`);
  chmodSync(p, mode);
  return p;
}

/** The CLI in this process, without a terminal. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: PromptIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false };
  const code = await main(argv, io);
  expect(out + err).not.toContain(PASSPHRASE);
  expect(out + err).not.toContain(SUDO_PW);
  return { code, out, err };
}

describe.skipIf(skip)('CLI credentials over SSH', () => {
  it('without a terminal: an encrypted key and a sudo password each fail, naming the flag and the variable', async () => {
    const key = await cli(['diff', example, ...ssh]);
    expect(key.code).toBe(2);
    expect(key.err).toMatch(new RegExp(`key ${lab.clientKeyPath} is encrypted and there is no terminal .*--passphrase-file FILE or ${ENV_PASSPHRASE_FILE}=FILE`));
    const pass = secretFile('passphrase', PASSPHRASE);
    const sudo = await cli(['diff', example, ...ssh, '--passphrase-file', pass]);
    expect(sudo.code).toBe(2);
    expect(sudo.err).toMatch(new RegExp(`wpsudo@${lab.address}: .*needs a sudo password.*--sudo-password-file FILE or ${ENV_SUDO_PASSWORD_FILE}=FILE`));
    expect(await cli(['diff', example, ...ssh, '--ask-pass'])).toMatchObject({ code: 2, err: expect.stringMatching(/--ask-pass needs a terminal on stdin/) });
  });

  it('from 0600 files (flags, or the environment) it logs in, becomes root and compares; a readable file or a wrong password is refused', async () => {
    const pass = secretFile('passphrase', PASSPHRASE);
    const pw = secretFile('sudo', SUDO_PW);
    const r = await cli(['diff', example, ...ssh, '--passphrase-file', pass, '--sudo-password-file', pw]);
    expect(r.code, r.err + r.out).toBe(1); // differences: nothing of the design is on the lab
    expect(r.out).toMatch(/lab \(ssh wpsudo@[\d.]+:22 \(sudo\)\): 0\/22 steps present/);

    process.env[ENV_PASSPHRASE_FILE] = pass;
    process.env[ENV_SUDO_PASSWORD_FILE] = pw;
    try {
      expect((await cli(['diff', example, ...ssh])).code).toBe(1);
    } finally {
      delete process.env[ENV_PASSPHRASE_FILE];
      delete process.env[ENV_SUDO_PASSWORD_FILE];
    }

    const open = secretFile('sudo-open', SUDO_PW, 0o644);
    expect(await cli(['diff', example, ...ssh, '--passphrase-file', pass, '--sudo-password-file', open])).toMatchObject({ code: 2, err: expect.stringMatching(/others can read or write it \(mode 644\); run chmod 600/) });
    const wrong = secretFile('sudo-wrong', 'not-the-password');
    expect(await cli(['diff', example, ...ssh, '--passphrase-file', pass, '--sudo-password-file', wrong])).toMatchObject({ code: 2, err: expect.stringMatching(/sudo did not accept wpsudo's password/) });
    const badPass = secretFile('pass-wrong', 'nope');
    expect(await cli(['diff', example, ...ssh, '--passphrase-file', badPass])).toMatchObject({ code: 2, err: expect.stringMatching(/does not decrypt key/) });
  });

  it('import (like status and check) takes the same secret options: it fails without a terminal naming the flag, and reads the lab with files', async () => {
    const target = ['--ssh', `wpsudo@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
    const out = join(scope.dir, 'imported.wireplan.json');
    const noTerminal = await cli(['import', ...target, '-o', out]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.err).toMatch(new RegExp(`key ${lab.clientKeyPath} is encrypted and there is no terminal .*--passphrase-file FILE or ${ENV_PASSPHRASE_FILE}=FILE`));
    expect(existsSync(out)).toBe(false);
    const pass = secretFile('passphrase', PASSPHRASE);
    const pw = secretFile('sudo', SUDO_PW);
    const r = await cli(['import', ...target, '-o', out, '--passphrase-file', pass, '--sudo-password-file', pw]);
    expect([0, 1], r.err + r.out).toContain(r.code);
    expect(existsSync(out)).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal it asks for both without echo (a real pseudo-terminal through script)', async () => {
    const command = ['node', join(REPO, 'bin/wireplan.mjs'), 'diff', example, ...ssh].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
    let transcript = '';
    const waiters: { re: RegExp; resolve: () => void }[] = [];
    child.stdout.on('data', (c: Buffer) => {
      transcript += c.toString('utf8');
      for (const w of [...waiters]) {
        if (!w.re.test(transcript)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    child.stderr.on('data', (c: Buffer) => void (transcript += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    /** Waits (bounded) for the terminal to show `re`: the program's own signal that it is asking. */
    const shown = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(transcript)) return resolve();
        const timer = setTimeout(() => reject(new Error(`terminal never showed ${re}:\n${transcript}`)), 60_000);
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    try {
      await shown(/Passphrase for key \S+: $/);
      child.stdin.write(`${PASSPHRASE}\r`);
      await shown(/\[sudo\] password for wpsudo@[\d.]+: $/);
      child.stdin.write(`${SUDO_PW}\r`);
      const code = await exited;
      expect(code, transcript).toBe(1);
      expect(transcript).toMatch(/0\/22 steps present/);
      expect(transcript).not.toContain(PASSPHRASE);
      expect(transcript).not.toContain(SUDO_PW);
    } finally {
      child.stdin.end();
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  });
});
