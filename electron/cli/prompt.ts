// Reading a secret from the terminal without echoing it: the terminal is put in raw mode
// (no echo, no line editing), keys are read one by one with backspace handled, and the
// mode is restored whatever happens. Ctrl-C and Ctrl-D cancel instead of returning.
import { StringDecoder } from 'node:string_decoder';

/** The terminal side a secret is read from (process.stdin, or a fake one in tests). */
export interface SecretInput {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end' | 'close', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface SecretOutput {
  write(text: string): unknown;
}

export class PromptCanceled extends Error {
  override readonly name = 'PromptCanceled';
}

const MAX_SECRET = 4096;

/** Asks `question` on `output` and reads one line from the terminal `input` without echo. */
export function readSecret(question: string, input: SecretInput = process.stdin, output: SecretOutput = process.stderr): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return Promise.reject(new Error('not a terminal: a secret can only be typed on a terminal'));
  const setRaw = input.setRawMode.bind(input);
  setRaw(true);
  output.write(question);
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let text = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('close', onEnd);
      setRaw(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onEnd = () => finish(new PromptCanceled('the terminal closed before the secret was entered'));
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new PromptCanceled('canceled (Ctrl-C)'));
        if (ch === '\u0004') {
          if (text === '') return finish(new PromptCanceled('canceled (Ctrl-D)'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') {
          text = Array.from(text).slice(0, -1).join('');
          continue;
        }
        if (ch === '\u0015') {
          text = ''; // Ctrl-U: start over, as a terminal would
          continue;
        }
        if (ch < ' ') continue; // other control keys (escape sequences' lead byte included)
        if (text.length >= MAX_SECRET) return finish(new Error(`secret longer than ${MAX_SECRET} characters`));
        text += ch;
      }
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('close', onEnd);
    input.resume();
  });
}
