// Whether the page can reach its backend. In the desktop app the backend is the app's own
// main process (always 'connected' from here); under `wireplan serve` it is a WebSocket
// that can drop (the server stopped, crashed, or the machine slept). The page shows a
// banner while it is unreachable, and calls fail at once with the reason instead of
// waiting forever (Save, Apply and Live say why they cannot run).

export type BackendState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | {
      kind: 'unreachable';
      /** What happened, for people. */
      reason: string;
      /** ms since the epoch when it became unreachable. */
      since: number;
      /** Reconnection attempts so far. */
      attempts: number;
    };

/** A call that could not reach the backend (or whose answer was lost with the connection). */
export class BackendUnreachable extends Error {
  override readonly name = 'BackendUnreachable';
}

let state: BackendState = { kind: 'connected' };
const listeners = new Set<() => void>();
let retryNow: (() => void) | undefined;

export function backendState(): BackendState {
  return state;
}

/** useSyncExternalStore-shaped subscription. */
export function onBackendState(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function setBackendState(next: BackendState): void {
  state = next;
  for (const l of [...listeners]) l();
}

/** The transport's "try again now" (the banner's button); undefined without one. */
export function setRetry(f: (() => void) | undefined): void {
  retryNow = f;
}

export function retryBackend(): void {
  retryNow?.();
}

/** The sentence the page shows (banner, refused actions) for the current outage. */
export function unreachableMessage(s: BackendState = state): string {
  if (s.kind !== 'unreachable') return '';
  return `The Wireplan backend is unreachable: ${s.reason}`;
}
