// The backend as the renderer sees it: the preload's `window.wireplan` in Electron, the
// browser-local stand-in anywhere else (a plain browser during tests and development).
import type { WireplanApi } from '../../../shared/api/contract';
import { createBrowserApi } from './browserApi';

declare global {
  interface Window {
    wireplan?: WireplanApi;
  }
}

export const api: WireplanApi = window.wireplan ?? createBrowserApi();

/** True when running without the Electron backend (no SSH, no real files). */
export const isBrowserOnly = !window.wireplan;
