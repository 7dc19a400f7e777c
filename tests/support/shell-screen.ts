// Reads a ShellSession the way a person watching the terminal would: everything it has
// printed so far, and a wait for text to appear (the readiness signal is the output itself,
// never a sleep). The end of the session is raced in, so a shell that died fails at once.
import type { ShellEnd, ShellSession } from '../../electron/backend/executor/shell-types';

export interface Screen {
  /** All output so far. */
  text(): string;
  /** Resolves once `pattern` appears in the output after `from` (default: anywhere). */
  waitFor(pattern: string | RegExp, opts?: { from?: number; timeoutMs?: number }): Promise<string>;
  ended: Promise<ShellEnd>;
}

export function watchShell(session: ShellSession): Screen {
  let out = '';
  const waiters = new Set<() => void>();
  session.onData((t) => {
    out += t;
    for (const w of [...waiters]) w();
  });
  let end: ShellEnd | undefined;
  void session.ended.then((e) => {
    end = e;
    for (const w of [...waiters]) w();
  });
  return {
    text: () => out,
    ended: session.ended,
    waitFor(pattern, opts = {}) {
      const from = opts.from ?? 0;
      const ms = opts.timeoutMs ?? 45_000;
      const match = () => {
        const rest = out.slice(from);
        return typeof pattern === 'string' ? (rest.includes(pattern) ? rest : undefined) : pattern.test(rest) ? rest : undefined;
      };
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = match();
          if (m !== undefined) {
            done();
            resolve(m);
          } else if (end) {
            done();
            reject(new Error(`the shell ended (${JSON.stringify(end)}) before ${String(pattern)} appeared; it printed:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${String(pattern)} did not appear within ${ms} ms; the shell printed:\n${out}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
