// The one seam between Wireplan's engines (apply, teardown, observe) and a host. Every
// kind of host (SSH server, local sandbox) runs one already-quoted shell command line
// and reports its exit; nothing above this layer knows how the bytes travel.
import type { ShellOptions, ShellSession } from './shell-types';

export interface RunOptions {
  /** Streamed to the command's stdin, then EOF. Plans travel here, never in argv (argv is ~128 KiB max). */
  stdin?: string | Buffer;
  /** Decoded UTF-8 chunks as they arrive (multi-byte characters are never split). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /**
   * Binary stdout (a packet capture): raw chunks as they arrive, instead of onStdout. The
   * result's stdout then stays empty, so a stream that runs for hours is never held in memory.
   */
  onStdoutBytes?: (chunk: Uint8Array) => void;
  /** Aborting rejects the run with Cancelled and tries to kill the command. */
  signal?: AbortSignal;
  /** Covers the whole run (waiting for a connection and a channel included); rejects with Timeout. */
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit status; null when the command died of a signal or the host reported no status. Only 0 is success. */
  code: number | null;
  /** Signal name as Node writes it (e.g. "SIGKILL") when the command died of one. */
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface HostExecutor {
  /**
   * Runs ONE shell command line (already quoted by the caller with shellCommand/quoteArg)
   * on the host. Resolves with the exit status; rejects only with an ExecutorError
   * (the host could not be reached, the connection dropped, timeout, cancel ...).
   */
  run(command: string, opts?: RunOptions): Promise<RunResult>;
  /**
   * Opens an interactive pty shell on the host (in a namespace, or the root namespace), as
   * root. Optional: an executor that cannot host a terminal leaves it out.
   */
  openShell?(opts: ShellOptions): Promise<ShellSession>;
  /** Releases the connection or sandbox. Idempotent; runs still in flight are rejected. */
  close(): Promise<void>;
  /** Short human text for logs and errors; never contains a secret. */
  describe(): string;
}

/** The only success: an exit status of exactly 0 (a missing status is a failure). */
export function succeeded(r: RunResult): boolean {
  return r.code === 0;
}
