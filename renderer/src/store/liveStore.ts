// Live status from the hosts, keyed by element id. A separate store from the design:
// updates arrive several times a second, never enter undo history, and each canvas node
// subscribes to its own entry only (nothing here is copied into node data).
import { create } from 'zustand';
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';

export interface LiveState {
  elements: Record<string, ElementStatus>;
  /** Which host reported each element, so a full snapshot can replace a host's entries. */
  hostOf: Record<string, string>;
  hosts: Record<string, HostStatus>;
  applyUpdate(update: LiveStatusUpdate): void;
  setHostStatus(status: HostStatus): void;
  clear(): void;
}

export const useLive = create<LiveState>()((set) => ({
  elements: {},
  hostOf: {},
  hosts: {},
  applyUpdate(update) {
    set((s) => {
      const elements = { ...s.elements };
      const hostOf = { ...s.hostOf };
      if (update.replace) {
        for (const [id, host] of Object.entries(hostOf)) {
          if (host === update.hostId) {
            delete elements[id];
            delete hostOf[id];
          }
        }
      }
      for (const e of update.elements) {
        // Keep the old object when nothing changed so its subscribers do not re-render.
        const old = elements[e.elementId];
        elements[e.elementId] = old && sameStatus(old, e) ? old : e;
        hostOf[e.elementId] = update.hostId;
      }
      return { elements, hostOf };
    });
  },
  setHostStatus(status) {
    set((s) => ({ hosts: { ...s.hosts, [status.hostId]: status } }));
  },
  clear() {
    set({ elements: {}, hostOf: {}, hosts: {} });
  },
}));

function sameStatus(a: ElementStatus, b: ElementStatus): boolean {
  return (
    a.presence === b.presence &&
    a.operState === b.operState &&
    a.rxRate === b.rxRate &&
    a.txRate === b.txRate &&
    (a.drift ?? []).join('\n') === (b.drift ?? []).join('\n')
  );
}
