import { describe, expect, it } from 'vitest';
import { shellCommand } from '../export/quote';
import { splitWords } from './words';

describe('splitWords', () => {
  it('splits at blanks and keeps quoted text as one word, without expanding anything', () => {
    expect(splitWords('  python3 -m   http.server 8000 ')).toEqual({ ok: true, argv: ['python3', '-m', 'http.server', '8000'] });
    expect(splitWords(`sh -c 'echo $HOME; ls *' "a \\"b\\" c" x\\ y ''`)).toEqual({ ok: true, argv: ['sh', '-c', 'echo $HOME; ls *', 'a "b" c', 'x y', ''] });
    expect(splitWords('a"b"\'c\'d')).toEqual({ ok: true, argv: ['abcd'] });
    expect(splitWords('')).toEqual({ ok: true, argv: [] });
  });

  it('says what is wrong instead of guessing', () => {
    expect(splitWords("echo 'oops")).toEqual({ ok: false, error: "unterminated ' (opened at character 6)" });
    expect(splitWords('echo "oops')).toEqual({ ok: false, error: 'unterminated " (opened at character 6)' });
    expect(splitWords('echo \\')).toEqual({ ok: false, error: 'a backslash at the end escapes nothing' });
  });

  it('reads back what quoteArg writes (the inspector shows the argv as a command line)', () => {
    const argv = ['python3', '-c', "print('it''s $(x)')", 'a b', '', 'tab\there'];
    expect(splitWords(shellCommand(argv))).toEqual({ ok: true, argv });
  });
});
