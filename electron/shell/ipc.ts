// The IPC binding of the API contract: one invoke channel per contract method, plus
// subscribe/unsubscribe for events. Every message is answered only for the main frame of
// an app:// page (event.senderFrame), arguments are validated and results checked for plain
// data by the same dispatch() the headless bridge uses.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHODS, type ApiEvent, type CallOutcome } from '../../shared/api/contract';
import { dispatch, isApiEvent, type BackendService } from '../backend/service';
import { isTrustedSender } from './origin';

export const CHANNEL = {
  call: (method: string) => `wireplan:call:${method}`,
  event: (event: string) => `wireplan:event:${event}`,
  subscribe: 'wireplan:subscribe',
  unsubscribe: 'wireplan:unsubscribe',
} as const;

function trusted(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  try {
    return isTrustedSender(event.senderFrame);
  } catch {
    return false; // a frame that navigated or died throws on access
  }
}

export function registerIpc(service: BackendService, log: (line: string) => void): () => void {
  const refused: CallOutcome = { ok: false, error: { code: 'internal', message: 'refused: the request did not come from the Wireplan designer page' } };
  for (const method of API_METHODS) {
    ipcMain.handle(CHANNEL.call(method), (event, ...args: unknown[]) => {
      if (!trusted(event)) {
        log(`refused IPC ${method} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return refused;
      }
      return dispatch(service, method, args, log);
    });
  }

  // Per web contents, per event: the service subscription forwarding to that page.
  const subscriptions = new Map<number, Map<ApiEvent, () => void>>();
  const dropAll = (contents: WebContents) => {
    for (const off of subscriptions.get(contents.id)?.values() ?? []) off();
    subscriptions.delete(contents.id);
  };
  const onSubscribe = (event: IpcMainEvent, name: unknown) => {
    if (!trusted(event) || !isApiEvent(name)) return;
    const contents = event.sender;
    let mine = subscriptions.get(contents.id);
    if (!mine) {
      subscriptions.set(contents.id, (mine = new Map()));
      contents.once('destroyed', () => dropAll(contents));
      // A reload starts a new page: its preload subscribes again.
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) dropAll(contents);
      });
    }
    if (mine.has(name)) return;
    mine.set(
      name,
      service.subscribe(name, (payload) => {
        if (!contents.isDestroyed()) contents.send(CHANNEL.event(name), payload);
      }),
    );
  };
  const onUnsubscribe = (event: IpcMainEvent, name: unknown) => {
    if (!trusted(event) || !isApiEvent(name)) return;
    const mine = subscriptions.get(event.sender.id);
    mine?.get(name)?.();
    mine?.delete(name);
  };
  ipcMain.on(CHANNEL.subscribe, onSubscribe);
  ipcMain.on(CHANNEL.unsubscribe, onUnsubscribe);

  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(CHANNEL.call(method));
    ipcMain.off(CHANNEL.subscribe, onSubscribe);
    ipcMain.off(CHANNEL.unsubscribe, onUnsubscribe);
    for (const mine of subscriptions.values()) for (const off of mine.values()) off();
    subscriptions.clear();
  };
}
