// File operations: the API contract on one side, the editor store on the other.
import { api } from '../api';
import { serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';

const store = () => useEditor.getState();

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
  return !isDirty() || window.confirm('The design has unsaved changes. Discard them?');
}

export async function openFile(path?: string): Promise<void> {
  if (!discardOk()) return;
  const r = await api.openDesign(path);
  if (!r.ok) {
    if (!r.canceled) store().toast('error', r.error);
    return;
  }
  if (store().openText(r.text, r.path.slice(r.path.lastIndexOf('/') + 1), r.path)) {
    await api.clearAutosave();
  }
}

export async function save(saveAs = false): Promise<boolean> {
  const s = store();
  const design = s.design;
  const r = await api.saveDesign(saveAs ? undefined : s.file.path, serializedOf(design), suggestedName());
  if (!r.ok) {
    if (!r.canceled) store().toast('error', `Could not save: ${r.error}`);
    return false;
  }
  // Edits made while saving stay dirty: mark the version that was written.
  useEditor.setState((st) => ({ file: { path: r.path, savedDesign: design }, history: { ...st.history, coalesce: undefined } }));
  store().toast('info', `Saved ${r.path}`);
  if (store().design === design) await api.clearAutosave();
  return true;
}

export async function openExample(id: string): Promise<void> {
  if (!discardOk()) return;
  const r = await api.readExample(id);
  if (!r.ok) return store().toast('error', r.error);
  if (store().openText(r.text, `example "${id}"`)) store().setDialog('none');
}

export function newDesign(): void {
  if (!discardOk()) return;
  store().newDesign();
  void api.clearAutosave();
}
