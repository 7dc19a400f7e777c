// Keyboard shortcuts. Undo/redo work everywhere (field edits are store edits too);
// clipboard and delete only when focus is not in a text field.
import { useEffect } from 'react';
import { useEditor } from '../store/designStore';
import { newDesign, openFile, save } from './fileActions';
import { useSaveLocation } from './saveLocation';

export interface Shortcut {
  keys: string;
  what: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+Z', what: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'Redo' },
  { keys: 'Ctrl+C / Ctrl+V', what: 'Copy / paste (links among copied elements are kept)' },
  { keys: 'Ctrl+D', what: 'Duplicate selection' },
  { keys: 'Delete / Backspace', what: 'Delete selection (a bridge takes its links with it)' },
  { keys: 'Ctrl+A', what: 'Select everything' },
  { keys: 'Ctrl+S / Ctrl+Shift+S', what: 'Save / save as' },
  { keys: 'Ctrl+O', what: 'Open a design file' },
  { keys: 'Ctrl+Alt+N', what: 'New design' },
  { keys: 'Ctrl+F', what: 'Search elements and jump to one' },
  { keys: 'Ctrl+Shift+L', what: 'Auto-layout' },
  { keys: 'Ctrl+0', what: 'Zoom to 100%' },
  { keys: 'C, then Enter on another element', what: 'Connect the selected element to another by keyboard (Tab to an element, Enter; Esc cancels)' },
  { keys: 'Shift+drag', what: 'Select with a box' },
  { keys: 'Ctrl+click', what: 'Add to selection' },
  { keys: '?', what: 'This help' },
  { keys: 'Esc', what: 'Close dialog / clear selection' },
];

/** The element a keyboard connection starts from ("C"), until Enter on another element or Esc. */
let connectFrom: string | null = null;

/** The canvas element that has keyboard focus (React Flow nodes are focusable). */
function focusedNode(): string | undefined {
  const el = document.activeElement?.closest('.react-flow__node');
  return el?.getAttribute('data-id') ?? undefined;
}

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox');
}

export function useShortcuts(actions: { autoLayout(): void }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A terminal tab owns every key (Ctrl+Z suspends, Ctrl+Y yanks, Esc is vi's): none of
      // them is a designer shortcut there.
      if (e.target instanceof Element && e.target.closest('.terminals')) return;
      const s = useEditor.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const text = inTextField(e.target);
      const run = (f: () => unknown) => {
        e.preventDefault();
        e.stopPropagation();
        void f();
      };
      if (mod && !e.altKey) {
        if (key === 'z' && !e.shiftKey) return run(() => (s.endEdit(), s.undo()));
        if ((key === 'z' && e.shiftKey) || key === 'y') return run(() => (s.endEdit(), s.redo()));
        if (key === 's') return run(() => save(e.shiftKey));
        if (key === 'o') return run(() => openFile());
        if (key === 'f') return run(() => s.setSearchOpen(true));
        if (key === 'l' && e.shiftKey) return run(() => actions.autoLayout());
        if (text) return;
        if (key === 'c') return run(() => s.copy());
        if (key === 'v') return run(() => s.paste());
        if (key === 'd') return run(() => s.duplicate());
        if (key === 'a') return run(() => s.selectAll());
        return;
      }
      if (mod && e.altKey && key === 'n') return run(() => newDesign());
      // The page's Save dialog sits above everything (an export dialog too): Escape cancels it alone.
      const saving = useSaveLocation.getState().request;
      if (saving && e.key === 'Escape') return run(() => saving.done({ ok: false, canceled: true }));
      if (text) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.key === 'Delete' || e.key === 'Backspace') return run(() => s.deleteSelection());
      if (key === 'c' && !e.altKey && !e.shiftKey) {
        const from = focusedNode() ?? (s.selection.length === 1 ? s.selection[0] : undefined);
        if (!from) return run(() => s.toast('info', 'Select an element first, then press C to connect it'));
        connectFrom = from;
        return run(() => s.toast('info', 'Connect: Tab to the other element and press Enter (Esc cancels)'));
      }
      if (e.key === 'Enter' && connectFrom) {
        const target = focusedNode() ?? (s.selection.length === 1 ? s.selection[0] : undefined);
        if (target && target !== connectFrom) {
          const from = connectFrom;
          connectFrom = null;
          return run(() => s.connect(from, target));
        }
      }
      if (e.key === '?') return run(() => s.setDialog(s.dialog === 'help' ? 'none' : 'help'));
      if (e.key === 'Escape') {
        if (connectFrom) {
          connectFrom = null;
          return run(() => s.toast('info', 'Connect canceled'));
        }
        if (s.dialog !== 'none') return run(() => s.setDialog('none'));
        if (s.searchOpen) return run(() => s.setSearchOpen(false));
        if (s.loadFailure) return run(() => s.dismissLoadFailure());
        return run(() => s.select([]));
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [actions]);
}
