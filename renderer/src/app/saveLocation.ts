// The page's own Save dialog for `wireplan serve` (there is no native dialog in a browser):
// the user names the file and picks a folder of the workspace, and an existing file is
// replaced only after the user confirmed it in the dialog. The desktop app keeps its native
// dialogs, and the browser-only preview keeps its downloads.
import { create } from 'zustand';
import type { SaveResult } from '../../../shared/api/contract';

/** One try at writing: `overwrite` once the user confirmed replacing an existing file. */
export type WriteAttempt = (path: string, overwrite: boolean) => Promise<SaveResult>;

export interface SaveLocationRequest {
  title: string;
  suggestedName: string;
  /** What the name must end with, said in the dialog when it does not. */
  extensions: readonly string[];
  write: WriteAttempt;
  done(result: SaveResult): void;
  /** Tells requests apart (a new one starts a fresh form). */
  id: number;
}

export const useSaveLocation = create<{ request: SaveLocationRequest | null }>(() => ({ request: null }));

/** Shows the dialog; resolves with the final write's result (or canceled). */
let seq = 0;

export function chooseAndWrite(opts: Omit<SaveLocationRequest, 'done' | 'id'>): Promise<SaveResult> {
  // One at a time: a second request cancels the first.
  useSaveLocation.getState().request?.done({ ok: false, canceled: true });
  return new Promise((resolve) => {
    useSaveLocation.setState({
      request: {
        ...opts,
        id: ++seq,
        done: (result) => {
          useSaveLocation.setState({ request: null });
          resolve(result);
        },
      },
    });
  });
}

/** Why a file name typed in the dialog cannot be used, or undefined. */
export function nameProblem(name: string, extensions: readonly string[]): string | undefined {
  if (name.trim() === '') return 'Type a file name';
  if (/[/\\]/.test(name)) return 'A file name cannot contain "/" or "\\"; pick the folder in the list';
  if (name.startsWith('.')) return 'A file name cannot start with "." (hidden names are not allowed in the workspace)';
  if (name.includes('\0')) return 'A file name cannot contain NUL';
  if (!extensions.some((ext) => name.toLowerCase().endsWith(ext))) return `The name must end in ${extensions.join(', ')}`;
  return undefined;
}

/** The workspace-relative path for a folder ('' = the workspace) and a name. */
export function joinPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}
