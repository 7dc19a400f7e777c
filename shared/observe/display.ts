// Showing host data (interface names, aliases, rule text) in terminal output. A name like
// `a$(id)` must stay inert when a user copies it into a shell, and an alias full of
// escape sequences must not drive the terminal: names are shown shell-quoted by the one
// quoting function (shared/export/quote.ts) after invisible characters are made visible.
import { quoteArg } from '../export/quote';

/** C0/C1 controls, DEL, and the bidi/line separators that can disguise text. */
function invisible(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

export function visible(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += invisible(c) ? `\\u${c.toString(16).padStart(4, '0')}` : text[i];
  }
  return out;
}

/** A host-provided name as it is safe to print and to paste into a shell. */
export function shownName(text: string): string {
  return quoteArg(visible(text));
}

/**
 * Status and import messages quote every host value with JSON.stringify. For terminal
 * output those literals are re-quoted shell-style: `"a$(id)"` becomes `'a$(id)'`.
 */
export function shellQuoteMessage(message: string): string {
  return visible(
    message.replace(/"(?:[^"\\]|\\.)*"/g, (lit) => {
      try {
        const v: unknown = JSON.parse(lit);
        return typeof v === 'string' ? shownName(v) : lit;
      } catch {
        return lit;
      }
    }),
  );
}
