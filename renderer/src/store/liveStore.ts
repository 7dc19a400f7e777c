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
  /**
   * Element statuses by id. Status batches arrive up to ten times a second for thousands of
   * elements, so the map is updated in place (O(changed), no copy of the whole table) and
   * `version` changes with every batch that changed something, which is what notifies
   * subscribers. A status object itself is never mutated: a changed element gets a new
   * object, an unchanged one keeps its identity, so a node re-renders only for its own
   * changes. Read it through selectors (s.elements.get(id)).
   */
  elements: ReadonlyMap<string, ElementStatus>;
  /** Which host reported each element, so a full snapshot can replace a host's entries. */
  hostOf: ReadonlyMap<string, string>;
  version: number;
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

/** Ids a host has reported (kept per map object: a full snapshot checks it instead of scanning). */
const counts = new WeakMap<Map<string, string>, Map<string, number>>();

function countOf(hostOf: Map<string, string>, hostId: string): number {
  let c = counts.get(hostOf);
  if (!c) {
    c = new Map();
    for (const h of hostOf.values()) c.set(h, (c.get(h) ?? 0) + 1);
    counts.set(hostOf, c);
  }
  return c.get(hostId) ?? 0;
}

/** Folds batches into the maps in place; true when any element changed. */
function fold(elements: Map<string, ElementStatus>, hostOf: Map<string, string>, updates: readonly LiveStatusUpdate[]): boolean {
  let changed = false;
  let membership = false;
  for (const update of updates) {
    // For a full snapshot: how many of the host's known ids it names again. When that is all
    // of them (the usual case), nothing of the host has to be removed and no set is built.
    let renamed = 0;
    const before = update.replace ? countOf(hostOf, update.hostId) : 0;
    for (const e of update.elements) {
      const old = elements.get(e.elementId);
      const sameHost = hostOf.get(e.elementId) === update.hostId;
      if (sameHost) renamed++;
      if (old && sameHost && sameStatus(old, e)) continue;
      elements.set(e.elementId, e);
      if (!sameHost) {
        hostOf.set(e.elementId, update.hostId);
        membership = true;
      }
      changed = true;
    }
    // Every id the host had, and nothing else (a batch never names an id twice): nothing to remove.
    const complete = renamed === before && update.elements.length === before;
    if (update.replace && !complete) {
      const seen = new Set<string>();
      for (const e of update.elements) seen.add(e.elementId);
      for (const [id, host] of hostOf) {
        if (host === update.hostId && !seen.has(id)) {
          elements.delete(id);
          hostOf.delete(id);
          changed = true;
          membership = true;
        }
      }
    }
    if (membership) counts.delete(hostOf);
  }
  return changed;
}

export const useLive = create<LiveState>()((set, get) => ({
  elements: new Map(),
  hostOf: new Map(),
  version: 0,
  hosts: {},
  lastAt: {},
  watch: { state: 'off', hostIds: [] },
  applyUpdate(update) {
    get().applyUpdates([update]);
  },
  applyUpdates(updates) {
    if (updates.length === 0) return;
    const s = get();
    const changed = fold(s.elements as Map<string, ElementStatus>, s.hostOf as Map<string, string>, updates);
    let lastAt = s.lastAt;
    for (const u of updates) if (u.at && lastAt[u.hostId] !== u.at) lastAt = { ...lastAt, [u.hostId]: u.at };
    if (changed || lastAt !== s.lastAt) set({ version: s.version + 1, lastAt });
  },
  setHostStatus(status) {
    set((s) => ({ hosts: { ...s.hosts, [status.hostId]: status } }));
  },
  setWatch(watch) {
    set({ watch });
  },
  clear() {
    set((s) => ({ elements: new Map(), hostOf: new Map(), version: s.version + 1, hosts: {}, lastAt: {} }));
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

/**
 * Batches in arrival order, without those a later full snapshot of the same host makes
 * moot (a replace batch says everything about its host).
 */
export function collapse(updates: readonly LiveStatusUpdate[]): LiveStatusUpdate[] {
  const replaced = new Set<string>();
  const out: LiveStatusUpdate[] = [];
  for (let i = updates.length - 1; i >= 0; i--) {
    const u = updates[i]!;
    if (replaced.has(u.hostId)) continue;
    if (u.replace) replaced.add(u.hostId);
    out.push(u);
  }
  return out.reverse();
}
