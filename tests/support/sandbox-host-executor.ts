// A HostExecutor that runs its command lines inside a test Sandbox (tests/support/
// sandbox.ts) or anything with the same spawn(): the backend engines (the connectivity
// check) then run against the very namespaces a test built, without SSH. Streams stdout
// as it comes (the check's serve runs announce readiness that way), feeds stdin, honours
// timeoutMs (the sandbox's own `timeout` kills the command inside) and AbortSignal.
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { Cancelled, ConnectionLost } from '../../electron/backend/executor/errors';
import type { HostExecutor, RunOptions, RunResult } from '../../electron/backend/executor/types';

interface Spawner {
  spawn(argv: readonly string[], opts?: { ns?: string | null; timeoutMs?: number }): ChildProcess;
}

export function sandboxHostExecutor(sb: Spawner, label = 'test sandbox'): HostExecutor & { runs: number } {
  let closed = false;
  const exec = {
    runs: 0,
    describe: () => label,
    close: async () => {
      closed = true;
    },
    run(command: string, opts: RunOptions = {}): Promise<RunResult> {
      if (closed) return Promise.reject(new ConnectionLost(label, 'closed'));
      exec.runs++;
      const child = sb.spawn(['bash', '-c', command], { timeoutMs: opts.timeoutMs ?? 120_000 });
      return new Promise<RunResult>((resolve, reject) => {
        const out = new StringDecoder('utf8');
        const err = new StringDecoder('utf8');
        let stdout = '';
        let stderr = '';
        const onAbort = () => {
          child.kill('SIGKILL');
          reject(new Cancelled(label, `command ${command.slice(0, 40)}`));
        };
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout?.on('data', (b: Buffer) => {
          const s = out.write(b);
          stdout += s;
          if (s) opts.onStdout?.(s);
        });
        child.stderr?.on('data', (b: Buffer) => {
          const s = err.write(b);
          stderr += s;
          if (s) opts.onStderr?.(s);
        });
        child.on('error', (e) => reject(new ConnectionLost(label, e.message)));
        child.on('close', (code, signal) => {
          opts.signal?.removeEventListener('abort', onAbort);
          stdout += out.end();
          stderr += err.end();
          resolve({ code, ...(signal ? { signal } : {}), stdout, stderr });
        });
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(opts.stdin ?? '');
      });
    },
  };
  return exec;
}
