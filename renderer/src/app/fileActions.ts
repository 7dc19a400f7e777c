// File operations: the API contract on one side, the editor store on the other.
//
// Saving never replaces a change made on disk behind the app's back: every save names the
// file version it was based on, and when the file changed meanwhile the backend answers
// with a conflict and the app asks, like VS Code: reload the file, overwrite it, or save
// under another name. One save at a time: Save is disabled while one is in flight.
// Exports never replace a file without asking either.
import { create } from 'zustand';
import type { ExportFileRequest, SaveResult } from '../../../shared/api/contract';
import { api, pageDialogs } from '../api';
import { chooseAndWrite } from './saveLocation';
import { serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';

const store = () => useEditor.getState();

export interface SaveConflict {
  path: string;
  /** The backend's explanation (what changed on disk, and when). */
  message: string;
}

/** Save in flight, and a conflict waiting for the user's choice. */
export const useSaveState = create<{ saving: boolean; conflict: SaveConflict | null }>(() => ({ saving: false, conflict: null }));

export function isDirty(): boolean {
  const s = store();
  return s.design !== s.file.savedDesign;
}

function suggestedName(): string {
  const name = store().design.name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${name || 'design'}.wireplan.json`;
}

/** Asks before throwing away unsaved changes (New and Open reset the undo history). */
function discardOk(): boolean {
  // A document nobody edited since it was opened (an example, say) has nothing to lose.
  // (A recovered autosave is one undo step, so it still asks; an import is its only copy.)
  const untouched = store().history.past.length === 0 && !store().file.onlyCopy;
  return !isDirty() || untouched || window.confirm('The design has unsaved changes. Discard them?');
}

/** Reads a file into the editor, replacing the design (the caller has asked about unsaved changes). */
async function load(path?: string): Promise<boolean> {
  const r = await api.openDesign(path);
  if (!r.ok) {
    if (!r.canceled) store().toast('error', r.error);
    return false;
  }
  if (store().openText(r.text, r.path.slice(r.path.lastIndexOf('/') + 1), r.path, r.version)) {
    await api.clearAutosave();
    return true;
  }
  return false;
}

export async function openFile(path?: string): Promise<void> {
  if (!discardOk()) return;
  await load(path);
}

/**
 * Saves the design (Save As when `saveAs` or never saved). `overwrite`: the user chose to
 * replace the file whatever is on disk now. False when nothing was written.
 */
export async function save(saveAs = false, opts: { overwrite?: boolean } = {}): Promise<boolean> {
  if (useSaveState.getState().saving) {
    store().toast('info', 'A save is already in progress');
    return false;
  }
  useSaveState.setState({ saving: true, conflict: null });
  try {
    const s = store();
    const design = s.design;
    const path = saveAs ? undefined : s.file.path;
    const condition = path === undefined ? undefined : opts.overwrite ? { overwrite: true as const } : { ifVersion: s.file.version ?? null };
    let r: SaveResult;
    try {
      const text = serializedOf(design);
      r =
        path === undefined && pageDialogs
          ? await chooseAndWrite({
              title: 'Save design as',
              suggestedName: suggestedName(),
              extensions: ['.json'],
              write: (where, overwrite) => api.saveDesign(where, text, undefined, overwrite ? { overwrite: true } : { ifVersion: null }),
            })
          : await api.saveDesign(path, text, suggestedName(), condition);
    } catch (e) {
      store().toast('error', `Could not save: ${(e as Error).message}`);
      return false;
    }
    if (!r.ok) {
      if (r.canceled) return false;
      if (r.reason === 'conflict' && path !== undefined) useSaveState.setState({ conflict: { path, message: r.error } });
      else store().toast('error', `Could not save: ${r.error}`);
      return false;
    }
    // Edits made while saving stay dirty: mark the version that was written.
    useEditor.setState((st) => ({ file: { path: r.path, savedDesign: design, ...(r.version ? { version: r.version } : {}) }, history: { ...st.history, coalesce: undefined } }));
    store().toast('info', r.backup ? `Saved ${r.path} (the file of an older format was kept as ${r.backup})` : `Saved ${r.path}`);
    if (store().design === design) await api.clearAutosave();
    return true;
  } finally {
    useSaveState.setState({ saving: false });
  }
}

/** The answers to a save conflict. */
export const conflictChoices = {
  /** Discard the changes on screen and read the file as it is on disk now. */
  async reload(): Promise<void> {
    const c = useSaveState.getState().conflict;
    useSaveState.setState({ conflict: null });
    if (c) await load(c.path);
  },
  /** Replace the file on disk with the design on screen. */
  async overwrite(): Promise<void> {
    useSaveState.setState({ conflict: null });
    await save(false, { overwrite: true });
  },
  /** Keep the file on disk and save the design under another name. */
  async saveAs(): Promise<void> {
    useSaveState.setState({ conflict: null });
    await save(true);
  },
  cancel(): void {
    useSaveState.setState({ conflict: null });
  },
};

/** Exports through the API; an existing file is replaced only after the user confirms. */
export async function exportFile(request: ExportFileRequest): Promise<SaveResult> {
  if (pageDialogs) {
    const ext = /\.[a-z0-9]+$/i.exec(request.suggestedName)?.[0];
    return chooseAndWrite({
      title: 'Export',
      suggestedName: request.suggestedName,
      extensions: ext ? [ext.toLowerCase()] : ['.sh', '.svg', '.png', '.json', '.txt', '.csv'],
      write: (path, overwrite) => api.exportFile({ ...request, path, overwrite }),
    });
  }
  const r = await api.exportFile(request);
  if (r.ok || r.canceled || r.reason !== 'exists') return r;
  if (!window.confirm(`${r.path ?? request.suggestedName} already exists. Replace it?`)) return { ok: false, canceled: true };
  return api.exportFile({ ...request, overwrite: true });
}

export async function openExample(id: string): Promise<void> {
  if (!discardOk()) return;
  const r = await api.readExample(id);
  if (!r.ok) return store().toast('error', r.error);
  if (store().openText(r.text, `example "${id}"`)) store().setDialog('none');
}

/** Opens text as a new, unsaved design (Import from host); false when the user kept the old one. */
export function openAsNewDesign(text: string, source: string): boolean {
  if (!discardOk()) return false;
  if (!store().openText(text, source)) return false;
  useEditor.setState((s) => ({ file: { ...s.file, onlyCopy: true } }));
  void api.clearAutosave();
  return true;
}

export function newDesign(): void {
  if (!discardOk()) return;
  store().newDesign();
  void api.clearAutosave();
}
