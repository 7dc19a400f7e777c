// An interactive terminal session on a host (issue 14: a shell in a namespace). Unlike
// run(), which never uses a pty (plans need separate streams and exit codes), a shell is
// a pty on purpose: it is for a person typing, with line editing, job control and resize.
// Nothing that passes through a session is logged: it carries what the user types.

/** Terminal size in character cells. */
export interface ShellSize {
  cols: number;
  rows: number;
}

export interface ShellOptions extends ShellSize {
  /** Kernel name of the network namespace to enter; the host's root namespace when absent. */
  namespace?: string;
}

/** How a session ended: the shell exited, the host went away, or Wireplan closed it. */
export type ShellEnd =
  | { reason: 'exit'; code: number | null; signal?: string }
  | { reason: 'lost'; message: string }
  | { reason: 'closed' };

export interface ShellSession {
  /** Bytes the user typed (or pasted), as text. Ignored once the session has ended. */
  write(data: string): void;
  resize(size: ShellSize): void;
  /** Ends the session (hang-up). Idempotent; `ended` resolves with 'closed' unless it had already ended. */
  close(): void;
  /** Decoded UTF-8 output (a multi-byte character is never split across two calls). */
  onData(listener: (text: string) => void): void;
  readonly ended: Promise<ShellEnd>;
}

/** Sizes a pty accepts (what xterm.js and real terminals use; 0 would mean "unknown"). */
export const SHELL_SIZE_LIMITS = { cols: { min: 2, max: 1000 }, rows: { min: 1, max: 500 } } as const;

export function checkShellSize(size: ShellSize): void {
  const { cols, rows } = SHELL_SIZE_LIMITS;
  if (!Number.isInteger(size.cols) || size.cols < cols.min || size.cols > cols.max) throw new RangeError(`terminal columns must be a whole number from ${cols.min} to ${cols.max}, got ${size.cols}`);
  if (!Number.isInteger(size.rows) || size.rows < rows.min || size.rows > rows.max) throw new RangeError(`terminal rows must be a whole number from ${rows.min} to ${rows.max}, got ${size.rows}`);
}
