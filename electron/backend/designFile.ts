// Reading a design file from disk with errors a user can act on.
import { readFile } from 'node:fs/promises';
import { parseDesign, type LoadResult } from '../../shared/model/parse';

export type FileLoadResult = LoadResult | { ok: false; kind: 'unreadable'; errors: { path: string; message: string }[] };

/** Larger than any real design; refuse before parsing a huge or wrong file. */
export const MAX_DESIGN_BYTES = 64 * 1024 * 1024;

/** Reads a design from `path`, or through `read` when given (the CLI's `-` for standard input). */
export async function loadDesignFile(path: string, read: (path: string) => Promise<Buffer> = readFile): Promise<FileLoadResult> {
  let text: string;
  try {
    const buf = await read(path);
    if (buf.length > MAX_DESIGN_BYTES) {
      return { ok: false, kind: 'unreadable', errors: [{ path: '', message: `${path}: file is larger than 64 MiB; not a Wireplan design` }] };
    }
    text = buf.toString('utf8');
  } catch (e) {
    return { ok: false, kind: 'unreadable', errors: [{ path: '', message: describeFsError(path, e) }] };
  }
  return parseDesign(text);
}

/** "PATH: why" for a failed file operation, in words a user can act on. */
export function describeFsError(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a directory'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.code === 'ENOSPC'
            ? 'no space left on the device (nothing was changed)'
            : err.code === 'EDQUOT'
              ? 'disk quota exceeded (nothing was changed)'
              : err.code === 'EROFS'
                ? 'the file system is read-only'
                : err.code === 'ELOOP'
                  ? 'too many levels of symbolic links'
                  : err.message.startsWith(`${path}: `)
                    ? err.message.slice(path.length + 2)
                    : err.message;
  return `${path}: ${why}`;
}

export function describeLoadFailure(file: string, result: Exclude<FileLoadResult, { ok: true }>): string {
  const head =
    result.kind === 'newer'
      ? `${file}: made by a newer Wireplan`
      : result.kind === 'not-wireplan'
        ? `${file}: not a Wireplan design`
        : result.kind === 'not-json'
          ? `${file}: not valid JSON`
          : result.kind === 'unreadable'
            ? `cannot read ${file}`
            : `${file}: invalid design`;
  const lines = result.errors.slice(0, 50).map((e) => `  ${e.path ? `${e.path}: ` : ''}${e.message}`);
  if (result.errors.length > 50) lines.push(`  ... and ${result.errors.length - 50} more`);
  return [head, ...lines].join('\n');
}
