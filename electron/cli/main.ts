// The wireplan command line. Each subcommand lives in commands/; this file only routes.
import { UsageError } from './args';
import { EXIT, escapingIo, processIo, type CliIo } from './io';
import { applyCommand, applyHelp } from './commands/apply';
import { checkSubcommand } from './commands/check';
import { completionCommand, completionHelp, optionsFromHelp, SHELLS, type CompletionCommand } from './commands/completion';
import { importSubcommand } from './commands/import';
import { linkSubcommand } from './commands/link';
import { hostsSubcommand } from './commands/hosts';
import { serve } from './commands/serve';
import { shellSubcommand } from './commands/shell';
import { statusSubcommand } from './commands/status';
import { captureSubcommand } from './commands/capture';
import { destroyCommand, destroyHelp } from './commands/destroy';
import { diffCommand, diffHelp } from './commands/diff';
import { exportCommand, exportHelp } from './commands/export';
import { planCommand, planHelp } from './commands/plan';
import { validateCommand, validateHelp } from './commands/validate';
import { WIREPLAN_VERSION } from '../../shared/version';
import { installNativeSha256 } from '../backend/native-sha256';

interface Subcommand {
  summary: string;
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Record<string, Subcommand> = {
  validate: { summary: 'check a design and list every problem', help: validateHelp, run: validateCommand },
  plan: { summary: 'show the exact ordered commands per host', help: planHelp, run: planCommand },
  export: { summary: 'write a standalone up/down/status bash script for a host', help: exportHelp, run: exportCommand },
  apply: { summary: 'apply the design to its hosts (checked, rolled back on failure, idempotent)', help: applyHelp, run: applyCommand },
  diff: { summary: 'compare the design with the live hosts', help: diffHelp, run: diffCommand },
  destroy: { summary: "remove this design's objects from its hosts", help: destroyHelp, run: destroyCommand },
  status: statusSubcommand,
  link: linkSubcommand,
  capture: captureSubcommand,
  check: checkSubcommand,
  import: importSubcommand,
  hosts: hostsSubcommand,
  shell: shellSubcommand,
  serve,
  completion: { summary: 'print a completion script for bash, zsh or fish', help: completionHelp, run: (argv, io) => completionCommand(argv, io, completionCommands()) },
};

/** What the completion scripts offer: every command, its summary and the options its help names. */
export function completionCommands(): CompletionCommand[] {
  return Object.entries(COMMANDS).map(([name, c]) => ({ name, summary: c.summary, options: optionsFromHelp(c.help), ...(name === 'completion' ? { words: SHELLS } : {}) }));
}

export function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `wireplan ${WIREPLAN_VERSION}: design Linux virtual networks, compile them to exact per-host plans`,
    '',
    'usage: wireplan COMMAND [ARGS]   (wireplan COMMAND --help for details)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'A design FILE may be - to read it from standard input.',
  ].join('\n');
}

export async function main(argv: string[], rawIo: CliIo = processIo): Promise<number> {
  installNativeSha256();
  // Design names, host names and host output reach the terminal only with their control characters escaped.
  const io = escapingIo(rawIo);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(globalHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.out(WIREPLAN_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command "${name}"\n\n${globalHelp()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`wireplan ${name}: ${e.message}\n\n${command.help}`);
      return EXIT.usage;
    }
    // A user should never see a stack trace; keep the message and say it is a bug.
    io.err(`wireplan ${name}: internal error: ${(e as Error).message}\nPlease report this with the design file.`);
    return EXIT.usage;
  }
}
