// The API contract over the WebSocket of `wireplan serve`: the same backend as the desktop
// app, reached from a browser on the same machine. The page knows it was served that way
// by a <meta name="wireplan-backend" content="ws"> the server adds, and finds its access
// token in the address fragment (#token=...), which it moves to sessionStorage and wipes
// from the address bar. Calls made while the first connection opens wait for it. Once the
// backend is unreachable (the connection dropped, or never opened) every call fails at
// once with the reason, and the page shows a banner (backendState.ts), instead of Save or
// Apply waiting silently forever; the connection is retried with back-off, and event
// subscriptions are renewed when it is back.
import {
  WIRE_PROTOCOL,
  WIRE_TOKEN_PREFIX,
  decodeWire,
  encodeWire,
  type ApiEvent,
  type ApiEventPayload,
  type ApiMethod,
  type CallOutcome,
  type WireRequest,
  type WireplanApi,
} from '../../../shared/api/contract';
import { BackendUnreachable, setBackendState, setRetry } from './backendState';
import { createBrowserApi } from './browserApi';

const TOKEN_KEY = 'wireplan.serve.token';

/** True when this page came from `wireplan serve`. */
export function servedByWireplan(): boolean {
  return document.querySelector('meta[name="wireplan-backend"][content="ws"]') !== null;
}

