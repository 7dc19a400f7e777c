// wireplan link FILE LINK down|up: cut or restore a veth link of an applied design on its
// host, as a runtime action (backend/link/link-action.ts): the design and the plan saved on
// the host stay as they are, so `status` shows the cut link as drifted and the next
// `apply` (or `link ... up`) brings it back.
import { resolveLink, setLinkState, type LinkState } from '../../backend/link/link-action';
import { parseArgs, UsageError } from '../args';
import { EXIT } from '../io';
import { buildTargets, TARGET_HELP, TARGET_OPTIONS, type PromptIo } from './apply-targets';
import { loadPlan } from './load';

export const linkHelp = `usage: wireplan link FILE LINK down|up [SSH OPTIONS]

Cuts (down) or restores (up) the veth link LINK (its id or name) of an applied design on
its host: both ends are set down or up, after checking each carries this design's
ownership tag. A runtime action, like pulling a cable: the design file and the plan on the
host are not changed, \`wireplan status\` shows the link down (drifted), and the next
apply restores it.

${TARGET_HELP}

exit status: 0 done, 1 the design has errors, 2 usage, 3 refused or failed on the host
(the link is not there, not Wireplan's, or the host could not be reached)`;

const EXIT_REFUSED = 3;

export async function linkCommand(argv: string[], io: PromptIo): Promise<number> {
  const args = parseArgs(argv, TARGET_OPTIONS.filter((o) => o.name !== 'host'));
  if (args.positional.length !== 3) {
    io.err(linkHelp);
    return EXIT.usage;
  }
  const [file, ref, stateText] = args.positional as [string, string, string];
  if (stateText !== 'down' && stateText !== 'up') throw new UsageError(`the link state is "down" (cut) or "up" (restore), not "${stateText}"`);
  const state: LinkState = stateText;
  const loaded = await loadPlan(file, undefined, io, 'the link is found through it');
  if (typeof loaded === 'number') return loaded;
  const link = resolveLink(loaded.design, loaded.plan, ref);
  if ('error' in link) {
    io.err(link.error);
    return EXIT.usage;
  }
  // A sandbox host lives inside the app (or wireplan serve): this command would get a new,
  // empty one, where nothing is ever applied.
  if (link.host.target.kind === 'sandbox' && !(args.values.get('ssh') ?? []).some((o) => o.split('=')[0] === link.host.name || o.split('=')[0] === link.host.id)) {
    io.err(`host "${link.host.name}" is a sandbox, which lives only inside the app or wireplan serve: cut the link there (its inspector), or give --ssh ${link.host.name}=USER@ADDRESS for a real host`);
    return EXIT.usage;
  }
  const targets = await buildTargets(loaded.design, [link.host.id], args, io);
  try {
    const target = targets.targets.get(link.host.id)!;
    const r = await setLinkState(target.executor, link, state).catch((e: Error) => ({ ok: false as const, error: `${targets.describe(link.host.id)}: ${e.message}` }));
    if (!r.ok) {
      io.err(`link "${link.veth.name}" not ${state === 'down' ? 'cut' : 'restored'}: ${r.error}`);
      return EXIT_REFUSED;
    }
    io.out(r.message);
    return EXIT.ok;
  } finally {
    await targets.close();
  }
}

export const linkSubcommand = { summary: 'cut (down) or restore (up) a link of an applied design, without changing the design', help: linkHelp, run: linkCommand };
