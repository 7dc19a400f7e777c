// Electron's security checklist, applied to every web contents the app ever creates:
// no navigation away from the app, no new windows, no <webview>, every permission request
// denied (except writing text to the clipboard from the app's own page), and no network
// requests at all from the renderer (it needs none: it talks to the backend over IPC).
import { app, session, type Session, type WebContents } from 'electron';
import { isAppUrl, permissionAllowed } from './origin';

function hardenContents(contents: WebContents, log: (line: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked window.open(${url})`);
    return { action: 'deny' };
  });
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(permissionAllowed(permission, contents.getURL())));
  ses.setPermissionCheckHandler((contents, permission) => permissionAllowed(permission, contents?.getURL()));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  // Only app:// (and devtools in development) may load; http(s) and ws(s) never.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] }, (_details, callback) => callback({ cancel: true }));
}

/** Call once, before any window exists (at app ready). */
export function applySecurityPolicy(log: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));
  hardenSession(session.defaultSession);
  app.on('session-created', (ses) => hardenSession(ses));
}
