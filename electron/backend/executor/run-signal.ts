// One AbortSignal per run that fires for the caller's abort (Cancelled) or the run's
// deadline (Timeout), so every waiting step (connection, channel slot, command) stops
// for the same reason and the caller gets one typed error.
import { Cancelled, Timeout } from './errors';

export interface RunScope {
  signal: AbortSignal;
  dispose(): void;
}

export function runScope(label: string, what: string, opts: { signal?: AbortSignal; timeoutMs?: number }, extra?: AbortSignal): RunScope {
  const ctl = new AbortController();
  const onCaller = () => ctl.abort(new Cancelled(label, `${what} cancelled`));
  const onExtra = () => ctl.abort(extra!.reason);
  let timer: NodeJS.Timeout | undefined;
  if (opts.timeoutMs !== undefined) {
    const ms = opts.timeoutMs;
    timer = setTimeout(() => ctl.abort(new Timeout(label, what, ms)), ms);
  }
  if (opts.signal?.aborted) onCaller();
  else opts.signal?.addEventListener('abort', onCaller, { once: true });
  if (extra?.aborted) onExtra();
  else extra?.addEventListener('abort', onExtra, { once: true });
  return {
    signal: ctl.signal,
    dispose() {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCaller);
      extra?.removeEventListener('abort', onExtra);
    },
  };
}

/** Waits for `p`, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A short, single-line form of a command for error messages. */
export function commandSummary(command: string): string {
  const one = command.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `"${one.slice(0, 57)}..."` : `"${one}"`;
}
