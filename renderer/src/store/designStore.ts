// The one editor store. The design document is the source of truth; canvas nodes and
// edges are derived from it. Every user operation is a named action; each says whether
// it enters undo history (edits do; selection, drags in progress, focus and UI do not).
import { create } from 'zustand';
import type { FileVersion } from '../../../shared/api/contract';
import { parseDesign, type LoadError } from '../../../shared/model/parse';
import type { Design } from '../../../shared/model/schema';
import { copyElements, pasteClip, type Clip } from '../model/clipboard';
import { connect as connectModel } from '../model/connect';
import { addNode as addNodeModel } from '../model/create';
import { setDesignField, setElementField, type Path } from '../model/edit';
import { emptyDesign } from '../model/empty';
import type { NodeKind } from '../model/kinds';
import { fitFrames, frameRect, type XY } from '../model/layout';
import { lookup } from '../model/lookup';
import { commitMoves, type NodeMove } from '../model/move';
import { removalSet, removeElements } from '../model/remove';
import { relations } from '../model/relations';
import { propagateName } from '../model/rename';
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type History } from './history';

/** A node's transient position during a drag; frames being resized also carry a size. */
export interface DragState extends XY {
  width?: number;
  height?: number;
}

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface LoadFailure {
  source: string;
  kind: string;
  errors: LoadError[];
}

export type SidePanel = 'inspector' | 'diagnostics' | 'plan';
export type Theme = 'light' | 'dark';
export type Dialog = 'none' | 'help' | 'export' | 'examples' | 'recent' | 'hosts' | 'check' | 'import';

export interface EditorState {
  design: Design;
  history: History;
  /** Selected canvas node/edge ids (element ids, NIC node ids, reference edge ids). */
  selection: string[];
  /** Positions (and, for a frame being resized, sizes) of nodes being dragged right now; never in history. */
  drag: Record<string, DragState> | null;
  clipboard: Clip | null;
  /** The open file: its path, the design last written to or read from it, and that file version (the next save's precondition). */
  /** `onlyCopy`: the design exists nowhere else (a host import), so even unedited it is not discarded silently. */
  file: { path?: string; savedDesign: Design; version?: FileVersion; onlyCopy?: true };
  loadFailure: LoadFailure | null;
  /** A request for the canvas to zoom to an element; `n` makes repeated requests distinct. */
  focus: { id: string; n: number } | null;
  toasts: Toast[];
  panel: SidePanel;
  dialog: Dialog;
  /** Context for the open dialog (e.g. the host an export is for). */
  dialogArg?: string;
  searchOpen: boolean;
  theme: Theme;
  pasteCount: number;
  /** Bumped whenever a different document is loaded (new/open/recover): the canvas refits. */
  docSerial: number;

  // ---- document
  newDesign(): void;
  /** Loads a design file's text; on failure shows the errors and keeps the current design. */
  openText(text: string, source: string, path?: string, version?: FileVersion): boolean;
  /** Restores an autosaved design as unsaved changes (one undoable step). */
  recover(text: string, path?: string, version?: FileVersion): boolean;
  markSaved(path: string): void;
  // ---- edits (enter history)
  addNode(kind: NodeKind, point: XY, inHost?: string): string;
  connect(sourceId: string, targetId: string): boolean;
  /** A quick fix (or any named whole-design change) as one undoable step. */
  applyFix(label: string, design: Design): void;
  setField(id: string, path: Path, value: unknown): void;
  setDesignField(key: 'name' | 'tag' | 'description', value: string | undefined): void;
  /** Changes an element's id and every reference to it; false (with a toast) when refused. */
  /** Ends the current field edit: the next edit is a new undo step. */
  endEdit(): void;
  deleteIds(ids: readonly string[]): void;
  deleteSelection(): void;
  moveNodes(moves: readonly NodeMove[]): void;
  /** A host frame resized by the user (never smaller than its contents). */
  resizeFrame(hostId: string, size: { width: number; height: number }): void;
  applyLayout(label: string, design: Design): void;
  paste(): void;
  duplicate(): void;
  undo(): void;
  redo(): void;
  // ---- no history
  copy(): void;
  select(ids: readonly string[]): void;
  selectAll(): void;
  setDrag(drag: Record<string, DragState> | null): void;
  focusElement(id: string): void;
  setPanel(panel: SidePanel): void;
  setDialog(dialog: Dialog, arg?: string): void;
  setSearchOpen(open: boolean): void;
  setTheme(theme: Theme): void;
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
  dismissLoadFailure(): void;
}

