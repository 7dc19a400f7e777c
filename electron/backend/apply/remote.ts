// Running the engine's own commands on a host: which executor failures are worth a retry
// (the connection, not the command), backoff, and a checked run that throws with the
// command's stderr when it exits non-zero.
import { isExecutorError, type HostExecutor, type RunOptions, type RunResult } from '../executor';

/** Failures of the path to the host (not of the command): reconnecting may help. */
export function isTransient(e: unknown): boolean {
  return isExecutorError(e) && ['ConnectionLost', 'ChannelFailed', 'Timeout', 'HostUnreachable'].includes(e.kind);
}

export class RemoteCommandError extends Error {
  constructor(
    readonly what: string,
    readonly result: RunResult,
  ) {
    super(`${what} failed (exit ${result.code ?? result.signal ?? 'unknown'}): ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ') || 'no output'}`);
  }
}

export async function runChecked(exec: HostExecutor, what: string, command: string, opts: RunOptions = {}): Promise<RunResult> {
  const r = await exec.run(command, opts);
  if (r.code !== 0) throw new RemoteCommandError(what, r);
  return r;
}

export interface RetryOptions {
  /** Give up retrying after this long (from the first failure). */
  deadlineMs: number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff from 200 ms up to 3 s between attempts. */
export function backoffMs(attempt: number): number {
  return Math.min(3000, 200 * 2 ** Math.min(attempt, 4));
}

/** Runs `fn` again after transient failures (with backoff) until it succeeds or the deadline passes. */
export async function withReconnect<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let firstFailure: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e) || opts.signal?.aborted) throw e;
      firstFailure ??= performance.now();
      const delay = backoffMs(attempt);
      if (performance.now() - firstFailure + delay > opts.deadlineMs) throw e;
      opts.onRetry?.(attempt + 1, e, delay);
      await sleep(delay, opts.signal);
    }
  }
}
