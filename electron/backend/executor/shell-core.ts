// The bookkeeping every ShellSession shares, whatever carries the bytes: UTF-8 decoding
// across chunks, the output listeners, and one `ended` that settles exactly once.
import { StringDecoder } from 'node:string_decoder';
import type { ShellEnd } from './shell-types';

export class ShellCore {
  private readonly decoder = new StringDecoder('utf8');
  private readonly listeners = new Set<(text: string) => void>();
  /** Output that arrived before anyone listened (the first prompt comes quickly). */
  private early: string[] = [];
  private finish!: (end: ShellEnd) => void;
  done = false;
  readonly ended: Promise<ShellEnd> = new Promise((resolve) => (this.finish = resolve));

  onData(listener: (text: string) => void): void {
    this.listeners.add(listener);
    for (const t of this.early.splice(0)) listener(t);
  }

  /** Raw bytes from the pty. */
  push(bytes: Buffer): void {
    this.emit(this.decoder.write(bytes));
  }

  emit(text: string): void {
    if (!text) return;
    if (this.listeners.size === 0) this.early.push(text);
    for (const l of this.listeners) l(text);
  }

  end(end: ShellEnd): void {
    if (this.done) return;
    this.emit(this.decoder.end());
    this.done = true;
    this.finish(end);
  }
}
