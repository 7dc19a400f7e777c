// The terminal tabs: which shells the page has open, in what state, and which tab shows.
// A tab outlives its shell: after the end it keeps its scrollback and the end line until
// the user closes it. None of this enters the design or its undo history.
import { create } from 'zustand';
import { api } from '../api';
import { useEditor } from '../store/designStore';
import { serializedOf } from '../store/derived';
import { listenForShells, shellsAvailable } from './shellBus';

export interface TerminalTab {
  /** Page-local key (the shell id is known only once it has opened). */
  key: number;
  elementId: string;
  title: string;
  state: 'opening' | 'open' | 'ended' | 'failed';
  shellId?: string;
  /** Why it failed to open, or how it ended. */
  message?: string;
  /** The end is worth attention: it failed to open, the host went away, or the shell exited non-zero. */
  bad?: boolean;
}

interface TerminalState {
  tabs: TerminalTab[];
  active: number | undefined;
  /** Opens a new tab with a shell on a namespace or host (several per element are fine). */
  open(elementId: string, label: string, size?: { cols: number; rows: number }): Promise<void>;
  update(key: number, patch: Partial<TerminalTab>): void;
  /** Closes the tab, hanging up its shell if it still runs. */
  close(key: number): void;
  select(key: number): void;
}

let nextKey = 1;

export const useTerminals = create<TerminalState>((set, get) => ({
  tabs: [],
  active: undefined,
  async open(elementId, label, size = { cols: 100, rows: 24 }) {
    if (!shellsAvailable()) {
      useEditor.getState().toast('error', 'Shells need the Wireplan app or `wireplan serve` (this is the browser preview).');
      return;
    }
    listenForShells();
    const key = nextKey++;
    set((s) => ({ tabs: [...s.tabs, { key, elementId, title: label, state: 'opening' }], active: key }));
    const designText = serializedOf(useEditor.getState().design);
    let r;
    try {
      r = await api.openShell!({ designText, elementId, cols: size.cols, rows: size.rows });
    } catch (e) {
      r = { ok: false as const, error: e instanceof Error ? e.message : String(e) };
    }
    const tab = get().tabs.find((t) => t.key === key);
    if (!tab) {
      if (r.ok) void api.closeShell?.(r.shellId); // closed while opening
      return;
    }
    get().update(key, r.ok ? { state: 'open', shellId: r.shellId, title: r.title } : { state: 'failed', message: r.error, bad: true });
  },
  update(key, patch) {
    set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { ...t, ...patch } : t)) }));
  },
  close(key) {
    const tab = get().tabs.find((t) => t.key === key);
    if (tab?.shellId && tab.state === 'open') void api.closeShell?.(tab.shellId);
    set((s) => {
      const tabs = s.tabs.filter((t) => t.key !== key);
      const i = s.tabs.findIndex((t) => t.key === key);
      const active = s.active === key ? (tabs[Math.min(i, tabs.length - 1)]?.key ?? undefined) : s.active;
      return { tabs, active };
    });
  },
  select(key) {
    set({ active: key });
  },
}));

// Leaving the page (reload, window closed) hangs up its shells rather than leaving them
// running on the hosts with nobody to see them (best effort: the page may die first, and
// then they end when the backend does).
window.addEventListener('pagehide', () => {
  for (const t of useTerminals.getState().tabs) if (t.shellId && t.state === 'open') void api.closeShell?.(t.shellId);
});
