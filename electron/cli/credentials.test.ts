import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';
import { CREDENTIAL_OPTIONS, Credentials, ENV_SUDO_PASSWORD_FILE, readSecretFile } from './credentials';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-creds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

const io = (tty: boolean, answers: string[] = []) => ({ out: () => {}, err: () => {}, isTTY: tty, asked: [] as string[], askSecret(q: string) { this.asked.push(q); return Promise.resolve(answers.shift() ?? ''); } });

describe('secret files', () => {
  it('reads the one line of a file only its owner can read', async () => {
    expect(await readSecretFile(file('a', 'pw with spaces\n', 0o600), 'sudo password')).toBe('pw with spaces');
    expect(await readSecretFile(file('b', 'pw', 0o400), 'sudo password')).toBe('pw');
  });
  it('refuses files others can read, several lines, empty or missing files, naming the fix', async () => {
    await expect(readSecretFile(file('c', 'pw\n', 0o644), 'sudo password')).rejects.toThrow(/others can read or write it \(mode 644\); run chmod 600/);
    await expect(readSecretFile(file('d', 'a\nb\n', 0o600), 'passphrase')).rejects.toThrow(/expected one line, found 2/);
    await expect(readSecretFile(file('e', '\n', 0o600), 'passphrase')).rejects.toThrow(/empty/);
    await expect(readSecretFile(join(dir, 'nope'), 'passphrase')).rejects.toThrow(/no such file/);
    await expect(readSecretFile(dir, 'passphrase')).rejects.toBeInstanceOf(UsageError);
  });
});

describe('sudo password source', () => {
  const args = (argv: string[]) => parseArgs(argv, CREDENTIAL_OPTIONS);
  it('without a terminal and without a file, the error names the flag and the variable', async () => {
    const c = new Credentials(args([]), io(false), {});
    await expect(c.sudoPassword('deploy@h', 'deploy needs a sudo password')).rejects.toThrow(/--sudo-password-file FILE or WIREPLAN_SUDO_PASSWORD_FILE=FILE/);
    expect(() => new Credentials(args(['--ask-sudo-pass']), io(false), {})).toThrow(/needs a terminal on stdin; without one give --sudo-password-file/);
  });
  it('a file (flag or environment) serves every host; a terminal is asked once per login', async () => {
    const f = file('pw', 'secret\n', 0o600);
    const fromEnv = new Credentials(args([]), io(false), { [ENV_SUDO_PASSWORD_FILE]: f });
    expect(fromEnv.sudoGiven).toBe(true);
    expect(await fromEnv.sudoPassword('a@h1')).toBe('secret');
    const t = io(true, ['typed', 'other']);
    const asked = new Credentials(args([]), t, {});
    expect(await asked.sudoPassword('a@h1')).toBe('typed');
    expect(await asked.sudoPassword('a@h1')).toBe('typed');
    expect(await asked.sudoPassword('b@h2')).toBe('other');
    expect(t.asked).toEqual(['[sudo] password for a@h1: ', '[sudo] password for b@h2: ']);
    expect(() => new Credentials(args(['--ask-sudo-pass', '--sudo-password-file', f]), t, {})).toThrow(/exclude each other/);
  });
});
