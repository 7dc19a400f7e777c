// wireplan completion bash|zsh|fish: a completion script for the shell, generated from the
// command table itself (commands, summaries, and each command's options as its --help
// names them), so it never lags behind the CLI.
import { UsageError } from '../args';
import { EXIT, type CliIo } from '../io';

export const completionHelp = `usage: wireplan completion bash|zsh|fish

Prints a completion script for the shell: commands, each command's options, and file
names for FILE arguments.

  bash   eval "$(wireplan completion bash)"   (in ~/.bashrc), or save it as
         ~/.local/share/bash-completion/completions/wireplan
  zsh    wireplan completion zsh > "\${fpath[1]}/_wireplan"   (or source it after compinit)
  fish   wireplan completion fish > ~/.config/fish/completions/wireplan.fish

exit status: 0 printed, 2 usage`;

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionCommand {
  name: string;
  summary: string;
  /** Long options with dashes (--json), then short ones (-o). */
  options: string[];
  /** Fixed words for the first positional argument (completion: the shells). */
  words?: readonly string[];
}

/**
 * The options a command's help text defines: those that start a line of its option list
 * ("  -i, --identity KEY   ...") and those of its usage lines ("[--json]"), plus --help.
 * Options only mentioned in prose ("read with `ssh -G`") are not offered.
 */
export function optionsFromHelp(help: string): string[] {
  const long = new Set<string>();
  const short = new Set<string>();
  const add = (o: string) => (o.startsWith('--') ? long : short).add(o);
  for (const line of help.split('\n')) {
    const defined = /^\s+((?:--?[a-zA-Z][\w-]*)(?:,\s*--?[a-zA-Z][\w-]*)*)/.exec(line);
    if (defined) for (const o of defined[1]!.split(/,\s*/)) add(o);
    if (/^\s*(usage:|wireplan )/.test(line)) for (const m of line.matchAll(/\[(--?[a-zA-Z][\w-]*)/g)) add(m[1]!);
  }
  long.add('--help');
  return [...long, ...short];
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function bashCompletion(commands: readonly CompletionCommand[]): string {
  const cases = commands.map((c) => `    ${c.name}) opts=${sq(c.options.join(' '))}; words=${sq((c.words ?? []).join(' '))} ;;`).join('\n');
  return `# bash completion for wireplan (wireplan completion bash)
_wireplan() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts='' words=''
  if (( COMP_CWORD == 1 )); then
    COMPREPLY=( $(compgen -W ${sq([...commands.map((c) => c.name), '--help', '--version'].join(' '))} -- "$cur") )
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) return 0 ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  elif [[ -n $words ]]; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  else
    compopt -o filenames 2>/dev/null
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
  return 0
}
complete -F _wireplan wireplan
`;
}

export function zshCompletion(commands: readonly CompletionCommand[]): string {
  const described = commands.map((c) => `    ${sq(`${c.name}:${c.summary.replace(/:/g, '\\:')}`)}`).join('\n');
  const cases = commands.map((c) => `    ${c.name}) opts=(${c.options.map(sq).join(' ')}); fixed=(${(c.words ?? []).map(sq).join(' ')}) ;;`).join('\n');
  return `#compdef wireplan
# zsh completion for wireplan (wireplan completion zsh)
_wireplan() {
  local -a commands opts fixed
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'wireplan command' commands
    return
  fi
  case $words[2] in
${cases}
    *) return 1 ;;
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
  elif (( $#fixed )); then
    compadd -- $fixed
  else
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _wireplan "$@"
else
  compdef _wireplan wireplan
fi
`;
}

export function fishCompletion(commands: readonly CompletionCommand[]): string {
  const names = commands.map((c) => c.name).join(' ');
  const lines = [`# fish completion for wireplan (wireplan completion fish)`, `complete -c wireplan -f -n '__fish_use_subcommand' -l version -d 'print the version'`];
  for (const c of commands) {
    lines.push(`complete -c wireplan -f -n '__fish_use_subcommand' -a ${c.name} -d ${sq(c.summary)}`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) lines.push(o.startsWith('--') ? `complete -c wireplan ${when} -l ${o.slice(2)}` : `complete -c wireplan ${when} -s ${o.slice(1)}`);
    for (const w of c.words ?? []) lines.push(`complete -c wireplan -f ${when} -a ${w}`);
    if (!c.words?.length) lines.push(`complete -c wireplan -F ${when}`);
  }
  lines.push(`# commands: ${names}`, '');
  return lines.join('\n');
}

export function completionScript(shell: Shell, commands: readonly CompletionCommand[]): string {
  return shell === 'bash' ? bashCompletion(commands) : shell === 'zsh' ? zshCompletion(commands) : fishCompletion(commands);
}

export async function completionCommand(argv: string[], io: CliIo, commands: readonly CompletionCommand[]): Promise<number> {
  if (argv.length !== 1 || !SHELLS.includes(argv[0] as Shell)) throw new UsageError(`name one shell: ${SHELLS.join(', ')}`);
  io.data!(completionScript(argv[0] as Shell, commands));
  return EXIT.ok;
}
