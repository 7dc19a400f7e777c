// The design a launch asks for: `wireplan-desktop lab.wireplan.json`, a double-click on a
// file (file association passes it as an argument), or a second launch while the app runs.
// Pure: the caller resolves relative paths against the launch's working directory.
import { isAbsolute, resolve } from 'node:path';

const DESIGN = /\.json$/i;

/**
 * argv as Electron gives it: [binary, (app path in development,) ...user args]. Chromium
 * switches (--foo, -psn_... on macOS) are skipped; the last design-looking argument wins.
 */
export function designFromArgv(argv: readonly string[], cwd: string, opts: { packaged: boolean }): string | undefined {
  const user = argv.slice(opts.packaged ? 1 : 2);
  let found: string | undefined;
  let afterDashDash = false;
  for (const arg of user) {
    if (!afterDashDash && arg === '--') {
      afterDashDash = true;
      continue;
    }
    if (!afterDashDash && arg.startsWith('-')) continue;
    if (DESIGN.test(arg)) found = arg;
  }
  if (found === undefined) return undefined;
  if (found.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(found).pathname);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(found) ? found : resolve(cwd, found);
}
