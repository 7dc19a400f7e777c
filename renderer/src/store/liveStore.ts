// Live status from the hosts, keyed by element id. A separate store from the design:
// updates arrive several times a second, never enter undo history, and each canvas node
// subscribes to its own entry only (nothing here is copied into node data).
import { create } from 'zustand';
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';

export type WatchState = 'off' | 'starting' | 'on' | 'error' | 'unavailable';

export interface LiveWatch {
  state: WatchState;
  error?: string;
  /** Hosts being watched. */
  hostIds: string[];
  /** What the watched design's plans were (re-watched when this changes). */
  key?: string;
}

export interface LiveState {
  elements: Record<string, ElementStatus>;
  /** Which host reported each element, so a full snapshot can replace a host's entries. */
  hostOf: Record<string, string>;
  hosts: Record<string, HostStatus>;
  /** ISO time of the last batch per host. */
  lastAt: Record<string, string>;
  watch: LiveWatch;
  applyUpdate(update: LiveStatusUpdate): void;
  /** Several batches at once (one store update). */
  applyUpdates(updates: readonly LiveStatusUpdate[]): void;
  setHostStatus(status: HostStatus): void;
  setWatch(watch: LiveWatch): void;
  clear(): void;
}

function fold(s: Pick<LiveState, 'elements' | 'hostOf' | 'lastAt'>, updates: readonly LiveStatusUpdate[]) {
  let elements = s.elements;
  let hostOf = s.hostOf;
  let lastAt = s.lastAt;
  let copied = false;
  const own = () => {
    if (copied) return;
    elements = { ...elements };
    hostOf = { ...hostOf };
    copied = true;
  };
  for (const update of updates) {
    if (update.replace) {
      own();
      const seen = new Set(update.elements.map((e) => e.elementId));
      for (const [id, host] of Object.entries(hostOf)) {
        if (host === update.hostId && !seen.has(id)) {
          delete elements[id];
          delete hostOf[id];
        }
      }
    }
    for (const e of update.elements) {
      // Keep the old object when nothing changed so its subscribers do not re-render.
      const old = elements[e.elementId];
      if (old && sameStatus(old, e) && hostOf[e.elementId] === update.hostId) continue;
      own();
      elements[e.elementId] = e;
      hostOf[e.elementId] = update.hostId;
    }
    if (update.at) lastAt = { ...lastAt, [update.hostId]: update.at };
  }
  return { elements, hostOf, lastAt };
}

export const useLive = create<LiveState>()((set) => ({
  elements: {},
  hostOf: {},
  hosts: {},
  lastAt: {},
  watch: { state: 'off', hostIds: [] },
  applyUpdate(update) {
    set((s) => fold(s, [update]));
  },
  applyUpdates(updates) {
    if (updates.length) set((s) => fold(s, updates));
  },
  setHostStatus(status) {
    set((s) => ({ hosts: { ...s.hosts, [status.hostId]: status } }));
  },
  setWatch(watch) {
    set({ watch });
  },
  clear() {
    set({ elements: {}, hostOf: {}, hosts: {}, lastAt: {} });
  },
}));

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

function sameRules(a: ElementStatus['rules'], b: ElementStatus['rules']): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((r, i) => {
    const o = b[i]!;
    return r.chain === o.chain && r.rule === o.rule && r.packets === o.packets && r.bytes === o.bytes && r.packetRate === o.packetRate && r.byteRate === o.byteRate;
  });
}

export function sameStatus(a: ElementStatus, b: ElementStatus): boolean {
  return (
    a.presence === b.presence &&
    a.operState === b.operState &&
    a.rxRate === b.rxRate &&
    a.txRate === b.txRate &&
    sameList(a.drift, b.drift) &&
    sameRules(a.rules, b.rules)
  );
}
