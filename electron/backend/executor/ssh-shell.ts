// A shell on an SSH host: a pty on an exec channel (ssh2's exec with a pty request, so the
// command is ours, not the login shell's), on a connection of its own so a long-lived shell
// never holds one of the channels runs share (sshd's MaxSessions counts them).
//
// As root, or with sudo rights that need no password, the command is simply the shell. With
// a sudo password, the password must reach `sudo -S` through the pty, which would echo it:
// the command first turns echo off and prints a random "ready" marker; only then does
// Wireplan send the password; once sudo runs shell-sudo.sh, that asks for a random boundary
// line, discards input up to it, turns echo on, prints a last marker and becomes the shell. Nothing before
// that marker is shown to the user (on failure, sudo's words are shown with the password
// masked).
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { shellCommand } from '../../../shared/export/quote';
import { ChannelFailed } from './errors';
import { ShellCore } from './shell-core';
import { SHELL_SUDO_SH } from './shell-sudo.generated';
import { SHELL_TERM } from './shell-command';
import type { SshConnection } from './ssh-connect';
import type { SudoMode } from './sudo';
import type { ShellSession, ShellSize } from './shell-types';

interface Prelude {
  command: string;
  /** Markers to wait for, in order, and what to send once each has been seen. */
  steps: { marker: string; send: string }[];
  password?: string;
}

function prelude(mode: SudoMode, password: string | undefined, argv: string[]): Prelude {
  switch (mode) {
    case 'already-root':
      return { command: shellCommand(argv), steps: [] };
    case 'nopasswd':
      return { command: shellCommand(['sudo', '-n', '--', ...argv]), steps: [] };
    case 'password': {
      if (password === undefined) throw new Error('sudo password mode without a password');
      const nonce = randomBytes(12).toString('hex');
      const ready = `wireplan-pty-ready-${nonce}`;
      const want = `wireplan-pty-want-${nonce}`;
      const boundary = `wireplan-pty-boundary-${nonce}`;
      const open = `wireplan-pty-open-${nonce}`;
      const sudo = shellCommand(['sudo', '-k', '-S', '-p', '', '--', 'bash', '-c', SHELL_SUDO_SH, 'wireplan-shell', want, boundary, open, ...argv]);
      return {
        command: `stty -echo && printf '%s\\n' ${ready} && exec ${sudo}`,
        steps: [
          { marker: ready, send: `${password}\n` },
          { marker: want, send: `${boundary}\n` },
          { marker: open, send: '' },
        ],
        password,
      };
    }
  }
}

export function openSshShell(conn: SshConnection, label: string, mode: SudoMode, password: string | undefined, argv: string[], size: ShellSize): Promise<ShellSession> {
  const pre = prelude(mode, password, argv);
  const core = new ShellCore();
  return new Promise((resolve, reject) => {
    if (conn.closed) return reject(conn.lostError());
    conn.client.exec(pre.command, { pty: { term: SHELL_TERM, cols: size.cols, rows: size.rows, width: 0, height: 0, modes: {} } }, (err, ch: ClientChannel) => {
      if (err) return reject(conn.closed ? conn.lostError() : new ChannelFailed(label, `could not open a shell channel: ${err.message}`, { cause: err }));
      // Output before the last marker is the prelude's (never shown unless sudo fails).
      let hidden = '';
      let step = 0;
      let exit: { code: number | null; signal?: string } | undefined;
      // What the user types while sudo is still starting waits for the shell.
      let typedEarly = '';
      ch.on('data', (b: Buffer) => {
        if (step >= pre.steps.length) return core.push(b);
        hidden += b.toString('latin1'); // markers are ASCII; bytes after them are re-decoded below
        for (;;) {
          const s = pre.steps[step];
          if (!s) break;
          const at = hidden.indexOf(s.marker);
          if (at < 0) break;
          const nl = hidden.indexOf('\n', at + s.marker.length);
          if (nl < 0) break;
          hidden = hidden.slice(nl + 1);
          if (s.send) ch.write(s.send);
          step++;
        }
        if (step >= pre.steps.length) {
          if (hidden) core.push(Buffer.from(hidden, 'latin1'));
          hidden = '';
          if (typedEarly) ch.write(typedEarly);
          typedEarly = '';
        }
        if (hidden.length > 65536) hidden = hidden.slice(-65536);
      });
      ch.stderr.on('data', (b: Buffer) => core.push(b)); // a pty merges them; kept for servers that do not
      ch.on('exit', (code: number | null, sig?: string) => {
        exit = code === null || code === undefined ? { code: null, ...(sig ? { signal: sig } : {}) } : { code };
      });
      ch.on('error', () => {});
      const stopWatching = conn.onClose(() => core.end({ reason: 'lost', message: conn.lostError().message }));
      ch.on('close', () => {
        stopWatching();
        if (step < pre.steps.length) {
          const said = hidden.replace(/wireplan-pty-\S+/g, '').trim();
          const masked = pre.password ? said.split(pre.password).join('***') : said;
          core.end({ reason: 'lost', message: `${label}: sudo did not start the shell${masked ? ` (it said: ${masked.slice(0, 300)})` : ''}` });
        } else if (exit) core.end({ reason: 'exit', ...exit });
        else if (conn.closed) core.end({ reason: 'lost', message: conn.lostError().message });
        else core.end({ reason: 'exit', code: null });
        void conn.end();
      });
      resolve({
        write(data) {
          if (core.done) return;
          if (step >= pre.steps.length) ch.write(data);
          else typedEarly += data;
        },
        resize(s) {
          if (!core.done) ch.setWindow(s.rows, s.cols, 0, 0);
        },
        close() {
          if (core.done) return;
          core.end({ reason: 'closed' });
          try {
            ch.close();
          } catch {
            /* already gone */
          }
          void conn.end();
        },
        onData: (l) => core.onData(l),
        ended: core.ended,
      });
    });
  });
}
