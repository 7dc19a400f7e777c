// Which files the renderer may name. The renderer is not trusted with the disk (in
// headless mode anyone with the token, or a script injected into the page, speaks for it):
//
// - Desktop: a path is usable when the user pointed at it (a native file dialog, the
//   command line, a double-click) or it is on the recent list (kept in the config folder,
//   which the API can never write).
// - Headless (`wireplan serve --dir WORKSPACE`): additionally any design or export file
//   inside the workspace, named plainly: no '..', nothing outside the workspace, no hidden
//   (dot) names anywhere in the path, the expected extension, and no symbolic link that
//   leads out of the workspace or to such a name.
// - Always: nothing inside Wireplan's own config folder (recent list, autosave, secrets,
//   known_hosts), and only regular files.
//
// Every refusal says exactly why.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { resolveWriteTarget } from '../atomicWrite';

export type FileKind = 'design' | 'export';

/** Names a design may have: NAME.wireplan.json or NAME.json. */
export const DESIGN_NAME = /\.json$/i;
/** Names an export may have: scripts, diagrams, data. */
export const EXPORT_NAME = /\.(sh|bash|svg|png|json|txt|csv|pcap)$/i;

export interface AllowedPath {
  /** The path as named (absolute). */
  path: string;
  /** The file really read or written (symlinks followed); the key for the path lock. */
  real: string;
}

export type AccessCheck = AllowedPath | { error: string };

export interface FileAccessOptions {
  /** Headless workspace folders; relative paths resolve against the first. */
  roots?: readonly string[];
  /** Wireplan's config folder: never reachable. */
  configDir?: string;
  /** Paths allowed from elsewhere (the desktop app's recent list). */
  known?: () => Promise<readonly string[]>;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

function hiddenPart(rel: string): string | undefined {
  return rel.split(sep).find((part) => part.startsWith('.'));
}

function nameRule(kind: FileKind): { re: RegExp; expected: string } {
  return kind === 'design'
    ? { re: DESIGN_NAME, expected: 'a design file name ends in .wireplan.json or .json' }
    : { re: EXPORT_NAME, expected: 'an export file name ends in .sh, .bash, .svg, .png, .json, .txt, .csv or .pcap' };
}

export class FileAccess {
  private readonly granted = new Set<string>();
  private readonly roots: readonly string[];

  constructor(private readonly opts: FileAccessOptions = {}) {
    this.roots = (opts.roots ?? []).map((r) => resolve(r));
  }

  get headless(): boolean {
    return this.roots.length > 0;
  }

  /** The user pointed at this path outside the API (dialog, command line): usable by name. */
  grant(path: string): void {
    this.granted.add(resolve(path));
  }

  /** The absolute path a renderer-supplied path means, or why it cannot mean one. */
  resolvePath(path: string): string | { error: string } {
    if (path.split(/[/\\]/).includes('..')) return { error: `${path}: '..' is not allowed in a path; name a file inside the workspace` };
    if (isAbsolute(path)) return normalize(path);
    const root = this.roots[0];
    if (!root) return { error: `${path}: expected an absolute path` };
    return resolve(root, path);
  }

  /**
   * May the renderer read or write `path` as a file of this kind? `trusted`: the user just
   * chose it in a native dialog (only the config-folder and file-type checks apply).
   */
  async check(path: string, kind: FileKind, refusal: string, trusted = false): Promise<AccessCheck> {
    const abs = this.resolvePath(path);
    if (typeof abs !== 'string') return abs;
    const config = await this.configRefusal(abs, abs);
    if (config) return { error: config };
    const checked = !trusted && !this.granted.has(abs);
    if (checked && this.headless) {
      const why = this.namedRefusal(abs, kind);
      if (why) return { error: why };
    }
    let real: string;
    try {
      real = await resolveWriteTarget(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { error: `${abs}: the folder ${dirname(abs)} does not exist` };
      if (code === 'ELOOP') return { error: `${abs}: too many levels of symbolic links` };
      return { error: `${abs}: ${(e as Error).message}` };
    }
    const realConfig = await this.configRefusal(abs, real);
    if (realConfig) return { error: realConfig };

    if (checked) {
      const why = this.headless ? await this.linkRefusal(abs, real, kind) : await this.desktopRefusal(abs, kind, refusal);
      if (why) return { error: why };
    }
    try {
      const st = await stat(real);
      if (!st.isFile()) return { error: `${abs}: not a regular file${st.isDirectory() ? ' (a folder)' : ''}` };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { error: `${abs}: ${(e as Error).message}` };
    }
    return { path: abs, real };
  }

  private async configRefusal(abs: string, real: string): Promise<string | undefined> {
    if (!this.opts.configDir) return undefined;
    const cfg = resolve(this.opts.configDir);
    const realCfg = await realOrResolved(cfg);
    if (inside(cfg, real) || inside(realCfg, real)) {
      const via = real === abs ? '' : ` (a symbolic link leads to ${real})`;
      return `${abs}: inside Wireplan's own config folder ${cfg}${via}; app state (recent list, autosave, keys) is never readable or writable through the API`;
    }
    return undefined;
  }

  private async desktopRefusal(abs: string, kind: FileKind, refusal: string): Promise<string | undefined> {
    const known = this.opts.known ? await this.opts.known() : [];
    if (!known.includes(abs)) return `${abs}: ${refusal}`;
    const rule = nameRule(kind);
    if (!rule.re.test(basename(abs))) return `${abs}: not ${kind === 'export' ? 'an' : 'a'} ${kind} file: ${rule.expected}`;
    return undefined;
  }

  /** The workspace rules for the path as named: inside, no hidden part, the right extension. */
  private namedRefusal(abs: string, kind: FileKind): string | undefined {
    const root = this.roots.find((r) => inside(r, abs));
    if (root === undefined) return `${abs}: outside the workspace ${this.roots[0]}; wireplan serve reads and writes only files inside it`;
    const named = hiddenPart(relative(root, abs));
    if (named !== undefined) return `${abs}: hidden names (starting with ".") are not allowed in the workspace: "${named}"`;
    const rule = nameRule(kind);
    if (!rule.re.test(basename(abs))) return `${abs}: not ${kind === 'export' ? 'an' : 'a'} ${kind} file: ${rule.expected}`;
    return undefined;
  }

  /** The same rules for the file really used, when symbolic links lead elsewhere. */
  private async linkRefusal(abs: string, real: string, kind: FileKind): Promise<string | undefined> {
    const rule = nameRule(kind);
    if (real !== abs) {
      const realRoots = await Promise.all(this.roots.map(realOrResolved));
      const realRoot = realRoots.find((r) => inside(r, real));
      if (realRoot === undefined) return `${abs}: a symbolic link leads out of the workspace (to ${real})`;
      const realHidden = hiddenPart(relative(realRoot, real));
      if (realHidden !== undefined) return `${abs}: a symbolic link leads to a hidden name "${realHidden}" (${real})`;
      if (!rule.re.test(basename(real))) return `${abs}: a symbolic link leads to ${real}, which is not ${kind === 'export' ? 'an' : 'a'} ${kind} file: ${rule.expected}`;
    }
    return undefined;
  }
}
