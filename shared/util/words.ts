// A command line typed by a person, split into the argument vector a program gets. Used
// only to *edit* a program's command (the design stores the argv, and the host never
// parses it): so this is a small, predictable subset of POSIX word splitting, with a
// clear error instead of a guess. Words split at blanks; 'single quotes' are literal;
// "double quotes" take \" and \\; a backslash outside quotes escapes the next character.
// No expansions of any kind: $HOME, *, ~ and $(...) stay as typed.

export type SplitResult = { ok: true; argv: string[] } | { ok: false; error: string };

export function splitWords(text: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: `unterminated ' (opened at character ${i + 1})` };
      word += text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) return { ok: false, error: `unterminated " (opened at character ${i + 1})` };
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: 'a backslash at the end escapes nothing' };
      word += text[++i];
    } else {
      word += c;
    }
  }
  if (inWord) argv.push(word);
  return { ok: true, argv };
}
