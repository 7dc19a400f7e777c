// The folders of the headless workspace, for the page's own Save dialogs. Only what the
// file-access rules would let a save use (fileAccess.ts): real folders inside the
// workspace, no hidden names, and no symbolic links (one could lead outside). Bounded in
// depth and count so a huge tree cannot stall the backend.
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

export const MAX_FOLDER_DEPTH = 4;
export const MAX_FOLDERS = 500;

/** Relative folder paths under `root` ('' is the root itself), sorted, breadth-first within the bounds. */
export async function listWorkspaceFolders(root: string): Promise<string[]> {
  const out: string[] = [''];
  let level: string[] = [''];
  for (let depth = 1; depth <= MAX_FOLDER_DEPTH && level.length && out.length < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      let dir;
      try {
        dir = await opendir(join(root, rel));
      } catch {
        continue; // unreadable: simply not offered
      }
      for await (const entry of dir) {
        // isDirectory() is false for a symbolic link to a folder: links are never offered.
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        if (out.length >= MAX_FOLDERS) break;
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        out.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return out.sort((a, b) => a.localeCompare(b));
}
