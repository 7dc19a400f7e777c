// A design file on disk as the service reads and compares it: its bytes, its version
// (mtime, size, SHA-256, for detecting changes made elsewhere) and errors a user can act on.
import { createHash } from 'node:crypto';
import { open as openFile } from 'node:fs/promises';
import type { FileVersion } from '../../../shared/api/contract';
import { stripBom } from '../../../shared/model/parse';
import { MAX_DESIGN_BYTES } from '../designFile';

/** UTF-8 text of a design file's bytes, without a byte order mark. */
export function decodeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return stripBom(text);
}

export function versionOf(bytes: Uint8Array, mtimeMs: number): FileVersion {
  return { mtimeMs, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The file's bytes and version now, or undefined when there is no file. */
export async function readVersioned(path: string): Promise<{ bytes: Buffer; version: FileVersion; mode: number } | undefined> {
  let fh;
  try {
    fh = await openFile(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    if (size > MAX_DESIGN_BYTES) throw Object.assign(new Error(`${path}: file is larger than 64 MiB; not a Wireplan design`), { code: 'EFBIG' });
    const bytes = await fh.readFile();
    const { mtimeMs, mode } = await fh.stat();
    return { bytes, version: versionOf(bytes, mtimeMs), mode: mode & 0o7777 };
  } finally {
    await fh.close();
  }
}

/** The file format number of a design file's text, if it is one. */
export function formatOf(text: string): number | undefined {
  try {
    const doc = JSON.parse(stripBom(text)) as unknown;
    const v = typeof doc === 'object' && doc !== null ? (doc as { wireplan?: unknown }).wireplan : undefined;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
