// Autosave with crash recovery: unsaved changes are written through the API a moment
// after each edit; on start an autosave newer than nothing on screen is offered back.
import { useEffect, useState } from 'react';
import type { AutosaveEntry } from '../../../shared/api/contract';
import { api } from '../api';
import { serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';

export const AUTOSAVE_DELAY_MS = 600;

export type AutosaveState = { state: 'idle' } | { state: 'pending' } | { state: 'saved'; at: string } | { state: 'error'; message: string };

/** Writes autosaves; returns the current state for the status bar. */
export function useAutosave(enabled: boolean): AutosaveState {
  const [status, setStatus] = useState<AutosaveState>({ state: 'idle' });
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsub = useEditor.subscribe((s, prev) => {
      if (s.design === prev.design && s.file === prev.file) return;
      if (timer) clearTimeout(timer);
      const dirty = s.design !== s.file.savedDesign;
      setStatus(dirty ? { state: 'pending' } : { state: 'idle' });
      timer = setTimeout(() => {
        const now = useEditor.getState();
        const write = now.design !== now.file.savedDesign;
        const entry: AutosaveEntry = { text: serializedOf(now.design), savedAt: new Date().toISOString() };
        // A draft of an opened file remembers the file version it was made on, so saving
        // the recovered design still notices a change on disk. Drafts live in the app's
        // own storage and never touch the user's file.
        if (now.file.path) entry.path = now.file.path;
        if (now.file.path && now.file.version) entry.version = now.file.version;
        (write ? api.writeAutosave(entry) : api.clearAutosave()).then(
          () => setStatus(write ? { state: 'saved', at: entry.savedAt } : { state: 'idle' }),
          (e: unknown) => setStatus({ state: 'error', message: String(e) }),
        );
      }, AUTOSAVE_DELAY_MS);
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
    };
  }, [enabled]);
  return status;
}

/** The autosave found at start-up, if any (undefined while looking; null when none). */
export function usePendingRecovery(): [AutosaveEntry | null | undefined, () => void] {
  const [entry, setEntry] = useState<AutosaveEntry | null | undefined>(undefined);
  useEffect(() => {
    api.readAutosave().then(
      (e) => setEntry(e ?? null),
      () => setEntry(null),
    );
  }, []);
  return [entry, () => setEntry(null)];
}
