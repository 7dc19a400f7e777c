// Where the renderer comes from, and who counts as it. Pure (no electron import), so the
// rules are unit-tested without an Electron binary.

export const APP_SCHEME = 'app';
export const APP_HOST = 'wireplan';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** True only for pages of the app's own origin (never file:, http:, data:, devtools:, about:). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/** What an IPC sender check needs to know about the sending frame. */
export interface SenderFrame {
  url: string;
  /** The frame's parent; null for a window's main frame. */
  parent: unknown;
}

/** IPC is answered only for the main frame of an app page: not iframes, not other origins, not a destroyed frame. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

/** The one permission the designer uses: writing plain text to the clipboard (Export > Copy). */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
