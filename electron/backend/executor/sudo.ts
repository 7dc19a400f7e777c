// Becoming root on a host where Wireplan logs in as an ordinary user. The sudo password
// travels only as the first line of the command's stdin (`sudo -S -p ''` reads it one
// byte at a time, so the rest of stdin reaches the command untouched); it never appears
// in argv, in the remote process list, in logs, or in error messages.
import { randomBytes } from 'node:crypto';
import { shellCommand } from '../../../shared/export/quote';
import { SudoRequired } from './errors';
import { SUDO_BOUNDARY_SH } from './sudo-boundary.generated';
import type { RunResult } from './types';

/** How commands become root on this host, decided once per executor by probeSudo. */
export type SudoMode = 'already-root' | 'nopasswd' | 'password';

export type RawRun = (command: string, stdin?: string | Buffer) => Promise<RunResult>;

/**
 * `-k` ignores any cached sudo ticket, so the probe tells NOPASSWD rights apart from a
 * ticket that happens to be fresh; a later command that skipped the password prompt
 * would otherwise read the password line as its own input.
 */
const PROBE_NOPASSWD = shellCommand(['sudo', '-k', '-n', 'true']);
const PROBE_PASSWORD = shellCommand(['sudo', '-k', '-S', '-p', '', 'true']);


export async function probeSudo(run: RawRun, label: string, user: string, password: string | undefined): Promise<SudoMode> {
  const id = await run('id -u');
  if (id.code === 0 && id.stdout.trim() === '0') return 'already-root';
  const n = await run(PROBE_NOPASSWD);
  if (n.code === 0) return 'nopasswd';
  if (n.code === 127) throw new SudoRequired(label, `${user} is not root and sudo is not installed on the host (Debian package: sudo)`);
  if (password === undefined) {
    throw new SudoRequired(label, `${user} needs a sudo password to become root (sudo said: ${firstLine(n.stderr)})`);
  }
  const p = await run(PROBE_PASSWORD, `${password}\n`);
  if (p.code === 0) return 'password';
  throw new SudoRequired(label, `sudo did not accept ${user}'s password or rights (sudo said: ${redact(firstLine(p.stderr), password)})`);
}

/** The command line and stdin that run `command` as root in the given mode. */
export function asRoot(mode: SudoMode, command: string, stdin: string | Buffer | undefined, password: string | undefined): { command: string; stdin?: string | Buffer } {
  switch (mode) {
    case 'already-root':
      return { command, ...(stdin !== undefined ? { stdin } : {}) };
    case 'nopasswd':
      return { command: shellCommand(['sudo', '-n', '--', 'bash', '-c', command]), ...(stdin !== undefined ? { stdin } : {}) };
    case 'password': {
      if (password === undefined) throw new Error('sudo password mode without a password');
      // If sudo ever skips the prompt (rights changed to NOPASSWD since the probe), the
      // password line would reach the command. So the command first discards everything up
      // to a random boundary line, then reads the caller's stdin from there (sudo-boundary.sh).
      const boundary = `wireplan-stdin-${randomBytes(12).toString('hex')}`;
      const head = Buffer.from(`${password}\n${boundary}\n`, 'utf8');
      const rest = stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8');
      return {
        command: shellCommand(['sudo', '-k', '-S', '-p', '', '--', 'bash', '-c', SUDO_BOUNDARY_SH, 'wireplan-sudo', boundary, command]),
        stdin: Buffer.concat([head, rest]),
      };
    }
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] || 'nothing';
}

function redact(s: string, secret: string): string {
  return secret ? s.split(secret).join('***') : s;
}
