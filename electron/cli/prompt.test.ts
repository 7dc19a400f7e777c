import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PromptCanceled, readSecret, type SecretInput } from './prompt';

/** A terminal in a test: records raw-mode changes, delivers typed keys. */
class FakeTty extends EventEmitter implements SecretInput {
  isTTY = true;
  modes: boolean[] = [];
  paused = true;
  setRawMode(raw: boolean) {
    this.modes.push(raw);
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  pause() {
    this.paused = true;
    return this;
  }
  type(keys: string | Buffer) {
    this.emit('data', keys);
  }
}

function out() {
  let text = '';
  return { write: (t: string) => void (text += t), get text() { return text; } };
}

describe('readSecret', () => {
  it('reads a line in raw mode (no echo) with backspace, restores the mode, and never writes the secret', async () => {
    const tty = new FakeTty();
    const o = out();
    const p = readSecret('Password: ', tty, o);
    expect(tty.modes).toEqual([true]);
    tty.type('s3cX');
    tty.type('\u007fr');
    tty.type(Buffer.from('é', 'utf8').subarray(0, 1)); // a character split across chunks
    tty.type(Buffer.from('é', 'utf8').subarray(1));
    tty.type('t\r');
    await expect(p).resolves.toBe('s3crét');
    expect(tty.modes).toEqual([true, false]);
    expect(tty.paused).toBe(true);
    expect(o.text).toBe('Password: \n');
  });

  it('Ctrl-C and an early end cancel, and the terminal mode is restored', async () => {
    const tty = new FakeTty();
    const p = readSecret('P: ', tty, out());
    tty.type('abc\u0003');
    await expect(p).rejects.toBeInstanceOf(PromptCanceled);
    expect(tty.modes).toEqual([true, false]);
    const tty2 = new FakeTty();
    const p2 = readSecret('P: ', tty2, out());
    tty2.emit('end');
    await expect(p2).rejects.toThrow(/terminal closed/);
    expect(tty2.modes).toEqual([true, false]);
  });

  it('refuses to read from something that is not a terminal', async () => {
    const pipe = new FakeTty();
    pipe.isTTY = false;
    await expect(readSecret('P: ', pipe, out())).rejects.toThrow(/not a terminal/);
    expect(pipe.modes).toEqual([]);
  });
});
