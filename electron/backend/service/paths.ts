// Where the backend keeps its own files (recent list, autosave, known_hosts, secrets,
// window state): the user's config dir, the same one for the desktop app, `wireplan
// serve` and the CLI. WIREPLAN_CONFIG_DIR overrides it (tests, portable installs).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = env['WIREPLAN_CONFIG_DIR'];
  if (override) return override;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Wireplan');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Wireplan');
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), 'wireplan');
}

// Set by scripts/build-cli.ts (esbuild define) in the bundled CLI: there import.meta.url is
// the bundle itself, which sits at the top of its package, beside resources/ and renderer/.
declare const WIREPLAN_BUNDLED: boolean | undefined;

/** The top of the checkout (or of the installed CLI package), as a file URL ending in '/'. */
export function installRootUrl(): URL {
  return typeof WIREPLAN_BUNDLED !== 'undefined' && WIREPLAN_BUNDLED ? new URL('./', import.meta.url) : new URL('../../../', import.meta.url);
}

/** The repository's resources/ folder (or the installed CLI package's), for the CLI, serve and tests. */
export function repoResourcesDir(): string {
  return fileURLToPath(new URL('resources', installRootUrl()));
}

/** Files inside the config dir. */
export function configFiles(configDir: string) {
  return {
    recent: join(configDir, 'recent.json'),
    autosave: join(configDir, 'autosave.json'),
    knownHosts: join(configDir, 'known_hosts'),
    secrets: join(configDir, 'secrets.json'),
    settings: join(configDir, 'settings.json'),
    windowState: join(configDir, 'window.json'),
  };
}
