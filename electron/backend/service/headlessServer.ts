// `wireplan serve`: the built renderer over HTTP and the API contract over a WebSocket, on
// 127.0.0.1 only. The WebSocket is the door to the backend (files, SSH, apply), so it is
// guarded three ways: a random per-launch token (carried in the URL fragment, which a
// browser never sends over the network; the page offers it as a WebSocket subprotocol),
// an exact Origin check (another web page in the same browser cannot connect) and an exact
// Host check (DNS rebinding). The token is never logged.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { WebSocketServer, type WebSocket } from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire, type ApiEvent, type WireResponse } from '../../../shared/api/contract';
import { markHeadless, securityHeaders } from './csp';
import { dispatch, isApiEvent } from './dispatch';
import type { BackendService } from './service';
import { resolveStatic } from './staticFiles';

export const LOOPBACK = '127.0.0.1';
export const WS_PATH = '/api';
/** Above the 64 MiB design/export caps plus encoding overhead. */
const MAX_MESSAGE_BYTES = 96 * 1024 * 1024;

export interface HeadlessServerOptions {
  service: BackendService;
  /** The built renderer (renderer/dist). */
  staticDir: string;
  /** Only 127.0.0.1 is accepted. */
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Tests pass their own; default 32 random bytes. */
  token?: string;
  log?: (line: string) => void;
}

export interface HeadlessServer {
  /** The page's address, token included (in the fragment). Treat it as a password. */
  readonly url: string;
  readonly origin: string;
  readonly address: AddressInfo;
  readonly token: string;
  /** Connected, authenticated clients. */
  clients(): number;
  close(): Promise<void>;
}

export class BindRefused extends Error {
  override readonly name = 'BindRefused';
}

const RequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), method: z.string().max(64), params: z.array(z.unknown()).max(16) }),
  z.object({ type: z.literal('subscribe'), event: z.string().max(64) }),
  z.object({ type: z.literal('unsubscribe'), event: z.string().max(64) }),
]);

function tokenMatches(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why an upgrade request is refused, or undefined when it may connect. */
export function checkUpgrade(req: Pick<IncomingMessage, 'url' | 'headers'>, expected: { origin: string; host: string; token: string }): { status: number; reason: string } | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== WS_PATH) return { status: 404, reason: 'not found' };
  if (req.headers.host !== expected.host) return { status: 403, reason: 'wrong Host header' };
  if (req.headers.origin !== expected.origin) return { status: 403, reason: 'wrong Origin' };
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(WIRE_PROTOCOL)) return { status: 400, reason: 'missing the wireplan subprotocol' };
  const tokens = offered.filter((p) => p.startsWith(WIRE_TOKEN_PREFIX)).map((p) => p.slice(WIRE_TOKEN_PREFIX.length));
  if (!tokens.some((t) => tokenMatches(t, expected.token))) return { status: 401, reason: 'missing or wrong token' };
  return undefined;
}

function refuseUpgrade(socket: Socket, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

export async function startHeadlessServer(opts: HeadlessServerOptions): Promise<HeadlessServer> {
  const host = opts.host ?? LOOPBACK;
  if (host !== LOOPBACK) throw new BindRefused(`wireplan serve listens on ${LOOPBACK} only (asked for ${host}): the designer controls files and hosts and must not be reachable from the network`);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) throw new Error('the token must be 16-128 URL-safe characters');
  const log = opts.log ?? (() => {});
  const server: Server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: opts.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostHeader = `${LOOPBACK}:${address.port}`;
  const origin = `http://${hostHeader}`;
  const headers = securityHeaders([`ws://${hostHeader}`]);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.headers.host !== hostHeader) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('wrong Host header');
        return;
      }
      if (req.url === '/favicon.ico') {
        res.writeHead(204, headers).end(); // the page has no favicon; answer without a 404
        return;
      }
      const r = await resolveStatic(opts.staticDir, req.method ?? 'GET', req.url ?? '/');
      if (r.status !== 200) {
        const missingBuild = r.status === 404 && (req.url === '/' || req.url?.startsWith('/index.html'));
        res.writeHead(r.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(missingBuild ? 'The renderer is not built: run `npm run build:renderer`, then start wireplan serve again.' : String(r.status));
        return;
      }
      const body = r.file === 'index.html' ? Buffer.from(markHeadless(r.body.toString('utf8'))) : r.body;
      res.writeHead(200, { ...headers, 'Content-Type': r.contentType, 'Content-Length': body.length, 'Cache-Control': r.file === 'index.html' ? 'no-store' : 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((e: unknown) => {
      log(`serve: request failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WIRE_PROTOCOL) ? WIRE_PROTOCOL : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = checkUpgrade(req, { origin, host: hostHeader, token });
    if (refusal) {
      // The reason is logged; the offered token never is.
      log(`serve: refused a WebSocket from ${req.socket.remoteAddress ?? '?'} (origin ${JSON.stringify(req.headers.origin ?? null)}): ${refusal.reason}`);
      refuseUpgrade(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, opts.service, log));
  });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    address,
    token,
    clients: () => wss.clients.size,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function serveClient(ws: WebSocket, service: BackendService, log: (line: string) => void): void {
  const subscriptions = new Map<ApiEvent, () => void>();
  /** Shells this page opened: they end with its connection (a closed or crashed tab leaves none running). */
  const shells = new Set<string>();
  const send = (m: WireResponse) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeWire(m));
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return send({ type: 'error', message: 'binary frames are not part of the protocol' });
    let parsed: z.infer<typeof RequestSchema>;
    try {
      const r = RequestSchema.safeParse(decodeWire(data.toString()));
      if (!r.success) return send({ type: 'error', message: 'malformed message' });
      parsed = r.data;
    } catch {
      return send({ type: 'error', message: 'malformed message (not JSON)' });
    }
    switch (parsed.type) {
      case 'call': {
        const { id } = parsed;
        // JSON has no undefined: an omitted middle argument arrives as null.
        const params = parsed.params.map((p) => (p === null ? undefined : p));
        const method = parsed.method;
        dispatch(service, method, params, log).then(
          (outcome) => {
            const opened = method === 'openShell' && outcome.ok ? (outcome.value as { ok?: boolean; shellId?: string }) : undefined;
            if (opened?.ok && opened.shellId) shells.add(opened.shellId);
            send({ type: 'result', id, ...outcome });
          },
          // dispatch turns a method's failure into an outcome; anything else still gets an answer.
          (e: unknown) => {
            log(`serve: ${method.slice(0, 64)} failed outside the method: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            send({ type: 'result', id, ok: false, error: { code: 'internal', message: `${method.slice(0, 64)} failed: ${e instanceof Error ? e.message : String(e)}` } });
          },
        );
        return;
      }
      case 'subscribe': {
        const event = parsed.event;
        if (!isApiEvent(event)) return send({ type: 'error', message: `no API event named ${JSON.stringify(event).slice(0, 80)}` });
        if (!subscriptions.has(event)) subscriptions.set(event, service.subscribe(event, (payload) => send({ type: 'event', event, payload })));
        return;
      }
      case 'unsubscribe': {
        const event = parsed.event;
        if (!isApiEvent(event)) return;
        subscriptions.get(event)?.();
        subscriptions.delete(event);
        return;
      }
    }
  });
  ws.on('close', () => {
    for (const off of subscriptions.values()) off();
    subscriptions.clear();
    for (const shellId of shells) void service.closeShell(shellId);
    shells.clear();
  });
  ws.on('error', (e) => log(`serve: WebSocket error: ${e.message}`));
}
