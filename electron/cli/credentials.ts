// Secrets the CLI needs to reach a host: the passphrase of an encrypted key and a sudo
// password. Never from argv (any local user can read a process list): typed on the
// terminal without echo, or read from a file only its owner can read, named by a flag or
// an environment variable. Without a terminal and without a file the command fails and
// says which flag or variable to use.
import { open, readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { UsageError, type OptionSpec, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { readSecret } from './prompt';

export const CREDENTIAL_OPTIONS: OptionSpec[] = [{ name: 'ask-pass' }, { name: 'ask-sudo-pass' }, { name: 'passphrase-file', value: true }, { name: 'sudo-password-file', value: true }];

export const ENV_PASSPHRASE_FILE = 'WIREPLAN_KEY_PASSPHRASE_FILE';
export const ENV_SUDO_PASSWORD_FILE = 'WIREPLAN_SUDO_PASSWORD_FILE';

export const CREDENTIAL_HELP = `  --ask-pass              ask for the key's passphrase on the terminal (the default for an
                          encrypted key when stdin is a terminal)
  --ask-sudo-pass         ask for the sudo password on the terminal (the default when the
                          login user needs one and stdin is a terminal)
  --passphrase-file FILE  the key's passphrase, from a file only you can read (mode 0600);
                          or set ${ENV_PASSPHRASE_FILE}
  --sudo-password-file FILE   the sudo password, from such a file; or set ${ENV_SUDO_PASSWORD_FILE}
  Secrets are never taken from the command line.`;

/** The CLI's terminal, as far as secrets go. */
export interface SecretIo extends CliIo {
  /** Overrides "is stdin a terminal" (tests). */
  isTTY?: boolean;
  /** Reads a secret without echo (tests); default: the real terminal. */
  askSecret?(question: string): Promise<string>;
}

const MAX_FILE = 4096;

/** A secret from a file: a regular file owned by this user, unreadable by others; its first line. */
export async function readSecretFile(path: string, what: string): Promise<string> {
  let text: string;
  try {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new UsageError(`${what} file ${path}: not a regular file`);
      const uid = process.getuid?.();
      if (uid !== undefined && st.uid !== uid) throw new UsageError(`${what} file ${path}: owned by uid ${st.uid}, not by you (uid ${uid})`);
      if ((st.mode & 0o077) !== 0) throw new UsageError(`${what} file ${path}: others can read or write it (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${path}`);
      if (st.size > MAX_FILE) throw new UsageError(`${what} file ${path}: larger than ${MAX_FILE} bytes; expected one line`);
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${what} file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
  }
  const [first = '', ...rest] = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (rest.length) throw new UsageError(`${what} file ${path}: expected one line, found ${rest.length + 1}`);
  if (first === '') throw new UsageError(`${what} file ${path}: empty`);
  return first;
}

/** Whether a private key file is encrypted (it needs a passphrase); unreadable keys are left to the login to report. */
export async function keyIsEncrypted(path: string): Promise<boolean> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return false;
  }
  const parsed = ssh2.utils.parseKey(data);
  return parsed instanceof Error && /encrypted|passphrase|bad decrypt/i.test(parsed.message);
}

function passphraseOk(data: Buffer, passphrase: string): boolean {
  return !(ssh2.utils.parseKey(data, passphrase) instanceof Error);
}

const TRIES = 3;

/** Asks for and remembers the secrets of one command run (one passphrase per key, one sudo password per login). */
export class Credentials {
  private readonly passphrases = new Map<string, Promise<string | undefined>>();
  private readonly sudoPasswords = new Map<string, Promise<string>>();
  private readonly askPass: boolean;
  private readonly askSudo: boolean;
  private readonly passFile: string | undefined;
  private readonly sudoFile: string | undefined;

