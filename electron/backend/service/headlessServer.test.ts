// `wireplan serve`'s server, for real on this machine: where it listens (127.0.0.1 and
// nowhere else), who may open the WebSocket (token, Origin, Host), what the page gets
// (the renderer with its CSP, nothing outside the build), and the contract over the wire.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire, type WireRequest, type WireResponse } from '../../../shared/api/contract';
import { headlessDialogs } from './dialogs';
import { BindRefused, checkUpgrade, startHeadlessServer, type HeadlessServer } from './headlessServer';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const dir = mkdtempSync(join(tmpdir(), 'wp-serve-'));
const staticDir = join(dir, 'dist');
const workspace = join(dir, 'ws');
let service: BackendService;
let server: HeadlessServer;
const logs: string[] = [];

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head><title>W</title></head><body></body></html>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the build');
  service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(workspace), workspaceDirs: [workspace] });
  server = await startHeadlessServer({ service, staticDir, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Client {
  ws: WebSocket;
  received: WireResponse[];
  call(method: string, params: unknown[]): Promise<WireResponse & { type: 'result' }>;
  send(m: WireRequest): void;
}

let nextId = 1;

/** Opens the WebSocket like the page does; rejects with the HTTP status when refused. */
function open(opts: { token?: string | null; origin?: string | null; host?: string; protocols?: string[] } = {}): Promise<Client> {
  const token = opts.token === undefined ? server.token : opts.token;
  const protocols = opts.protocols ?? [WIRE_PROTOCOL, ...(token === null ? [] : [`${WIRE_TOKEN_PREFIX}${token}`])];
  const headers: Record<string, string> = {};
  const origin = opts.origin === undefined ? server.origin : opts.origin;
  if (origin !== null) headers['Origin'] = origin;
  if (opts.host) headers['Host'] = opts.host;
  const ws = new WebSocket(`ws://127.0.0.1:${server.address.port}/api`, protocols, { headers });
  const received: WireResponse[] = [];
  const waiters = new Map<number, (m: WireResponse & { type: 'result' }) => void>();
  ws.on('message', (data) => {
    const m = decodeWire(String(data)) as WireResponse;
    received.push(m);
    if (m.type === 'result') waiters.get(m.id)?.(m);
  });
  const client: Client = {
    ws,
    received,
    send: (m) => ws.send(encodeWire(m)),
    call: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiters.set(id, resolve);
        ws.send(encodeWire({ type: 'call', id, method, params }));
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function statusOf(p: Promise<Client>): Promise<number> {
  try {
    (await p).ws.close();
    return 101;
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
}

function tcpOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('where it listens', () => {
  it('binds 127.0.0.1 and nothing else', () => {
    expect(server.address.address).toBe('127.0.0.1');
    expect(server.address.family).toBe('IPv4');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses every other bind address before listening', async () => {
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', '192.0.2.2', '127.0.0.2']) {
      await expect(startHeadlessServer({ service, staticDir, host })).rejects.toBeInstanceOf(BindRefused);
    }
  });

  it('cannot be reached through any other address of this machine', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && !a.address.startsWith('fe80'))
      .map((a) => a!.address);
    others.push('::1'); // loopback, but not the address it bound
    if (others.length === 1) console.log('[headlessServer] this machine has no non-loopback address; only ::1 was tried');
    for (const address of others) {
      expect(await tcpOutcome(address, server.address.port), `via ${address}`).toBe('ECONNREFUSED');
    }
    expect(await tcpOutcome('127.0.0.1', server.address.port)).toBe('connected');
  });
});

describe('who may connect', () => {
  it('accepts the page: right token, right Origin, right Host', async () => {
    const c = await open();
    expect(c.ws.protocol).toBe(WIRE_PROTOCOL);
    c.ws.close();
  });

  it('refuses a connection without the token, or with a wrong one', async () => {
    expect(await statusOf(open({ token: null }))).toBe(401);
    expect(await statusOf(open({ token: 'A'.repeat(43) }))).toBe(401);
    expect(await statusOf(open({ token: server.token.slice(0, -1) }))).toBe(401);
    expect(await statusOf(open({ token: `${server.token}x` }))).toBe(401);
  });

  it('refuses another Origin (another web page in the same browser), and no Origin at all', async () => {
    expect(await statusOf(open({ origin: 'http://evil.example' }))).toBe(403);
    expect(await statusOf(open({ origin: `http://localhost:${server.address.port}` }))).toBe(403);
    expect(await statusOf(open({ origin: 'null' }))).toBe(403);
    expect(await statusOf(open({ origin: null }))).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and a missing subprotocol', async () => {
    expect(await statusOf(open({ host: `rebind.example:${server.address.port}` }))).toBe(403);
    expect(await statusOf(open({ protocols: [`${WIRE_TOKEN_PREFIX}${server.token}`] }))).toBe(400);
  });

  it('never logs the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) expect(l).not.toContain(server.token);
  });

  it('checkUpgrade checks the path too', () => {
    const expected = { origin: server.origin, host: `127.0.0.1:${server.address.port}`, token: server.token };
    const headers = { host: expected.host, origin: expected.origin, 'sec-websocket-protocol': `${WIRE_PROTOCOL}, ${WIRE_TOKEN_PREFIX}${server.token}` };
    expect(checkUpgrade({ url: '/api', headers }, expected)).toBeUndefined();
    expect(checkUpgrade({ url: '/other', headers }, expected)?.status).toBe(404);
  });
});

describe('what the page gets', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.origin}${path}`, { headers });

  it('index.html with the headless marker and a CSP without unsafe-inline or unsafe-eval', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<meta name="wireplan-backend" content="ws" />');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.address.port}`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await get('/assets/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('nothing outside the build, no other methods', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/', '/nope.js']) {
      const r = await get(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('outside the build');
    }
    expect((await fetch(`${server.origin}/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('the contract over the wire', () => {
  it('calls methods and returns their values', async () => {
    const c = await open();
    const r = await c.call('listExamples', []);
    expect(r.ok).toBe(true);
    expect((r as { value: { id: string }[] }).value.map((x) => x.id)).toContain('two-namespaces-nat');
    c.ws.close();
  });

  it('answers malformed arguments with invalid-arguments, unknown names with unknown-method', async () => {
    const c = await open();
    expect(await c.call('readExample', [42])).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await c.call('testConnection', [{ address: 'x y', port: 22, user: 'root' }])).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await c.call('close', [])).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    c.ws.send('{not json');
    c.send({ type: 'subscribe', event: 'onNothing' });
    await expect.poll(() => c.received.filter((m) => m.type === 'error').length).toBe(2);
    // The connection survives bad messages.
    expect((await c.call('recentFiles', [])).ok).toBe(true);
    c.ws.close();
  });

  it('carries bytes both ways: a PNG export lands byte for byte', async () => {
    const c = await open();
    const bytes = new Uint8Array(256).map((_, i) => i);
    const r = await c.call('exportFile', [{ suggestedName: 'diagram.png', data: bytes, mimeType: 'image/png' }]);
    expect(r).toMatchObject({ ok: true, value: { ok: true, path: join(workspace, 'diagram.png') } });
    expect(new Uint8Array(readFileSync(join(workspace, 'diagram.png')))).toEqual(bytes);
    c.ws.close();
  });

  it('null stands for an omitted middle argument (JSON has no undefined)', async () => {
    const c = await open();
    const r = await c.call('saveDesign', [null, '{"wireplan":2}', 'wire.wireplan.json']);
    expect(r).toMatchObject({ ok: true, value: { ok: true, path: join(workspace, 'wire.wireplan.json') } });
    c.ws.close();
  });

  it('pushes events to subscribed clients only, until they unsubscribe', async () => {
    const a = await open();
    const b = await open();
    a.send({ type: 'subscribe', event: 'onAppRequest' });
    await expect.poll(() => service.listenerCount('onAppRequest')).toBe(1);
    service.requestMenu('help');
    await expect.poll(() => a.received.filter((m) => m.type === 'event').length).toBe(1);
    expect(a.received.find((m) => m.type === 'event')).toEqual({ type: 'event', event: 'onAppRequest', payload: { kind: 'menu', command: 'help' } });
    a.send({ type: 'unsubscribe', event: 'onAppRequest' });
    await expect.poll(() => service.listenerCount('onAppRequest')).toBe(0);
    service.requestMenu('new');
    // A round trip after the push proves nothing more arrived in between.
    await a.call('recentFiles', []);
    await b.call('recentFiles', []);
    expect(a.received.filter((m) => m.type === 'event')).toHaveLength(1);
    expect(b.received.filter((m) => m.type === 'event')).toHaveLength(0);
    a.send({ type: 'subscribe', event: 'onAppRequest' });
    await expect.poll(() => service.listenerCount('onAppRequest')).toBe(1);
    a.ws.close();
    await expect.poll(() => service.listenerCount('onAppRequest')).toBe(0);
    b.ws.close();
  });
});
