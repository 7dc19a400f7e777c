// A command's stdout and stderr as text: decoded as UTF-8 across chunk boundaries,
// accumulated for the result and streamed to the caller as they arrive. A binary stdout
// (onStdoutBytes) is passed through untouched and not accumulated.
import { StringDecoder } from 'node:string_decoder';
import type { RunOptions } from './types';

export class CommandOutput {
  stdout = '';
  stderr = '';
  private readonly out = new StringDecoder('utf8');
  private readonly err = new StringDecoder('utf8');

  constructor(private readonly opts: Pick<RunOptions, 'onStdout' | 'onStderr' | 'onStdoutBytes'>) {}

  onStdout = (b: Buffer): void => {
    if (this.opts.onStdoutBytes) this.opts.onStdoutBytes(b);
    else this.addOut(this.out.write(b));
  };
  onStderr = (b: Buffer): void => this.addErr(this.err.write(b));

  /** Flushes a character split across the last chunk. */
  end(): void {
    this.addOut(this.out.end());
    this.addErr(this.err.end());
  }

  private addOut(s: string): void {
    if (!s) return;
    this.stdout += s;
    this.opts.onStdout?.(s);
  }

  private addErr(s: string): void {
    if (!s) return;
    this.stderr += s;
    this.opts.onStderr?.(s);
  }
}
