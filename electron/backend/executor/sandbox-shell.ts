// A shell in the local sandbox: a pty made by pty-relay.py on this machine, whose child
// enters the sandbox's namespaces with nsenter (as run() does) and then, for a namespace,
// `ip netns exec`. The relay leads its own process group; closing the session ends its
// stdin (the relay hangs the pty up, SIGHUP to the shell) and then kills the group.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { ChannelFailed } from './errors';
import { PTY_RELAY_PY } from './pty-relay.generated';
import { ShellCore } from './shell-core';
import { SHELL_TERM, shellArgv } from './shell-command';
import { checkShellSize, type ShellOptions, type ShellSession, type ShellSize } from './shell-types';

export function openSandboxShell(initPid: number, label: string, opts: ShellOptions): Promise<ShellSession> {
  checkShellSize(opts);
  const enter = ['nsenter', '-t', String(initPid), '--user', '--net', '--mount', '--pid', '--preserve-credentials', '--'];
  const argv = [...enter, ...shellArgv(opts.namespace)];
  const child = spawn('python3', ['-c', PTY_RELAY_PY, String(opts.cols), String(opts.rows), ...argv], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, TERM: SHELL_TERM },
  });
  const control = child.stdio[3] as Writable;
  const core = new ShellCore();
  let stderr = '';
  return new Promise((resolve, reject) => {
    let started = false;
    child.on('error', (e) => {
      if (started) return core.end({ reason: 'lost', message: e.message });
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new ChannelFailed(label, missing ? 'a shell in the sandbox needs python3 on this machine (Debian package: python3-minimal)' : `cannot start the shell: ${e.message}`, { cause: e }));
    });
    child.on('spawn', () => {
      started = true;
      resolve(session);
    });
    child.stdout.on('data', (b: Buffer) => core.push(b));
    // The relay itself writes to stderr only when it breaks (the shell's own stderr is the pty).
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    child.stdin.on('error', () => {});
    control.on('error', () => {});
    child.on('close', (code, sig) => {
      if (stderr.trim()) core.emit(`\r\n${stderr.trim().replace(/\n/g, '\r\n')}\r\n`);
      core.end(code === null ? { reason: 'exit', code: null, ...(sig ? { signal: sig } : {}) } : { reason: 'exit', code });
    });
    const session: ShellSession = {
      write(data) {
        if (!core.done && child.stdin.writable) child.stdin.write(data);
      },
      resize(size: ShellSize) {
        checkShellSize(size);
        if (!core.done && control.writable) control.write(`${size.cols} ${size.rows}\n`);
      },
      close() {
        if (core.done) return;
        core.end({ reason: 'closed' });
        child.stdin.end();
        control.end();
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL'); // the relay's own group, by its leader's PID
          } catch {
            /* already gone */
          }
        }
      },
      onData: (l) => core.onData(l),
      ended: core.ended,
    };
  });
}
