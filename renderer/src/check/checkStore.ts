// The last connectivity check: the backend's report (what the design expects, what the
// hosts showed, why they disagree) and whether one is running. Not design state.
import { create } from 'zustand';
import type { CheckReport } from '../../../shared/reach/report';
import { api, isBrowserOnly } from '../api';
import { compiledOf, serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';

export interface CheckState {
  running: boolean;
  report: CheckReport | undefined;
  error: string | undefined;
  /** When the report was made, and for which plans (a stale report is marked as such). */
  at: string | undefined;
  planKey: string | undefined;
  run(hostIds?: string[]): Promise<void>;
  clear(): void;
}

export function planKeyOf(design = useEditor.getState().design): string | undefined {
  const c = compiledOf(design);
  return c.ok ? c.plan.hosts.map((h) => h.hash).join(',') : undefined;
}

export const checkAvailable = (): boolean => !isBrowserOnly && typeof api.checkConnectivity === 'function';

export const useCheck = create<CheckState>()((set, get) => ({
  running: false,
  report: undefined,
  error: undefined,
  at: undefined,
  planKey: undefined,
  async run(hostIds) {
    if (get().running) return;
    if (!api.checkConnectivity) {
      set({ error: 'The connectivity check needs the Wireplan backend (desktop app or wireplan serve)' });
      return;
    }
    const design = useEditor.getState().design;
    const planKey = planKeyOf(design);
    if (planKey === undefined) {
      set({ error: 'the design has errors: fix them before checking' });
      return;
    }
    set({ running: true, error: undefined });
    try {
      const r = await api.checkConnectivity({ designText: serializedOf(design), ...(hostIds ? { hostIds } : {}) });
      if (r.ok) set({ report: r.report, at: new Date().toISOString(), planKey, error: undefined });
      else set({ error: r.error });
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      set({ running: false });
    }
  },
  clear() {
    set({ report: undefined, error: undefined, at: undefined, planKey: undefined });
  },
}));
