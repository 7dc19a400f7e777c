// How the backend asks the user for a file. The desktop shell implements this with
// native dialogs; `wireplan serve` has no native UI, so a design saved with Save As lands
// in its workspace folder under a name that never overwrites anything, an export under
// its suggested name (the service answers "exists" instead of replacing a file), and an
// open is done by the browser's own file picker on the page (see renderer/src/api/wsApi.ts).
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

export type SaveKind = 'design' | 'export';

export interface Dialogs {
  /**
   * True for native dialogs: the user picked the path (anywhere) and the dialog itself
   * confirmed replacing an existing file. Otherwise the path only follows a name the page
   * suggested, and the workspace rules and overwrite checks apply.
   */
  readonly native?: boolean;
  /** An absolute path the user chose, undefined when canceled, or why there is no dialog. */
  chooseOpen(): Promise<string | undefined | { error: string }>;
  chooseSave(kind: SaveKind, suggestedName: string): Promise<string | undefined | { error: string }>;
}

/** "name.wireplan.json" -> "name-2.wireplan.json" (the double extension stays whole). */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const m = /^(.*?)((?:\.wireplan)?\.[A-Za-z0-9]{1,8})$/.exec(name);
  const stem = m ? m[1]! : name;
  const ext = m ? m[2]! : extname(name);
  return `${stem || 'file'}-${n}${ext}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** A fresh path in `dir` for `name`: name, name-2, name-3 ... */
export async function freshPath(dir: string, name: string): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const candidate = join(dir, numberedName(name, n));
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`no free file name for ${name} in ${dir}`);
}

export function headlessDialogs(workspaceDir: string): Dialogs {
  return {
    async chooseOpen() {
      return { error: 'there is no file dialog in headless mode: choose the file in the browser, or pass it to `wireplan serve FILE`' };
    },
    async chooseSave(kind, suggestedName) {
      await mkdir(workspaceDir, { recursive: true });
      return kind === 'export' ? join(workspaceDir, suggestedName) : freshPath(workspaceDir, suggestedName);
    },
  };
}
