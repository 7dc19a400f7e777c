// Runs a local program with the HostExecutor run() semantics (stdin, streaming, abort).
// The child leads its own process group so an abort kills the whole command, not just
// the first process.
import { spawn } from 'node:child_process';
import { Cancelled, ChannelFailed } from './errors';
import { CommandOutput } from './output';
import type { RunOptions, RunResult } from './types';

export type ChildRunOptions = Omit<RunOptions, 'timeoutMs'> & { signal: AbortSignal };

export function runChild(argv: readonly string[], label: string, opts: ChildRunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('runChild: empty argv'));
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Cancelled(label, 'run cancelled'));
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL'); // the group we created, by its leader's PID
        } catch {
          /* already gone */
        }
      }
      settle(() => reject(signal.reason instanceof Error ? signal.reason : new Cancelled(label, 'run cancelled')));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const output = new CommandOutput(opts);
    child.stdout.on('data', output.onStdout);
    child.stderr.on('data', output.onStderr);
    child.on('error', (e) => settle(() => reject(new ChannelFailed(label, `cannot start ${file}: ${e.message}`, { cause: e }))));
    child.on('close', (code, sig) => {
      output.end();
      const { stdout, stderr } = output;
      settle(() => resolve(code === null ? { code: null, ...(sig ? { signal: sig } : {}), stdout, stderr } : { code, stdout, stderr }));
    });
    // A command that exits without reading all of stdin closes the pipe: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
  });
}
