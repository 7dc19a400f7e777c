// The last line of defence of a long-running backend process (`wireplan serve`, the
// Electron main process): an exception or a rejected promise that no code path handled
// is logged with its stack and the process keeps serving what is healthy, instead of
// Node's default of ending everything (every open design, every run, every live watch)
// over one bad callback. Every known async path handles its own errors (issue 11); this
// only catches what a future bug lets through, and says so loudly in the log.

export interface ProcessGuardOptions {
  log(line: string): void;
  /** What the guard listens on (tests pass their own emitter); default `process`. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Reports within one minute beyond which the same report is only counted. Default 20. */
  maxReportsPerMinute?: number;
  now?: () => number;
}

export interface ProcessGuard {
  /** Escapes caught so far. */
  readonly caught: number;
  uninstall(): void;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  try {
    return `non-Error value: ${JSON.stringify(e) ?? String(e)}`;
  } catch {
    return `non-Error value: ${String(e)}`;
  }
}

export function installProcessGuard(opts: ProcessGuardOptions): ProcessGuard {
  const target = opts.target ?? process;
  const now = opts.now ?? Date.now;
  const max = opts.maxReportsPerMinute ?? 20;
  let windowStart = now();
  let inWindow = 0;
  let suppressed = 0;
  let caught = 0;
  let reporting = false;

  const report = (kind: string, e: unknown) => {
    caught++;
    // A log sink that itself throws (a closed stderr, say) must not loop back here.
    if (reporting) return;
    reporting = true;
    try {
      const t = now();
      if (t - windowStart >= 60_000) {
        if (suppressed > 0) opts.log(`backend guard: ${suppressed} more unhandled errors in the last minute were not logged`);
        windowStart = t;
        inWindow = 0;
        suppressed = 0;
      }
      if (++inWindow > max) {
        suppressed++;
        return;
      }
      opts.log(`backend guard: ${kind} (this is a bug; the backend keeps running): ${describe(e)}`);
    } catch {
      // nowhere left to report it
    } finally {
      reporting = false;
    }
  };
  const onRejection = (reason: unknown) => report('unhandled promise rejection', reason);
  const onException = (error: unknown) => report('uncaught exception', error);
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return {
    get caught() {
      return caught;
    },
    uninstall() {
      target.off('unhandledRejection', onRejection);
      target.off('uncaughtException', onException);
    },
  };
}
