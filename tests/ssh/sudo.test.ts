// Becoming root through sudo on a host where Wireplan logs in as an ordinary user. The
// sudo password must travel only on stdin: never in a process list, log, or output.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SudoRequired } from '../../electron/backend/executor';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const PASSWORD = 'Sudo-Pw-3b9e-never-shown';
const labSkip = sshLabSkip('sudo');
const sudoSkip = labSkip ?? (existsSync('/usr/bin/sudo') ? undefined : 'sudo is not installed here (Debian package: sudo)');
if (!labSkip && sudoSkip) console.log(`[sudo] skipped: ${sudoSkip}`);

const scope = new LabScope();
let lab: LabHost;

beforeAll(async () => {
  if (sudoSkip) return;
  lab = await scope.lab({ user: { name: 'wpsudo', password: PASSWORD, sudo: 'password' } });
});
afterAll(() => scope.cleanup());

const asUser = (opts: Parameters<LabScope['executor']>[1] = {}) => scope.executor(lab, { username: 'wpsudo', ...opts });

/** Rewrites one sudoers line in place (the file is a bind mount: sed -i's rename would fail). */
async function editSudoers(from: string, to: string): Promise<void> {
  const r = await lab.exec(`grep -qxF '${from}' /etc/sudoers && sed 's/^${from}$/${to}/' /etc/sudoers > /tmp/sudoers && cat /tmp/sudoers > /etc/sudoers`);
  expect(r.code, r.stderr).toBe(0);
}

/** Every argv and environment of every process in the lab, read without naming the secret. */
async function processTexts(): Promise<string> {
  const r = await lab.exec('for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline; echo; tr "\\0" " " < $p/environ; echo; done 2>/dev/null');
  return r.stdout;
}

describe.skipIf(sudoSkip)('sudo', () => {
  it('runs commands as root with the password on stdin, and stdin still reaches the command intact', async () => {
    const ex = asUser({ sudo: { password: PASSWORD } });
    expect(await ex.preflightSudo()).toBe('password');
    expect((await ex.run('id -u')).stdout).toBe('0\n');
    const input = 'line one\nline two\n';
    const r = await ex.run('cat', { stdin: input });
    expect(r).toEqual({ code: 0, stdout: input, stderr: '' });
    // A plan streamed to `bash -s` runs as root and sees none of the password.
    const plan = await ex.run('bash -s', { stdin: 'id -u\nwhile read -r l; do echo "rest:$l"; done\nleft over\n' });
    expect(plan.stdout).toBe('0\nrest:left over\n');
  });

  it('a run cancelled while the shared sudo probe runs fails alone; the run beside it goes through', async () => {
    const ex = asUser({ sudo: { password: PASSWORD } });
    const ctl = new AbortController();
    const cancelled = ex.run('id -u', { signal: ctl.signal });
    const beside = ex.run('id -u');
    ctl.abort(); // before the probe both runs wait for has answered
    await expect(cancelled).rejects.toMatchObject({ kind: 'Cancelled' });
    expect((await beside).stdout).toBe('0\n');
    expect((await ex.run('id -u')).stdout).toBe('0\n');
  });

  it('never shows the password in the host\'s process list, environment, sshd log, or our logs', async () => {
    const ex = asUser({ sudo: { password: PASSWORD } });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const long = ex.run('echo started; sleep 2; echo done', { onStdout: (c) => c.includes('started') && started() });
    await running;
    const texts = await processTexts();
    expect(texts).toContain('sudo -k -S'); // we did look at the sudo process itself
    expect(texts).not.toContain(PASSWORD);
    expect((await long).stdout).toBe('started\ndone\n');
    expect(lab.sshdLog()).not.toContain(PASSWORD);
    expect(scope.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('never feeds the password to the command even if sudo stops asking for it', async () => {
    const ex = asUser({ sudo: { password: PASSWORD } });
    expect(await ex.preflightSudo()).toBe('password');
    // The admin switches the user to NOPASSWD after our probe: sudo no longer reads stdin.
    await editSudoers('wpsudo ALL=(ALL:ALL) ALL', 'wpsudo ALL=(ALL:ALL) NOPASSWD: ALL');
    try {
      const r = await ex.run('cat', { stdin: 'only this\n' });
      expect(r.stdout).toBe('only this\n');
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      // A fresh executor now detects NOPASSWD and sends no password at all.
      const fresh = asUser({ sudo: { password: PASSWORD } });
      expect(await fresh.preflightSudo()).toBe('nopasswd');
      expect((await fresh.run('id -u; cat', { stdin: 'x\n' })).stdout).toBe('0\nx\n');
    } finally {
      await editSudoers('wpsudo ALL=(ALL:ALL) NOPASSWD: ALL', 'wpsudo ALL=(ALL:ALL) ALL');
    }
  });

  it('says SudoRequired when a password is needed but missing or wrong, without echoing it', async () => {
    const none = asUser({ sudo: true });
    const e1 = await none.run('id -u').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(SudoRequired);
    expect((e1 as Error).message).toMatch(/needs a sudo password/);

    const wrong = asUser({ sudo: { password: 'not-the-password' } });
    const e2 = await wrong.run('id -u').catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(SudoRequired);
    expect((e2 as Error).message).not.toContain('not-the-password');
  });

  it('needs no sudo for root logins, and refuses a user without sudo rights', async () => {
    const root = scope.executor(lab, { sudo: true });
    expect(await root.preflightSudo()).toBe('already-root');
    expect((await root.run('id -u')).stdout).toBe('0\n');

    await editSudoers('wpsudo ALL=(ALL:ALL) ALL', '# revoked');
    try {
      const ex = asUser({ sudo: { password: PASSWORD } });
      const err = await ex.run('id -u').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SudoRequired);
      expect((err as Error).message).toMatch(/not in the sudoers file|not allowed/);
    } finally {
      await editSudoers('# revoked', 'wpsudo ALL=(ALL:ALL) ALL');
    }
  });
});