  constructor(
    args: ParsedArgs,
    private readonly io: SecretIo,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.askPass = args.flags.has('ask-pass');
    this.askSudo = args.flags.has('ask-sudo-pass');
    this.passFile = args.values.get('passphrase-file')?.[0] ?? (env[ENV_PASSPHRASE_FILE] || undefined);
    this.sudoFile = args.values.get('sudo-password-file')?.[0] ?? (env[ENV_SUDO_PASSWORD_FILE] || undefined);
    if (this.askPass && this.passFile) throw new UsageError('--ask-pass and a passphrase file (--passphrase-file or ' + ENV_PASSPHRASE_FILE + ') exclude each other');
    if (this.askSudo && this.sudoFile) throw new UsageError('--ask-sudo-pass and a sudo password file (--sudo-password-file or ' + ENV_SUDO_PASSWORD_FILE + ') exclude each other');
    if ((this.askPass || this.askSudo) && !this.terminal()) {
      throw new UsageError(`${this.askPass ? '--ask-pass' : '--ask-sudo-pass'} needs a terminal on stdin; without one give ${this.askPass ? `--passphrase-file FILE or ${ENV_PASSPHRASE_FILE}` : `--sudo-password-file FILE or ${ENV_SUDO_PASSWORD_FILE}`} (a file of mode 0600)`);
    }
  }

  private terminal(): boolean {
    return this.io.isTTY ?? process.stdin.isTTY === true;
  }

  private ask(question: string): Promise<string> {
    return this.io.askSecret ? this.io.askSecret(question) : readSecret(question);
  }

  /** The passphrase for key `path` when it is encrypted; undefined when it is not. */
  passphrase(path: string): Promise<string | undefined> {
    let p = this.passphrases.get(path);
    if (!p) {
      p = this.findPassphrase(path);
      this.passphrases.set(path, p);
    }
    return p;
  }

  private async findPassphrase(path: string): Promise<string | undefined> {
    if (!(await keyIsEncrypted(path))) return undefined;
    const data = await readFile(path);
    if (this.passFile) {
      const pass = await readSecretFile(this.passFile, 'passphrase');
      if (!passphraseOk(data, pass)) throw new UsageError(`the passphrase in ${this.passFile} does not decrypt key ${path}`);
      return pass;
    }
    if (!this.terminal()) {
      throw new UsageError(
        `key ${path} is encrypted and there is no terminal to ask for its passphrase: give it with --passphrase-file FILE or ${ENV_PASSPHRASE_FILE}=FILE (a file of mode 0600 holding the passphrase), or load the key into ssh-agent`,
      );
    }
    for (let i = 0; i < TRIES; i++) {
      const pass = await this.ask(`Passphrase for key ${path}: `);
      if (passphraseOk(data, pass)) return pass;
      this.io.err('wrong passphrase; try again');
    }
    throw new UsageError(`${TRIES} wrong passphrases for key ${path}`);
  }

  /** Whether a sudo password was given up front (a file, or --ask-sudo-pass). */
  get sudoGiven(): boolean {
    return this.sudoFile !== undefined || this.askSudo;
  }

  /**
   * The sudo password of `login` (user@address): from the file, or asked on the terminal.
   * `needed` is why it is needed (sudo's own words), for the error without a terminal.
   */
  sudoPassword(login: string, needed?: string): Promise<string> {
    const key = this.sudoFile ? '' : login; // one file serves every host
    let p = this.sudoPasswords.get(key);
    if (!p) {
      p = this.findSudoPassword(login, needed);
      this.sudoPasswords.set(key, p);
    }
    return p;
  }

  private async findSudoPassword(login: string, needed: string | undefined): Promise<string> {
    if (this.sudoFile) return readSecretFile(this.sudoFile, 'sudo password');
    if (!this.terminal()) {
      throw new UsageError(
        `${login}: ${needed ?? 'sudo needs a password'}; there is no terminal to ask for it: give it with --sudo-password-file FILE or ${ENV_SUDO_PASSWORD_FILE}=FILE (a file of mode 0600 holding the password)`,
      );
    }
    const pass = await this.ask(`[sudo] password for ${login}: `);
    if (pass === '') throw new UsageError(`${login}: no sudo password given`);
    return pass;
  }
}