let toastSeq = 0;

/** How undo/redo labels name an element: by its name (ids are never shown). */
function nameIn(design: Design, id: string): string {
  const el = lookup(design).byId.get(id)?.element as { name?: string } | undefined;
  return el?.name ? `"${el.name}"` : 'an element';
}

function initialTheme(): Theme {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('wireplan.theme') : null;
  if (stored === 'light' || stored === 'dark') return stored;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function createEditorStore(initial: Design = emptyDesign()) {
  return create<EditorState>()((set, get) => {
    /** Applies an edit: records history, keeps selection to what still exists. */
    const commit = (label: string, next: Design, opts: { coalesce?: string; select?: string[] } = {}) => {
      const s = get();
      if (next === s.design) return;
      const history = record(s.history, s.design, label, opts.coalesce);
      const selection = opts.select ?? keepExisting(next, s.selection);
      set({ design: next, history, selection, drag: null });
    };

    const toast = (kind: Toast['kind'], text: string) =>
      set((s) => ({ toasts: [...s.toasts.slice(-3), { id: ++toastSeq, kind, text }] }));

    const load = (text: string, source: string): Design | undefined => {
      const result = parseDesign(text);
      if (!result.ok) {
        set({ loadFailure: { source, kind: result.kind, errors: result.errors } });
        return undefined;
      }
      if (result.migratedFrom !== undefined) toast('info', `${source} was upgraded from file format ${result.migratedFrom}; saving writes the new format`);
      return result.design;
    };

    return {
      design: initial,
      history: emptyHistory(),
      selection: [],
      drag: null,
      clipboard: null,
      file: { savedDesign: initial },
      loadFailure: null,
      focus: null,
      toasts: [],
      panel: 'inspector',
      dialog: 'none',
      searchOpen: false,
      theme: initialTheme(),
      pasteCount: 0,
      docSerial: 0,

      newDesign() {
        const d = emptyDesign();
        set((s) => ({ docSerial: s.docSerial + 1 }));
        set({ design: d, history: emptyHistory(), selection: [], file: { savedDesign: d }, loadFailure: null, drag: null });
      },
      openText(text, source, path, version) {
        const d = load(text, source);
        if (!d) return false;
        set((s) => ({ docSerial: s.docSerial + 1 }));
        set({
          design: d,
          history: emptyHistory(),
          selection: [],
          file: path === undefined ? { savedDesign: emptyDesign() } : { path, savedDesign: d, ...(version ? { version } : {}) },
          loadFailure: null,
          drag: null,
        });
        return true;
      },
      recover(text, path, version) {
        const d = load(text, 'the autosaved design');
        if (!d) return false;
        set({ file: path === undefined ? { savedDesign: get().file.savedDesign } : { path, savedDesign: get().file.savedDesign, ...(version ? { version } : {}) } });
        commit('Recover autosaved design', d, { select: [] });
        set((s) => ({ docSerial: s.docSerial + 1 }));
        return true;
      },
      markSaved(path) {
        set((s) => ({ file: { path, savedDesign: s.design }, history: { ...s.history, coalesce: undefined } }));
      },

      addNode(kind, point, inHost) {
        const { design, id } = addNodeModel(get().design, kind, point, inHost);
        commit(`Add ${kind}`, design, { select: [id] });
        return id;
      },
      connect(sourceId, targetId) {
        const r = connectModel(get().design, sourceId, targetId);
        if (!r.ok) {
          toast('error', r.reason);
          return false;
        }
        commit(r.label, r.design, r.created ? { select: [r.created] } : {});
        return true;
      },
      applyFix(label, design) {
        commit(label, design);
      },
      setField(id, path, value) {
        const before = get().design;
        let next = setElementField(before, id, path, value);
        // A new name: the link names and kernel names derived from the old one follow.
        if (path.length === 1 && path[0] === 'name' && typeof value === 'string') {
          const old = (lookup(before).byId.get(id)?.element as { name?: string } | undefined)?.name;
          if (old !== undefined && old !== value && value) next = propagateName(next, id, old, value);
        }
        commit(`Edit ${nameIn(before, id)} ${path.join('.')}`, next, { coalesce: `${id}/${path.join('/')}` });
      },
      setDesignField(key, value) {
        commit(`Edit design ${key}`, setDesignField(get().design, key, value), { coalesce: `design/${key}` });
      },
      endEdit() {
        const h = get().history;
        if (h.coalesce !== undefined) set({ history: { ...h, coalesce: undefined } });
      },
      deleteIds(ids) {
        if (ids.length === 0) return;
        const d = get().design;
        const n = removalSet(d, ids).size;
        commit(n > 1 ? `Delete ${n} elements` : `Delete ${nameIn(d, ids[0]!)}`, removeElements(d, ids), { select: [] });
      },
      deleteSelection() {
        get().deleteIds(get().selection);
      },
      moveNodes(moves) {
        if (moves.length === 0) return set({ drag: null });
        const next = commitMoves(get().design, moves);
        commit(moves.length > 1 ? `Move ${moves.length} elements` : `Move ${nameIn(next, moves[0]!.id)}`, next);
        set({ drag: null });
      },
      resizeFrame(hostId, size) {
        const d = get().design;
        const r = frameRect(d, hostId);
        const sized: Design = { ...d, layout: { ...d.layout, frames: { ...d.layout.frames, [hostId]: { ...r, width: Math.round(size.width), height: Math.round(size.height) } } } };
        commit(`Resize ${nameIn(sized, hostId)}`, fitFrames(sized, [hostId]));
        set({ drag: null });
      },
      applyLayout(label, design) {
        commit(label, design);
      },
      paste() {
        const { clipboard, pasteCount, design, selection } = get();
        if (!clipboard) return;
        const n = pasteCount + 1;
        const target = selection.map((id) => lookup(design).byId.get(id)?.hostId).find(Boolean);
        const pasted = pasteClip(design, clipboard, { x: 40 * n, y: 40 * n }, target);
        set({ pasteCount: n });
        commit(`Paste ${pasted.ids.length} elements`, pasted.design, { select: pasted.ids });
      },
      duplicate() {
        const { design, selection } = get();
        const clip = copyElements(design, selection);
        if (!clip) return;
        const pasted = pasteClip(design, clip, { x: 40, y: 40 });
        commit(`Duplicate ${pasted.ids.length} elements`, pasted.design, { select: pasted.ids });
      },
      undo() {
        const s = get();
        const r = undoHistory(s.history, s.design);
        if (r) set({ design: r.design, history: r.history, selection: keepExisting(r.design, s.selection), drag: null });
      },
      redo() {
        const s = get();
        const r = redoHistory(s.history, s.design);
        if (r) set({ design: r.design, history: r.history, selection: keepExisting(r.design, s.selection), drag: null });
      },

      copy() {
        const clip = copyElements(get().design, get().selection);
        if (clip) set({ clipboard: clip, pasteCount: 0 });
      },
      select(ids) {
        const s = get();
        if (sameIds(ids, s.selection)) return;
        set({ selection: [...ids], history: { ...s.history, coalesce: undefined } });
      },
      selectAll() {
        const d = get().design;
        set({ selection: [...lookup(d).byId.keys()] });
      },
      setDrag(drag) {
        set({ drag });
      },
      focusElement(id) {
        set((s) => ({ focus: { id, n: (s.focus?.n ?? 0) + 1 }, selection: [id] }));
      },
      setPanel(panel) {
        set({ panel });
      },
      setDialog(dialog, arg) {
        set({ dialog, dialogArg: arg });
      },
      setSearchOpen(open) {
        set({ searchOpen: open });
      },
      setTheme(theme) {
        localStorage.setItem('wireplan.theme', theme);
        set({ theme });
      },
      toast,
      dismissToast(id) {
        set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
      },
      dismissLoadFailure() {
        set({ loadFailure: null });
      },
    };
  });
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Selection entries that still exist (elements, NICs or reference edges). */
function keepExisting(design: Design, selection: readonly string[]): string[] {
  if (selection.length === 0) return [];
  const { byId } = lookup(design);
  const rel = new Set(relations(design).map((r) => r.id));
  const kept = selection.filter((id) => byId.has(id) || rel.has(id));
  return kept.length === selection.length ? (selection as string[]) : kept;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/** The app's store. */
export const useEditor = createEditorStore();