/** The access token from the fragment (then removed from the address bar) or this tab's storage. */
function takeToken(): string | undefined {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const RETRY_MS = [250, 500, 1000, 2000, 4000];

export function createWsApi(): WireplanApi {
  const token = takeToken();
  const noToken = new Error('this page has no access token: open the address that `wireplan serve` printed (it ends with #token=...)');
  const pending = new Map<number, Pending>();
  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let open = false;
  let attempt = 0;
  let everOpen = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let unreachable: string | undefined;
  // The browser's own file picker stands in for the native Open dialog.
  const local = createBrowserApi();

  const flush = () => {
    while (open && socket && outbox.length) socket.send(outbox.shift()!);
  };
  const send = (m: WireRequest) => {
    // While unreachable nothing queues: subscriptions are renewed when the connection opens.
    if (unreachable !== undefined) return;
    outbox.push(encodeWire(m));
    flush();
  };

  const connect = () => {
    if (!token || socket) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const ws = new WebSocket(`ws://${location.host}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${token}`]);
    socket = ws;
    ws.addEventListener('open', () => {
      open = true;
      everOpen = true;
      attempt = 0;
      unreachable = undefined;
      setBackendState({ kind: 'connected' });
      // Renew subscriptions first so no event is missed after a reconnect.
      const renew = [...listeners].filter(([, set]) => set.size > 0).map(([event]) => encodeWire({ type: 'subscribe', event }));
      outbox.unshift(...renew);
      flush();
    });
    ws.addEventListener('message', (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let m: { type?: unknown; id?: unknown; event?: unknown; payload?: unknown; message?: unknown } & Partial<CallOutcome>;
      try {
        m = decodeWire(e.data) as typeof m;
      } catch {
        return;
      }
      if (m.type === 'result' && typeof m.id === 'number') {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        const outcome = m as CallOutcome;
        if (outcome.ok) p.resolve(outcome.value);
        else p.reject(new Error(outcome.error.message));
      } else if (m.type === 'event' && typeof m.event === 'string') {
        for (const l of listeners.get(m.event as ApiEvent) ?? []) (l as (payload: unknown) => void)(m.payload);
      } else if (m.type === 'error') {
        console.error(`wireplan serve: ${String(m.message)}`);
      }
    });
    ws.addEventListener('close', () => {
      const wasOpen = open;
      open = false;
      socket = undefined;
      if (wasOpen || unreachable === undefined) {
        unreachable = wasOpen
          ? 'the connection to wireplan serve was lost (the server stopped or crashed, or the connection dropped)'
          : everOpen
            ? 'wireplan serve does not answer any more'
            : `cannot connect to wireplan serve at ${location.host} (is it still running?)`;
      }
      // Calls in flight have an unknown outcome: fail them rather than resend.
      for (const p of pending.values()) p.reject(new BackendUnreachable(`${unreachable}; the last request may or may not have been carried out`));
      pending.clear();
      outbox.length = 0;
      setBackendState({ kind: 'unreachable', reason: unreachable, since: Date.now(), attempts: attempt + 1 });
      const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!;
      retryTimer = setTimeout(connect, delay);
    });
  };
  if (token) {
    setBackendState({ kind: 'connecting' });
    setRetry(connect);
    connect();
  } else {
    setBackendState({ kind: 'unreachable', reason: noToken.message, since: Date.now(), attempts: 0 });
  }

  type Api = Required<WireplanApi>;
  const call = <M extends ApiMethod>(method: M, ...params: Parameters<Api[M]>): ReturnType<Api[M]> => {
    if (!token) return Promise.reject(noToken) as ReturnType<Api[M]>;
    if (unreachable !== undefined) return Promise.reject(new BackendUnreachable(`The Wireplan backend is unreachable: ${unreachable}`)) as ReturnType<Api[M]>;
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      // JSON has no undefined: trailing ones are dropped, inner ones travel as null.
      const list: unknown[] = [...params];
      while (list.length && list[list.length - 1] === undefined) list.pop();
      send({ type: 'call', id, method, params: list.map((p) => (p === undefined ? null : p)) });
    }) as ReturnType<Api[M]>;
  };

  const on =
    <E extends ApiEvent>(event: E) =>
    (listener: (payload: ApiEventPayload[E]) => void) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = (p: never) => listener(p);
      set.add(wrapped);
      if (set.size === 1 && token) send({ type: 'subscribe', event });
      return () => {
        if (!set.delete(wrapped) || set.size > 0) return;
        if (token) send({ type: 'unsubscribe', event });
      };
    };

  return {
    openDesign: (path) => (path === undefined ? local.openDesign() : call('openDesign', path)),
    saveDesign: (path, text, suggestedName, condition) => call('saveDesign', path, text, suggestedName, condition),
    recentFiles: () => call('recentFiles'),
    readAutosave: () => call('readAutosave'),
    writeAutosave: (entry) => call('writeAutosave', entry),
    clearAutosave: () => call('clearAutosave'),
    exportFile: (request) => call('exportFile', request),
    listFolders: () => call('listFolders'),
    listExamples: () => call('listExamples'),
    readExample: (id) => call('readExample', id),
    testConnection: (target, options) => call('testConnection', target, options),
    listServers: () => call('listServers'),
    forgetServerKey: (name) => call('forgetServerKey', name),
    importHost: (request) => call('importHost', request),
    hostStatus: (hostIds) => call('hostStatus', hostIds),
    watchLive: (designText, hostIds) => call('watchLive', designText, hostIds),
    checkConnectivity: (request) => call('checkConnectivity', request),
    apply: (request) => call('apply', request),
    destroy: (request) => call('destroy', request),
    prepareSudo: (request) => call('prepareSudo', request),
    cancelRun: (runId) => call('cancelRun', runId),
    setLinkState: (request) => call('setLinkState', request),
    openShell: (request) => call('openShell', request),
    shellInput: (shellId, data) => call('shellInput', shellId, data),
    resizeShell: (shellId, cols, rows) => call('resizeShell', shellId, cols, rows),
    closeShell: (shellId) => call('closeShell', shellId),
    startCapture: (request) => call('startCapture', request),
    stopCapture: (captureId) => call('stopCapture', captureId),
    openInWireshark: (captureId) => call('openInWireshark', captureId),
    onRunProgress: on('onRunProgress'),
    onHostStatus: on('onHostStatus'),
    onLiveStatus: on('onLiveStatus'),
    onAppRequest: on('onAppRequest'),
    onShellEvent: on('onShellEvent'),
    onCaptureEvent: on('onCaptureEvent'),
  };
}
