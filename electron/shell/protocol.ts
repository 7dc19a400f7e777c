// The renderer is served from app://wireplan/, a privileged standard scheme backed by the
// built renderer folder, with the same CSP as `wireplan serve` (no unsafe-inline/eval).
// Nothing outside that folder is reachable, and there is no file:// access.
import { protocol } from 'electron';
import { securityHeaders } from '../backend/service/csp';
import { resolveStatic } from '../backend/service/staticFiles';
import { APP_HOST, APP_SCHEME } from './origin';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const headers = securityHeaders();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const r = await resolveStatic(rendererDir, request.method, url.pathname);
    if (r.status !== 200) return new Response(String(r.status), { status: r.status, headers });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(r.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': r.contentType },
    });
  });
}
