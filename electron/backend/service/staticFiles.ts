// Serving the built renderer from a folder: GET/HEAD only, no directory listings, no path
// that leaves the folder (dot-dot, encoded or not, and symlinks included).
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { CONTENT_TYPES } from './csp';

export type StaticResult = { status: 200; body: Buffer; contentType: string; file: string } | { status: 400 | 404 | 405 };

export async function resolveStatic(root: string, method: string, rawUrl: string): Promise<StaticResult> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://x').pathname);
  } catch {
    return { status: 400 };
  }
  if (pathname.includes('\0') || pathname.split('/').some((s) => s === '..')) return { status: 400 };
  if (pathname.endsWith('/')) pathname += 'index.html';
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return { status: 404 };
  const candidate = resolve(join(realRoot, pathname));
  const real = await realpath(candidate).catch(() => undefined);
  if (!real) return { status: 404 };
  const rel = relative(realRoot, real);
  if (rel.startsWith('..') || isAbsolute(rel)) return { status: 404 };
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return { status: 404 };
  const contentType = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
  return { status: 200, body: await readFile(real), contentType, file: rel };
}
