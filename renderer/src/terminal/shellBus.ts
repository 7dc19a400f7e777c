// One subscription to the backend's shell events for the whole page, routed by shell id.
// A shell's first output (its prompt) can arrive before openShell's answer has told the
// page the id, so events for an id nobody has claimed yet wait here (bounded) until a
// terminal claims it.
import type { ShellEvent } from '../../../shared/api/contract';
import { api } from '../api';
import { backendState, onBackendState, unreachableMessage } from '../api/backendState';

type Handler = (event: ShellEvent) => void;

const handlers = new Map<string, Handler>();
const early = new Map<string, ShellEvent[]>();
const EARLY_MAX_IDS = 32;
const EARLY_MAX_EVENTS = 2000;
let unsubscribe: (() => void) | undefined;

function route(event: ShellEvent): void {
  const h = handlers.get(event.shellId);
  if (h) return h(event);
  let q = early.get(event.shellId);
  if (!q) {
    if (early.size >= EARLY_MAX_IDS) early.delete(early.keys().next().value!);
    early.set(event.shellId, (q = []));
  }
  if (q.length < EARLY_MAX_EVENTS || event.kind === 'end') q.push(event);
}

/** Whether this backend can open shells at all (not the browser-only preview). */
export function shellsAvailable(): boolean {
  return typeof api.openShell === 'function' && typeof api.onShellEvent === 'function';
}

/** Starts listening (idempotent). Call before openShell so no event is missed. */
export function listenForShells(): void {
  if (unsubscribe || !api.onShellEvent) return;
  unsubscribe = api.onShellEvent(route);
  // Under `wireplan serve` the backend ends a page's shells when its connection drops, and
  // their end events are lost with it: every shell of this page has ended then.
  onBackendState(() => {
    const s = backendState();
    if (s.kind !== 'unreachable') return;
    for (const [shellId, h] of [...handlers]) h({ shellId, kind: 'end', reason: 'lost', message: unreachableMessage(s) });
  });
}

/** Receives a shell's events (those that came early first); returns the release. */
export function claimShell(shellId: string, handler: Handler): () => void {
  handlers.set(shellId, handler);
  const q = early.get(shellId);
  early.delete(shellId);
  for (const e of q ?? []) handler(e);
  return () => {
    if (handlers.get(shellId) === handler) handlers.delete(shellId);
  };
}
