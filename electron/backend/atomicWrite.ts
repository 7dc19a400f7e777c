// Replacing a file so that it cannot tear. A save writes a temporary file with a random
// name beside the real target (following symlinks, so the link stays and its target is
// updated), gives it the target's mode and owner, fsyncs it, renames it over the target and
// fsyncs the folder. Any failure (ENOSPC included) removes the temporary file and leaves
// the old file as it was. Saves of one path are serialised in this process (withPathLock);
// temporary files left by a killed process are recognisable by name and removed by
// removeStaleTemps (at start) and by the next save of the same file.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** `.NAME.<pid>-<16 hex>.wptmp`: ours, and whose process wrote it. */
const TEMP_RE = /^\.(.+)\.(\d{1,10})-([0-9a-f]{16})\.wptmp$/;
/** `.NAME.<pid>.<epoch ms>.tmp`: what earlier Wireplan versions' saves left behind (cleaned up too). */
const LEGACY_TEMP_RE = /^\.(.+)\.(\d{1,10})\.(\d{12,14})\.tmp$/;

export function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(8).toString('hex')}.wptmp`);
}

/** True when `name` is a temporary file of an atomic write (of any Wireplan process). */
export function isTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` after every earlier call for the same key has finished (one writer per path in
 * this process). The key should be the real path of the file.
 */
export function withPathLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return run;
}

/**
 * The file a write to `path` really changes: `path` itself, or the end of its symlink
 * chain (also when the last link dangles: writing through it creates the target).
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await lstat(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        // The folder may itself be reached through links.
        const dir = await realpath(dirname(current));
        return join(dir, basename(current));
      }
      throw e;
    }
    if (!st.isSymbolicLink()) return join(await realpath(dirname(current)), basename(current));
    const to = await readlink(current);
    current = isAbsolute(to) ? to : resolve(dirname(current), to);
  }
  const err = new Error(`${path}: too many levels of symbolic links`) as NodeJS.ErrnoException;
  err.code = 'ELOOP';
  throw err;
}

export interface AtomicWriteOptions {
  /** Mode of a new file (an existing file keeps its own). Default 0o644. */
  mode?: number;
  /** Set this mode even when the file exists (an export the user asked to be executable). */
  forceMode?: boolean;
  /** Fail with EEXIST instead of replacing an existing file (checked atomically). */
  noClobber?: boolean;
}

async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    await fh.sync();
  } catch (e) {
    // Some file systems cannot fsync a folder; the rename is done either way.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw e;
  } finally {
    await fh?.close();
  }
}

/**
 * Writes `data` to `path` atomically (see the file comment). Does not take the path lock:
 * callers that may overlap use withPathLock (writeFileAtomic does).
 */
export async function writeFileAtomicUnlocked(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<string> {
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const st = await stat(target);
    if (!st.isFile()) {
      const err = new Error(`${path}: not a regular file`) as NodeJS.ErrnoException;
      err.code = st.isDirectory() ? 'EISDIR' : 'EINVAL';
      throw err;
    }
    if (opts.noClobber) {
      const err = new Error(`${path}: already exists`) as NodeJS.ErrnoException;
      err.code = 'EEXIST';
      throw err;
    }
    existing = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await removeStaleTemps(dir, { only: basename(target) }).catch(() => undefined);
  const tmp = tempName(target);
  const mode = opts.forceMode || !existing ? (opts.mode ?? 0o644) : existing.mode;
  let fh: FileHandle | undefined;
  let created = false;
  try {
    fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    created = true;
    await fh.writeFile(data);
    const made = existing ? await fh.stat() : undefined;
    if (existing && made && (made.uid !== existing.uid || made.gid !== existing.gid)) {
      // Keep the owner: possible for root, and for the owner changing only the group it is in.
      await fh.chown(existing.uid, existing.gid).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPERM') throw e;
        const err = new Error(`${path}: the file belongs to another user or group (uid ${existing!.uid}, gid ${existing!.gid}) and replacing it would change its owner; nothing was changed`) as NodeJS.ErrnoException;
        err.code = 'EOWNER';
        throw err;
      });
    }
    await fh.chmod(mode);
    await fh.sync();
    await fh.close();
    fh = undefined;
    if (opts.noClobber) {
      // link() never replaces: an existing target fails with EEXIST.
      await link(tmp, target);
      await unlink(tmp);
    } else {
      await rename(tmp, target);
    }
    created = false;
    await syncDir(dir);
  } finally {
    await fh?.close().catch(() => undefined);
    if (created) await unlink(tmp).catch(() => undefined);
  }
  return target;
}

/**
 * writeFileAtomicUnlocked under the path lock of the file really written. A plain number is
 * the file's mode, set even when it exists (CLI outputs, private state files).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode: number | AtomicWriteOptions = 0o644): Promise<void> {
  const opts = typeof mode === 'number' ? { mode, forceMode: true } : mode;
  const key = await resolveWriteTarget(path).catch(() => resolve(path));
  await withPathLock(key, () => writeFileAtomicUnlocked(path, data, opts));
}

/**
 * Removes temporary files of atomic writes in `dir` whose writing process is gone (killed
 * mid-save). `only`: just those of this file name. `depth`: also sub-folders that many
 * levels down (hidden folders and symlinks are not entered). Returns the removed paths.
 */
export async function removeStaleTemps(dir: string, opts: { only?: string; depth?: number } = {}): Promise<string[]> {
  const removed: string[] = [];
  let budget = 20_000; // entries looked at, so a huge folder cannot stall the start
  const walk = async (d: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (--budget < 0) return;
      const m = TEMP_RE.exec(e.name) ?? LEGACY_TEMP_RE.exec(e.name);
      if (m && e.isFile()) {
        if (opts.only !== undefined && m[1] !== opts.only) continue;
        if (processAlive(Number(m[2]))) continue;
        const p = join(d, e.name);
        try {
          await unlink(p);
          removed.push(p);
        } catch {
          // gone already, or not ours to remove
        }
      } else if (depth > 0 && e.isDirectory() && !e.name.startsWith('.')) {
        await walk(join(d, e.name), depth - 1);
      }
    }
  };
  await walk(dir, opts.depth ?? 0);
  return removed;
}
