// The preload (sandboxed, context-isolated): exposes exactly the contract's method and
// event names as window.wireplan, and nothing of Electron itself. Methods resolve with
// the backend's value or throw its message; events are onX(listener) -> unsubscribe and
// never hand the IPC event object to the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENTS, API_METHODS, type CallOutcome } from '../../shared/api/contract';

const call = (method: string) => `wireplan:call:${method}`;
const eventChannel = (event: string) => `wireplan:event:${event}`;

const api: Record<string, unknown> = {};

for (const method of API_METHODS) {
  api[method] = async (...args: unknown[]): Promise<unknown> => {
    const outcome = (await ipcRenderer.invoke(call(method), ...args)) as CallOutcome;
    if (outcome.ok) return outcome.value;
    throw new Error(outcome.error.message);
  };
}

for (const event of API_EVENTS) {
  const listeners = new Set<(payload: unknown) => void>();
  ipcRenderer.on(eventChannel(event), (_e: IpcRendererEvent, payload: unknown) => {
    for (const l of listeners) l(payload);
  });
  api[event] = (listener: unknown) => {
    if (typeof listener !== 'function') throw new TypeError(`${event} needs a listener function`);
    const l = (payload: unknown) => void (listener as (p: unknown) => void)(payload);
    listeners.add(l);
    if (listeners.size === 1) ipcRenderer.send('wireplan:subscribe', event);
    return () => {
      if (!listeners.delete(l)) return;
      if (listeners.size === 0) ipcRenderer.send('wireplan:unsubscribe', event);
    };
  };
}

contextBridge.exposeInMainWorld('wireplan', Object.freeze(api));
