// The page's packet captures: one tab each in the capture panel, with its rows (the most
// recent MAX_ROWS), its state and the file it writes. Rows come from one subscription to
// onCaptureEvent. None of this enters the design or its undo history.
import { create } from 'zustand';
import type { CaptureEvent, PacketRow } from '../../../shared/api/contract';
import { api } from '../api';
import { useEditor } from '../store/designStore';
import { serializedOf } from '../store/derived';

/** Rows kept per capture: the list stays responsive; the .pcap keeps everything. */
export const MAX_ROWS = 20_000;

export interface CaptureTab {
  key: number;
  /** What it captures on: a veth end `ID.a`, an element id, or `HOST:NIC`. */
  element: string;
  title: string;
  /** The tcpdump filter it was started with. */
  filter: string;
  state: 'starting' | 'running' | 'stopping' | 'ended' | 'failed';
  captureId?: string;
  path?: string;
  wireshark?: boolean;
  rows: PacketRow[];
  /** Rows dropped from the front of the list (over MAX_ROWS). */
  dropped: number;
  /** Packets in the file when it ended. */
  packets?: number;
  /** Packets the host's kernel dropped (tcpdump could not keep up). */
  droppedByKernel?: number;
  message?: string;
}

interface CaptureState {
  tabs: CaptureTab[];
  active: number | undefined;
  /** Starts a capture in a new tab (several per element are fine). */
  start(element: string, title: string, filter?: string): Promise<void>;
  /** Starts the tab's capture again with another tcpdump filter (stopping it first); the list starts empty. */
  restart(key: number, filter: string): Promise<void>;
  stop(key: number): Promise<void>;
  close(key: number): void;
  select(key: number): void;
}

let nextKey = 1;
let unsubscribe: (() => void) | undefined;
/** Events for ids the page does not know yet (rows can beat startCapture's answer). */
const early = new Map<string, CaptureEvent[]>();

export function capturesAvailable(): boolean {
  return typeof api.startCapture === 'function' && typeof api.onCaptureEvent === 'function';
}

function apply(tab: CaptureTab, e: CaptureEvent): CaptureTab {
  if (e.kind === 'packets') {
    const rows = tab.rows.concat(e.rows);
    const over = Math.max(0, rows.length - MAX_ROWS);
    return { ...tab, rows: over ? rows.slice(over) : rows, dropped: tab.dropped + over };
  }
  return { ...tab, state: 'ended', packets: e.packets, path: e.path, ...(e.error ? { message: e.error } : {}), ...(e.droppedByKernel ? { droppedByKernel: e.droppedByKernel } : {}) };
}

function route(e: CaptureEvent): void {
  const s = useCaptures.getState();
  if (!s.tabs.some((t) => t.captureId === e.captureId)) {
    const q = early.get(e.captureId) ?? [];
    if (early.size < 16 || early.has(e.captureId)) early.set(e.captureId, [...q, e]);
    return;
  }
  useCaptures.setState({ tabs: s.tabs.map((t) => (t.captureId === e.captureId ? apply(t, e) : t)) });
}

/** Asks the backend for the capture of tab `key` and records the answer in the tab. */
async function begin(key: number, element: string, filter: string): Promise<void> {
  const set = useCaptures.setState;
  const update = (patch: Partial<CaptureTab>) => set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { ...t, ...patch } : t)) }));
  if (!capturesAvailable()) {
    update({ state: 'failed', message: 'Packet capture needs the Wireplan app or `wireplan serve` (this is the browser preview).' });
    return;
  }
  unsubscribe ??= api.onCaptureEvent!(route);
  let r;
  try {
    r = await api.startCapture!({ designText: serializedOf(useEditor.getState().design), element, filter });
  } catch (e) {
    r = { ok: false as const, error: e instanceof Error ? e.message : String(e) };
  }
  if (!useCaptures.getState().tabs.some((t) => t.key === key)) {
    if (r.ok) void api.stopCapture?.(r.captureId); // closed while starting
    return;
  }
  if (!r.ok) return update({ state: 'failed', message: r.error });
  update({ state: 'running', captureId: r.captureId, path: r.path, wireshark: r.wireshark, title: r.title });
  const waiting = early.get(r.captureId) ?? [];
  early.delete(r.captureId);
  for (const e of waiting) route(e);
}

export const useCaptures = create<CaptureState>((set, get) => ({
  tabs: [],
  active: undefined,
  async start(element, title, filter = '') {
    const key = nextKey++;
    set((s) => ({ tabs: [...s.tabs, { key, element, title, filter, state: 'starting', rows: [], dropped: 0 }], active: key }));
    await begin(key, element, filter);
  },
  async restart(key, filter) {
    const tab = get().tabs.find((t) => t.key === key);
    if (!tab || tab.state === 'starting' || tab.state === 'stopping') return;
    if (tab.state === 'running') await get().stop(key);
    set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { key, element: t.element, title: t.title, filter, state: 'starting', rows: [], dropped: 0 } : t)) }));
    await begin(key, tab.element, filter);
  },
  async stop(key) {
    const tab = get().tabs.find((t) => t.key === key);
    if (!tab?.captureId || tab.state !== 'running') return;
    set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { ...t, state: 'stopping' } : t)) }));
    await api.stopCapture?.(tab.captureId);
  },
  close(key) {
    const tab = get().tabs.find((t) => t.key === key);
    if (tab?.captureId && tab.state === 'running') void api.stopCapture?.(tab.captureId);
    set((s) => {
      const tabs = s.tabs.filter((t) => t.key !== key);
      const i = s.tabs.findIndex((t) => t.key === key);
      return { tabs, active: s.active === key ? tabs[Math.min(i, tabs.length - 1)]?.key : s.active };
    });
  },
  select(key) {
    set({ active: key });
  },
}));
