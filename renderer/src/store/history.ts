// Undo/redo as data: snapshots of the (immutable) design with the label of the change
// that followed. Live state never enters here. Consecutive edits of one field coalesce
// into one step (typing "10.0.0.1/24" is one undo, not eleven).
import type { Design } from '../../../shared/model/schema';

export interface HistoryEntry {
  design: Design;
  label: string;
}

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Key of the edit that may still coalesce with the next one. */
  coalesce?: string;
}

export const HISTORY_LIMIT = 500;

export const emptyHistory = (): History => ({ past: [], future: [] });

/** Records that `before` became something else through `label`. */
export function record(h: History, before: Design, label: string, coalesce?: string): History {
  if (coalesce && h.coalesce === coalesce && h.past.length > 0 && h.future.length === 0) return h;
  const past = [...h.past, { design: before, label }];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return coalesce ? { past, future: [], coalesce } : { past, future: [] };
}

export function undo(h: History, current: Design): { history: History; design: Design; label: string } | undefined {
  const last = h.past[h.past.length - 1];
  if (!last) return undefined;
  return {
    design: last.design,
    label: last.label,
    history: { past: h.past.slice(0, -1), future: [...h.future, { design: current, label: last.label }] },
  };
}

export function redo(h: History, current: Design): { history: History; design: Design; label: string } | undefined {
  const next = h.future[h.future.length - 1];
  if (!next) return undefined;
  return {
    design: next.design,
    label: next.label,
    history: { past: [...h.past, { design: current, label: next.label }], future: h.future.slice(0, -1) },
  };
}
