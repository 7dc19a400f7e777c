// One command on one SSH exec channel. Never shell()/pty: those merge the streams, add
// CRLF and lose the exit status. Both output streams are always read, because a remote
// command blocks forever once an unread stdout or stderr window fills up.
import type { ClientChannel } from 'ssh2';
import { ChannelFailed, Cancelled } from './errors';
import { CommandOutput } from './output';
import type { SshConnection } from './ssh-connect';
import type { RunOptions, RunResult } from './types';

interface ChannelInternals {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, name: string): void } };
}

/**
 * Asks sshd to signal the command's process group. ssh2's public signal() is silently a
 * no-op once stdin has been ended (always, here), so the request goes to the protocol
 * directly while the channel is open. OpenSSH only honours it for sessions that run under
 * privilege separation, i.e. not for root logins: there the command keeps running after
 * a cancel, which is why plans run under an on-host runner with its own journal and lock.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const c = channel as unknown as ChannelInternals;
  const state = c.outgoing?.state;
  if (c.outgoing && (state === 'open' || state === 'eof') && c._client?._protocol) c._client._protocol.signal(c.outgoing.id, name);
  else channel.signal(name);
}

export type ChannelRunOptions = Omit<RunOptions, 'timeoutMs'> & { signal: AbortSignal };

export function execChannel(conn: SshConnection, label: string, command: string, opts: ChannelRunOptions): Promise<RunResult> {
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => {
      if (channel) {
        try {
          sendSignal(channel, 'KILL');
          channel.close();
        } catch {
          /* the channel may already be gone */
        }
      }
      settle(() => reject(signal.reason instanceof Error ? signal.reason : new Cancelled(label, 'run cancelled')));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (conn.closed) return settle(() => reject(conn.lostError()));

    conn.client.exec(command, (err, ch) => {
      if (err) {
        return settle(() =>
          reject(conn.closed ? conn.lostError() : new ChannelFailed(label, `could not open an exec channel: ${err.message}`, { cause: err, openRefused: true })),
        );
      }
      if (settled) {
        ch.close(); // aborted while the channel was opening
        return;
      }
      channel = ch;
      const output = new CommandOutput(opts);
      let exit: { code: number | null; signal?: string } | undefined;
      ch.on('data', output.onStdout);
      ch.stderr.on('data', output.onStderr);
      ch.on('exit', (code: number | null, sig?: string) => {
        exit = code === null || code === undefined ? { code: null, ...(sig ? { signal: sig } : {}) } : { code };
      });
      // Stream errors (e.g. writing stdin to a command that already exited) end in 'close' anyway.
      const channelErrors: Error[] = [];
      ch.on('error', (e: Error) => channelErrors.push(e));
      ch.stderr.on('error', (e: Error) => channelErrors.push(e));
      ch.on('close', () => {
        output.end();
        const { stdout, stderr } = output;
        if (exit) return settle(() => resolve({ ...exit!, stdout, stderr }));
        if (conn.closed) return settle(() => reject(conn.lostError()));
        // The server closed the channel without an exit status: reported as a failure.
        const why = channelErrors[0]?.message;
        settle(() => resolve({ code: null, stdout, stderr: why ? `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}[channel: ${why}]` : stderr }));
      });
      // Always send EOF: a command that reads stdin must not wait for input that never comes.
      if (opts.stdin === undefined) ch.end();
      else ch.end(opts.stdin);
    });
  });
}
