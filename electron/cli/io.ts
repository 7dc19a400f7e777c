// Where CLI commands write: the real terminal, or a buffer in tests.
//
// Text for people (out, err) may carry design names, host names and host output: control
// characters in it would drive the terminal (retitle it, clear it, move the cursor), so
// main() escapes them (terminalSafe) before they reach any CliIo. `data` is for output
// that is a file's content (an exported script on stdout) and goes out as it is.
//
// A reader that goes away (`wireplan plan big.json | head -1`) ends the command quietly:
// nothing more is written to that stream, no stack trace, and the command's own exit
// status stands (0 for plan). Long-running commands can ask to hear about it (status
// --watch stops watching).
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** File content for stdout, unescaped (default: out). */
  data?(text: string): void;
  /** Called once when stdout's reader has gone away; returns the unsubscribe. */
  onOutputClosed?(listener: () => void): () => void;
  /** All of standard input (FILE given as `-`); default process.stdin. */
  readStdin?(): Promise<Buffer>;
}

/** The whole of a stream, up to `max` bytes (more is an error: no design is that large). */
export async function readAll(stream: NodeJS.ReadableStream, max = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > max) throw Object.assign(new Error('standard input is larger than 64 MiB; not a Wireplan design'), { code: 'EFBIG' });
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** FILE as the user wrote it: `-` is standard input. */
export const STDIN_FILE = '-';

/** How a FILE argument is named in messages. */
export const fileLabel = (file: string): string => (file === STDIN_FILE ? '(standard input)' : file);

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/**
 * C0 controls except tab and newline, DEL, C1 controls, and the bidi and line separators
 * that can disguise text: shown as \u001b style escapes, so a name like "\x1b]0;x\x07"
 * prints as inert text. JSON output stays valid JSON (the escapes are JSON's own, and
 * JSON.stringify never emits a raw control character).
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same io with people-facing text made terminal-safe. */
export function escapingIo<T extends CliIo>(io: T): T {
  // Everything else the io offers (prompts, isTTY ...) is inherited unchanged.
  const safe = Object.create(io) as T;
  safe.out = (t) => io.out(terminalSafe(t));
  safe.err = (t) => io.err(terminalSafe(t));
  safe.data = (t) => (io.data ? io.data(t) : io.out(t));
  return safe;
}

type Stream = NodeJS.WriteStream;

class GuardedStream {
  private gone = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly stream: Stream) {}

  private install(): void {
    if (this.stream.listeners('error').includes(this.onError)) return;
    this.stream.on('error', this.onError);
  }

  /** EPIPE (reader gone) and any other write failure: stop writing, never crash. */
  private readonly onError = (): void => {
    if (this.gone) return;
    this.gone = true;
    for (const l of [...this.listeners]) l();
    this.listeners.clear();
  };

  write(text: string): void {
    this.install();
    if (this.gone || this.stream.destroyed) return;
    try {
      this.stream.write(text.endsWith('\n') ? text : `${text}\n`);
    } catch {
      this.onError();
    }
  }

  onClosed(listener: () => void): () => void {
    this.install();
    if (this.gone) {
      queueMicrotask(listener);
      return () => {};
    }
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

const stdout = new GuardedStream(process.stdout);
const stderr = new GuardedStream(process.stderr);

export const processIo: CliIo = {
  out: (t) => stdout.write(t),
  err: (t) => stderr.write(t),
  data: (t) => stdout.write(t),
  onOutputClosed: (l) => stdout.onClosed(l),
};
