// `wireplan completion bash` sourced in a real bash completes commands, options and files
// (driven the way bash's programmable completion drives it: COMP_WORDS, COMP_CWORD, then
// the function named by `complete -p wireplan`).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { optionsFromHelp } from './commands/completion';
import type { CliIo } from './io';
import { COMMANDS, main } from './main';

async function script(shell: string): Promise<{ code: number; text: string; err: string }> {
  let text = '';
  let err = '';
  const io: CliIo = { out: (t) => void (text += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(['completion', shell], io);
  return { code, text, err };
}

let dir: string;
let bashFile: string;

/** What bash offers for the words typed so far (the last one is the word being completed). */
function complete(...words: string[]): string[] {
  const arr = words.map((w) => `'${w}'`).join(' ');
  const prog = `source '${bashFile}'
fn=$(complete -p wireplan | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')
COMP_WORDS=(wireplan ${arr}); COMP_CWORD=${words.length}; COMP_LINE="wireplan ${words.join(' ')}"; COMP_POINT=\${#COMP_LINE}
"$fn" wireplan '${words.at(-1) ?? ''}' '${words.at(-2) ?? 'wireplan'}'
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', prog], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('wireplan completion', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-completion-'));
    writeFileSync(join(dir, 'lab.wireplan.json'), '{}');
    writeFileSync(join(dir, 'other.txt'), '');
    const { code, text } = await script('bash');
    expect(code).toBe(0);
    bashFile = join(dir, 'wireplan.bash');
    writeFileSync(bashFile, text);
  });

  it('bash: sourcing it registers a completion for wireplan and bash -n finds no syntax error', () => {
    expect(spawnSync('bash', ['-n', bashFile]).status).toBe(0);
    expect(execFileSync('bash', ['-c', `source '${bashFile}'; complete -p wireplan`], { encoding: 'utf8' })).toMatch(/-F _wireplan wireplan/);
  });

  it('bash: completes command names', () => {
    expect(complete('')).toEqual([...Object.keys(COMMANDS), '--help', '--version'].sort());
    expect(complete('ap')).toEqual(['apply']);
    expect(complete('c')).toEqual(['capture', 'check', 'completion']);
    expect(complete('nothing')).toEqual([]);
  });

  it("bash: completes a command's options, and only its own", () => {
    expect(complete('validate', '--')).toEqual(['--help', '--json']);
    expect(complete('apply', '--dr')).toEqual(['--dry-run']);
    expect(complete('apply', 'lab.wireplan.json', '--keep')).toEqual(['--keep-partial']);
    expect(complete('plan', '--keep')).toEqual([]);
    expect(complete('export', '-')).toContain('-o');
  });

  it('bash: completes file names for FILE and the shells for completion', () => {
    expect(complete('validate', 'la')).toEqual(['lab.wireplan.json']);
    expect(complete('plan', '')).toEqual(['lab.wireplan.json', 'other.txt', 'wireplan.bash']);
    expect(complete('completion', '')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('the options offered are those the help defines, not ones named in prose', () => {
    expect(optionsFromHelp('usage: wireplan x FILE [--json] [-o OUT]\n\n  -i, --identity KEY  a key, read with `ssh -G`\n  --dry-run  show')).toEqual(['--json', '--identity', '--dry-run', '--help', '-o', '-i']);
  });

  it('zsh and fish: every command is offered', async () => {
    for (const shell of ['zsh', 'fish']) {
      const { code, text } = await script(shell);
      expect(code).toBe(0);
      for (const name of Object.keys(COMMANDS)) expect(text, `${shell} ${name}`).toContain(shell === 'zsh' ? `'${name}:` : `-a ${name} -d`);
    }
    expect((await script('fish')).text).toContain("complete -c wireplan -n '__fish_seen_subcommand_from apply' -l dry-run");
  });

  it('an unknown shell is a usage error', async () => {
    const r = await script('tcsh');
    expect(r.code).toBe(2);
    expect(r.err).toContain('bash, zsh, fish');
  });
});
