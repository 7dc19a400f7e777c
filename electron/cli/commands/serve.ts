// `wireplan serve`: the designer in a local browser, for machines where the desktop app
// cannot start. The same backend service as the desktop shell, the same renderer build,
// over a loopback-only WebSocket guarded by a per-launch token and an Origin check.
import { mkdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendService, defaultConfigDir, defaultEngines, headlessDialogs, repoResourcesDir } from '../../backend/service';
import { installRootUrl } from '../../backend/service/paths';
import { BindRefused, LOOPBACK, startHeadlessServer, type HeadlessServer } from '../../backend/service/headlessServer';
import { installProcessGuard } from '../../backend/processGuard';
import { parseArgs, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';

export const serveHelp = `usage: wireplan serve [FILE] [--port N] [--dir DIR] [--allow-home]

Serves the designer on http://${LOOPBACK} for a browser on this machine, with the full
backend (files, examples, SSH, apply) behind a WebSocket. The printed address carries a
per-launch token after '#': anyone with the address can drive the backend, so treat it
like a password. Only ${LOOPBACK} is ever listened on.

  FILE             a design to open when the page connects
  --port N         port to listen on (default: any free port)
  --host ADDR      only ${LOOPBACK} is accepted; any other address is refused
  --dir DIR        workspace: where Save and Export write, and the only folder whose
                   design and export files the page may name (default: the current
                   folder). The page reaches only plainly named files with a design or
                   export extension in it: no hidden names, nothing outside it, never
                   Wireplan's config folder. Refused when it is /, your home folder
                   itself, or a folder holding the config folder, unless --allow-home
  --allow-home     accept your home folder (or a folder holding the config folder) as
                   the workspace
  --renderer DIR   the built renderer (default: renderer/dist of this checkout)

Stop it with Ctrl+C.

exit status: 0 stopped, 2 usage error, address refused or port in use`;

export interface ServeHooks {
  /** Resolves to stop the server (default: SIGINT or SIGTERM). */
  until?: Promise<unknown>;
  onListening?: (server: HeadlessServer) => void;
  env?: NodeJS.ProcessEnv;
}

function untilSignal(): Promise<string> {
  return new Promise((done) => {
    const on = (sig: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function serveCommand(argv: string[], io: CliIo, hooks: ServeHooks = {}): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'port', value: true },
    { name: 'host', value: true },
    { name: 'dir', value: true },
    { name: 'renderer', value: true },
    { name: 'allow-home', value: false },
  ]);
  if (args.positional.length > 1) throw new UsageError('at most one design file');
  const portText = args.values.get('port')?.[0] ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port: expected a port number, got ${JSON.stringify(portText)}`);
  const host = args.values.get('host')?.[0] ?? LOOPBACK;
  const workspace = resolve(args.values.get('dir')?.[0] ?? process.cwd());
  const rendererDir = resolve(args.values.get('renderer')?.[0] ?? fileURLToPath(new URL('renderer/dist', installRootUrl())));
  const env = hooks.env ?? process.env;
  const configDir = defaultConfigDir(env);
  const label = args.values.has('dir') ? `--dir ${workspace}` : `${workspace} (the current folder, the default workspace)`;
  const refusal = await workspaceRefusal(workspace, configDir, env['HOME'] || homedir(), args.flags.has('allow-home'), label);
  if (refusal) {
    io.err(`wireplan serve: ${refusal}`);
    return EXIT.usage;
  }

  const service = new BackendService({
    configDir,
    examplesDir: join(repoResourcesDir(), 'examples'),
    dialogs: headlessDialogs(workspace),
    workspaceDirs: [workspace],
    engines: defaultEngines,
    log: (line) => io.err(`wireplan serve: ${line}`),
  });
  let server: HeadlessServer;
  try {
    await mkdir(workspace, { recursive: true });
    server = await startHeadlessServer({ service, staticDir: rendererDir, host, port, log: (line) => io.err(line) });
  } catch (e) {
    await service.close();
    if (e instanceof BindRefused) {
      io.err(`wireplan serve: ${e.message}`);
      return EXIT.usage;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.err(`wireplan serve: cannot listen on ${LOOPBACK}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`);
      return EXIT.usage;
    }
    throw e;
  }
  const file = args.positional[0];
  if (file) service.requestOpen(resolve(file));
  // The address goes to the terminal (the user needs it) and nowhere else: no log line has it.
  // One bad callback must not take every open page, run and live watch down with it.
  const guard = installProcessGuard({ log: (line) => io.err(`wireplan serve: ${line}`) });
  try {
    io.out(`Wireplan designer: open ${server.url}`);
    io.err(`wireplan serve: workspace ${workspace}; Ctrl+C stops`);
    hooks.onListening?.(server);
    await (hooks.until ?? untilSignal());
    await server.close();
    await service.close();
  } finally {
    guard.uninstall();
  }
  return EXIT.ok;
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Why `dir` must not be the workspace: the page may write any plain design or export file
 * in it, so / is never one, and the home folder (where login scripts and app state live)
 * or a folder holding Wireplan's config folder only when asked for with --allow-home.
 */
export async function workspaceRefusal(dir: string, configDir: string, home: string, allowHome: boolean, label = `--dir ${dir}`): Promise<string | undefined> {
  const ws = await real(dir);
  if (ws === '/') return `${label}: the workspace cannot be the root folder /; choose a folder for your designs (e.g. --dir ~/wireplan)`;
  if (allowHome) return undefined;
  const fix = 'choose a folder for your designs (e.g. --dir ~/wireplan), or pass --allow-home';
  if (home && ws === (await real(home))) return `${label}: the workspace would be your home folder itself; ${fix}`;
  const cfg = await real(resolve(configDir));
  if (contains(ws, cfg)) return `${label}: the workspace holds Wireplan's config folder ${resolve(configDir)}; ${fix}`;
  return undefined;
}

/** Subcommand-shaped, for electron/cli/main.ts. */
export const serve = {
  summary: 'serve the designer to a local browser (loopback only, token-guarded)',
  help: serveHelp,
  run: (argv: string[], io: CliIo) => serveCommand(argv, io),
};
