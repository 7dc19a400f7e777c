// The backend as the renderer sees it: the preload's `window.wireplan` in Electron, the
// WebSocket bridge when the page was served by `wireplan serve`, the browser-local
// stand-in anywhere else (a plain browser during tests and development).
import type { WireplanApi } from '../../../shared/api/contract';
import { createBrowserApi } from './browserApi';
import { createWsApi, servedByWireplan } from './wsApi';

declare global {
  interface Window {
    wireplan?: WireplanApi;
  }
}

const headless = !window.wireplan && servedByWireplan();

export const api: WireplanApi = window.wireplan ?? (headless ? createWsApi() : createBrowserApi());

/** True when running without a backend (no SSH, no real files): neither Electron nor `wireplan serve`. */
export const isBrowserOnly = !window.wireplan && !headless;

/** `wireplan serve`: no native dialogs, so Save As and exports ask in the page (app/saveLocation.ts). */
export const pageDialogs = headless;
