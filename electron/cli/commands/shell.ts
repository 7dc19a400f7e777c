// wireplan shell FILE NAMESPACE [SSH OPTIONS]: an interactive root shell inside a namespace
// (or, given a host, its root namespace) of an applied design, on its SSH host. The local
// terminal is put in raw mode and joined to the remote pty: every key goes to the shell
// (Ctrl+C included), the window size follows, and the exit status is the shell's.
import { shellTargetByName } from '../../../shared/model/shell-target';
import { openHostShell, type ShellEnd } from '../../backend/executor';
import { endMessage } from '../../backend/service/shells';
import { parseArgs, UsageError } from '../args';
import { EXIT } from '../io';
import { buildTargets, TARGET_HELP, TARGET_OPTIONS, type PromptIo } from './apply-targets';
import { loadOrReport } from './load';

export const shellHelp = `usage: wireplan shell FILE NAMESPACE [SSH OPTIONS]

Opens an interactive root shell on the host of NAMESPACE (a namespace's name or id),
inside that network namespace (\`ip netns exec\`, through sudo where the login is not
root). Given a host's name or id instead, the shell is in the host's root namespace.
The local terminal is joined to the remote one in raw mode: every key goes to the
shell, and its size follows the window. Nothing typed is logged.

${TARGET_HELP}

exit status: the shell's own; 2 usage; 3 the shell could not be opened or the
connection was lost`;

const EXIT_FAILED = 3;

/** Where the shell's bytes go and come from: the process's terminal, or a test's stand-in. */
export interface ShellTerminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export async function shellCommand(argv: string[], io: PromptIo, term: ShellTerminal = { input: process.stdin, output: process.stdout }): Promise<number> {
  const args = parseArgs(argv, TARGET_OPTIONS.filter((o) => o.name !== 'host'));
  if (args.positional.length !== 2) {
    io.err(shellHelp);
    return EXIT.usage;
  }
  const [file, name] = args.positional as [string, string];
  const design = await loadOrReport(file, io);
  if (!design) return EXIT.usage;
  const target = shellTargetByName(design, name);
  if ('error' in target) throw new UsageError(target.error);
  if (target.host.target.kind === 'sandbox' && !(args.values.get('ssh') ?? []).length) {
    throw new UsageError(`${target.host.name} is a sandbox host: its namespaces live inside the Wireplan app or \`wireplan serve\` that applied them (open the shell there), or give --ssh ${target.host.id}=USER@ADDRESS`);
  }
  const targets = await buildTargets(design, [target.host.id], args, io);
  try {
    const executor = targets.targets.get(target.host.id)!.executor;
    const size = () => ({ cols: clamp(term.output.columns ?? 80, 2, 1000), rows: clamp(term.output.rows ?? 24, 1, 500) });
    let session;
    try {
      session = await openHostShell(executor, { ...size(), ...(target.namespace !== undefined ? { namespace: target.namespace } : {}) });
    } catch (e) {
      io.err(`cannot open a shell on ${target.title}: ${(e as Error).message}`);
      return EXIT_FAILED;
    }
    const raw = term.input.isTTY === true;
    if (raw) term.input.setRawMode(true);
    const onInput = (b: Buffer) => session.write(b.toString('utf8'));
    const onResize = () => session.resize(size());
    const onEnd = () => session.close(); // our stdin closed (e.g. piped input ran out)
    term.input.on('data', onInput);
    term.input.on('end', onEnd);
    term.output.on('resize', onResize);
    term.input.resume();
    session.onData((text) => term.output.write(text));
    let end: ShellEnd;
    try {
      end = await session.ended;
    } finally {
      term.input.off('data', onInput);
      term.input.off('end', onEnd);
      term.output.off('resize', onResize);
      if (raw) term.input.setRawMode(false);
      term.input.pause();
    }
    if (end.reason === 'exit') return end.code ?? EXIT_FAILED;
    io.err(`\r\n${endMessage(end, target.title)}`);
    return EXIT_FAILED;
  } finally {
    await targets.close();
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}

export const shellSubcommand = { summary: 'open a root shell inside a namespace of an applied design (SSH hosts)', help: shellHelp, run: shellCommand };
