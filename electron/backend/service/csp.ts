// The renderer's Content-Security-Policy, one definition for both ways the renderer is
// loaded (the desktop shell's app:// protocol and `wireplan serve`). No 'unsafe-inline',
// no 'unsafe-eval': scripts and styles come only from the app's own files.

export function rendererCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // ELK's layout worker is a file of the build.
    "worker-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every renderer response carries. */
export function securityHeaders(connect: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': rendererCsp(connect),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Marks index.html as served by a Wireplan backend over WebSocket (read by renderer/src/api). */
export const HEADLESS_MARKER = '<meta name="wireplan-backend" content="ws" />';

export function markHeadless(indexHtml: string): string {
  const at = indexHtml.indexOf('</head>');
  return at < 0 ? `${HEADLESS_MARKER}${indexHtml}` : `${indexHtml.slice(0, at)}  ${HEADLESS_MARKER}\n  ${indexHtml.slice(at)}`;
}
