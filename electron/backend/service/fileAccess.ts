// Which files the renderer may name. The renderer is not trusted with the whole disk: a
// path is readable or writable through the API only when the user pointed at it (a file
// dialog, the command line, a double-click, the recent list) or, in headless mode, when it
// is a JSON file inside the workspace folder that `wireplan serve` was started with.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';

export class FileAccess {
  private readonly granted = new Set<string>();

  constructor(
    /** Folders whose files are allowed (headless workspace); relative paths resolve against the first. */
    private readonly roots: readonly string[] = [],
    /** Paths allowed from elsewhere (the recent list). */
    private readonly known: () => Promise<readonly string[]> = async () => [],
  ) {}

  /** The absolute path a renderer-supplied path means, or an error. */
  resolvePath(path: string): string | { error: string } {
    if (isAbsolute(path)) return resolve(path);
    const root = this.roots[0];
    if (!root) return { error: `${path}: expected an absolute path` };
    return resolve(root, path);
  }

  grant(path: string): void {
    this.granted.add(resolve(path));
  }

  async allowed(absPath: string): Promise<boolean> {
    if (this.granted.has(absPath)) return true;
    if ((await this.known()).includes(absPath)) return true;
    if (this.roots.length === 0) return false;
    // Inside a workspace the renderer may name design files (JSON) only, nothing else.
    if (!/\.json$/i.test(absPath)) return false;
    // Symlinks must not lead out of the workspace: compare real paths (the file's own when
    // it exists, since a read follows a link; else its folder's).
    const realFile = await realpath(absPath).catch(() => undefined);
    const realDir = realFile === undefined ? await realpath(dirname(absPath)).catch(() => undefined) : undefined;
    if (realFile === undefined && realDir === undefined) return false;
    const real = realFile ?? resolve(realDir!, basename(absPath));
    for (const root of this.roots) {
      const realRoot = await realpath(root).catch(() => undefined);
      if (realRoot === undefined) continue;
      const rel = relative(realRoot, real);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return true;
    }
    return false;
  }
}
