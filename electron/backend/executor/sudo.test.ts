import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SudoRequired } from './errors';
import { asRoot, probeSudo, type RawRun } from './sudo';
import type { RunResult } from './types';

const PW = "p4ss 'with' $pecial;chars";
const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' });
const fail = (code: number, stderr: string): RunResult => ({ code, stdout: '', stderr });

describe('sudo', () => {
  it('leaves commands alone for root and wraps them for NOPASSWD', () => {
    expect(asRoot('already-root', 'ip link', 'in', undefined)).toEqual({ command: 'ip link', stdin: 'in' });
    expect(asRoot('nopasswd', "echo 'x'", undefined, undefined)).toEqual({ command: `sudo -n -- bash -c 'echo '\\''x'\\'''` });
  });

  it('puts the password on stdin only, ahead of a boundary line that the command skips', () => {
    const r = asRoot('password', 'cat', 'payload\n', PW);
    expect(r.command).not.toContain(PW);
    const stdin = Buffer.from(r.stdin!).toString();
    const [pw, boundary, ...rest] = stdin.split('\n');
    expect(pw).toBe(PW);
    expect(boundary).toMatch(/^wireplan-stdin-[0-9a-f]{24}$/);
    expect(r.command).toContain(boundary);
    expect(rest.join('\n')).toBe('payload\n');
  });

  it('the boundary wrapper hands exactly the caller\'s stdin to the command, whether or not sudo read the password', () => {
    // Run the wrapper locally without sudo: the password line is still in the stream
    // (as when sudo skips its prompt) and must be discarded, never seen by `cat`.
    const r = asRoot('password', 'cat; echo end', 'a\nb\n', PW);
    const withoutSudo = r.command.replace(/^sudo -k -S -p '' -- /, '');
    const out = spawnSync('bash', ['-c', withoutSudo], { input: r.stdin, encoding: 'utf8' });
    expect(out.stdout).toBe('a\nb\nend\n');
    expect(out.stdout + out.stderr).not.toContain('p4ss');
  });

  it('probes root, NOPASSWD, password, and says why sudo cannot help', async () => {
    const script = (answers: Record<string, RunResult>): RawRun => async (cmd) => answers[cmd] ?? fail(1, `unexpected ${cmd}`);
    expect(await probeSudo(script({ 'id -u': ok('0\n') }), 'h', 'root', undefined)).toBe('already-root');
    expect(await probeSudo(script({ 'id -u': ok('1000\n'), 'sudo -k -n true': ok() }), 'h', 'u', undefined)).toBe('nopasswd');
    const needPw = { 'id -u': ok('1000\n'), 'sudo -k -n true': fail(1, 'sudo: a password is required\n') };
    expect(await probeSudo(script({ ...needPw, "sudo -k -S -p '' true": ok() }), 'h', 'u', PW)).toBe('password');
    await expect(probeSudo(script(needPw), 'h', 'u', undefined)).rejects.toThrow(/needs a sudo password/);
    await expect(probeSudo(script({ 'id -u': ok('1000\n'), 'sudo -k -n true': fail(127, 'bash: sudo: command not found') }), 'h', 'u', PW)).rejects.toThrow(
      /Debian package: sudo/,
    );
    const echoing = script({ ...needPw, "sudo -k -S -p '' true": fail(1, `sudo: bad ${PW}\n`) });
    const err = await probeSudo(echoing, 'h', 'u', PW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SudoRequired);
    expect((err as Error).message).not.toContain(PW);
  });
});
