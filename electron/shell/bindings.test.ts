// The Electron-facing files with Electron replaced by a recording stand-in (the binary
// cannot run on machines without it): the preload exposes exactly the contract, IPC answers
// only the app's main frame and validates arguments, the protocol serves the renderer with
// its CSP and nothing else, and the session denies permissions and network requests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_EVENTS, API_METHODS } from '../../shared/api/contract';
import { BackendService, headlessDialogs, repoResourcesDir } from '../backend/service';

type Fn = (...args: never[]) => unknown;
const fake = vi.hoisted(() => {
  const handlers = new Map<string, Fn>();
  const listeners = new Map<string, Fn[]>();
  const rendererListeners = new Map<string, Fn[]>();
  const state = {
    handlers,
    listeners,
    rendererListeners,
    exposed: undefined as undefined | { key: string; api: Record<string, unknown> },
    invoked: [] as { channel: string; args: unknown[] }[],
    sent: [] as { channel: string; args: unknown[] }[],
    invokeResult: { ok: true, value: 'v' } as unknown,
    protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
    privileged: [] as unknown[],
    appListeners: new Map<string, Fn[]>(),
    session: {} as Record<string, Fn>,
  };
  return state;
});

vi.mock('electron', () => {
  const on = (map: Map<string, Fn[]>) => (channel: string, f: Fn) => void map.set(channel, [...(map.get(channel) ?? []), f]);
  const sessionObj = {
    setPermissionRequestHandler: (f: Fn) => void (fake.session['request'] = f),
    setPermissionCheckHandler: (f: Fn) => void (fake.session['check'] = f),
    setDevicePermissionHandler: (f: Fn) => void (fake.session['device'] = f),
    setDisplayMediaRequestHandler: (f: Fn) => void (fake.session['display'] = f),
    webRequest: { onBeforeRequest: (filter: unknown, f: Fn) => void ((fake.session['beforeRequest'] = f), (fake.session['filter'] = (() => filter) as Fn)) },
  };
  return {
    ipcMain: {
      handle: (channel: string, f: Fn) => void fake.handlers.set(channel, f),
      removeHandler: (channel: string) => void fake.handlers.delete(channel),
      on: on(fake.listeners),
      off: () => {},
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => (fake.invoked.push({ channel, args }), fake.invokeResult),
      send: (channel: string, ...args: unknown[]) => void fake.sent.push({ channel, args }),
      on: on(fake.rendererListeners),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void (fake.exposed = { key, api }) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void fake.privileged.push(...s),
      handle: (_scheme: string, f: (req: Request) => Promise<Response>) => void (fake.protocolHandler = f),
    },
    app: { on: on(fake.appListeners) },
    session: { defaultSession: sessionObj },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'wp-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('preload', () => {
  beforeEach(() => {
    fake.invoked.length = 0;
    fake.sent.length = 0;
  });

  it('exposes exactly the contract names as window.wireplan, frozen', async () => {
    await import('./preload');
    expect(fake.exposed?.key).toBe('wireplan');
    expect(Object.keys(fake.exposed!.api).sort()).toEqual([...API_METHODS, ...API_EVENTS].sort());
    expect(Object.isFrozen(fake.exposed!.api)).toBe(true);
    for (const v of Object.values(fake.exposed!.api)) expect(typeof v).toBe('function');
  });

  it('methods invoke their own channel and unwrap the outcome', async () => {
    const api = fake.exposed!.api as Record<string, (...a: unknown[]) => Promise<unknown>>;
    fake.invokeResult = { ok: true, value: [{ id: 'x' }] };
    expect(await api['listExamples']!()).toEqual([{ id: 'x' }]);
    expect(fake.invoked).toEqual([{ channel: 'wireplan:call:listExamples', args: [] }]);
    fake.invokeResult = { ok: false, error: { code: 'invalid-arguments', message: 'readExample: bad id' } };
    await expect(api['readExample']!(42)).rejects.toThrow('readExample: bad id');
  });

  it('events subscribe once, deliver the payload only (never the IPC event), unsubscribe when the last listener leaves', async () => {
    const api = fake.exposed!.api as Record<string, (l: unknown) => () => void>;
    const got: unknown[][] = [];
    const off1 = api['onRunProgress']!((...a: unknown[]) => got.push(a));
    const off2 = api['onRunProgress']!((...a: unknown[]) => got.push(a));
    expect(fake.sent).toEqual([{ channel: 'wireplan:subscribe', args: ['onRunProgress'] }]);
    for (const l of fake.rendererListeners.get('wireplan:event:onRunProgress') ?? []) (l as (e: unknown, p: unknown) => void)({ sender: 'ipc internals' }, { runId: 'r' });
    expect(got).toEqual([[{ runId: 'r' }], [{ runId: 'r' }]]);
    off1();
    off1();
    expect(fake.sent).toHaveLength(1);
    off2();
    expect(fake.sent.at(-1)).toEqual({ channel: 'wireplan:unsubscribe', args: ['onRunProgress'] });
    expect(() => api['onHostStatus']!('not a function')).toThrow(TypeError);
  });
});

describe('ipc', () => {
  const service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')) });
  afterAll(() => service.close());
  const logs: string[] = [];
  const frame = (url: string, parent: unknown = null) => ({ url, parent });
  const sender = { id: 7, isDestroyed: () => false, send: vi.fn(), once: vi.fn(), on: vi.fn() };
  const call = (method: string, senderFrame: unknown, ...args: unknown[]) => (fake.handlers.get(`wireplan:call:${method}`) as (e: unknown, ...a: unknown[]) => Promise<unknown>)({ senderFrame, sender }, ...args);

  it('registers one handler per contract method', async () => {
    const { registerIpc } = await import('./ipc');
    registerIpc(service, (l) => logs.push(l));
    expect([...fake.handlers.keys()].filter((k) => k.startsWith('wireplan:call:')).sort()).toEqual(API_METHODS.map((m) => `wireplan:call:${m}`).sort());
  });

  it('answers the app main frame; refuses other origins, subframes and destroyed frames', async () => {
    expect(await call('readExample', frame('app://wireplan/index.html'), 'two-namespaces-nat')).toMatchObject({ ok: true, value: { ok: true } });
    for (const f of [frame('https://evil.example/'), frame('app://wireplan/index.html', {}), frame('file:///x.html'), null]) {
      expect(await call('readExample', f, 'two-namespaces-nat')).toMatchObject({ ok: false, error: { message: expect.stringContaining('refused') } });
    }
    expect(logs.some((l) => l.includes('refused IPC readExample from https://evil.example/'))).toBe(true);
  });

  it('validates arguments like the headless bridge', async () => {
    expect(await call('readExample', frame('app://wireplan/'), '../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await call('openDesign', frame('app://wireplan/'), { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });

  it('events: only trusted frames subscribe; pushes go to that page', async () => {
    const subscribe = fake.listeners.get('wireplan:subscribe')![0] as (e: unknown, name: unknown) => void;
    subscribe({ senderFrame: frame('https://evil.example/'), sender }, 'onAppRequest');
    subscribe({ senderFrame: frame('app://wireplan/'), sender }, 'notAnEvent');
    expect(service.listenerCount('onAppRequest')).toBe(0);
    subscribe({ senderFrame: frame('app://wireplan/'), sender }, 'onAppRequest');
    subscribe({ senderFrame: frame('app://wireplan/'), sender }, 'onAppRequest');
    expect(service.listenerCount('onAppRequest')).toBe(1);
    service.requestMenu('help');
    expect(sender.send).toHaveBeenCalledWith('wireplan:event:onAppRequest', { kind: 'menu', command: 'help' });
    const unsubscribe = fake.listeners.get('wireplan:unsubscribe')![0] as (e: unknown, name: unknown) => void;
    unsubscribe({ senderFrame: frame('app://wireplan/'), sender }, 'onAppRequest');
    expect(service.listenerCount('onAppRequest')).toBe(0);
  });
});

describe('protocol', () => {
  it('registers app:// as a privileged standard scheme and serves the build with the CSP', async () => {
    const build = join(dir, 'renderer');
    mkdirSync(join(build, 'assets'), { recursive: true });
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>W</title>');
    writeFileSync(join(build, 'assets', 'a.js'), 'export {}');
    writeFileSync(join(dir, 'outside.txt'), 'secret');
    const { registerAppScheme, serveRenderer } = await import('./protocol');
    registerAppScheme();
    expect(fake.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    serveRenderer(build);
    const get = (url: string) => fake.protocolHandler!(new Request(url));
    const index = await get('app://wireplan/index.html');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>W</title>');
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|ws:/);
    expect((await get('app://wireplan/assets/a.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await get('app://wireplan/')).status).toBe(200);
    for (const url of ['app://wireplan/../outside.txt', 'app://wireplan/%2e%2e/outside.txt', 'app://other/index.html', 'app://wireplan/missing.js']) {
      const r = await get(url);
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('secret');
    }
  });
});

describe('security policy', () => {
  it('denies permissions (but clipboard writes from the app), devices, display capture and every network request', async () => {
    const { applySecurityPolicy } = await import('./security');
    applySecurityPolicy(() => {});
    const decide = (permission: string, url: string) =>
      new Promise<boolean>((resolve) => (fake.session['request'] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)({ getURL: () => url }, permission, resolve));
    expect(await decide('media', 'app://wireplan/index.html')).toBe(false);
    expect(await decide('notifications', 'app://wireplan/index.html')).toBe(false);
    expect(await decide('clipboard-sanitized-write', 'app://wireplan/index.html')).toBe(true);
    expect(await decide('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect((fake.session['check'] as (wc: unknown, p: string) => boolean)({ getURL: () => 'app://wireplan/' }, 'geolocation')).toBe(false);
    expect((fake.session['device'] as () => boolean)()).toBe(false);
    const canceled = await new Promise((resolve) => (fake.session['beforeRequest'] as (d: unknown, cb: (r: unknown) => void) => void)({ url: 'https://example.com/' }, resolve));
    expect(canceled).toEqual({ cancel: true });
    expect((fake.session['filter'] as () => { urls: string[] })().urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
  });

  it('every new web contents: navigation, window.open and webviews are refused', async () => {
    const created = fake.appListeners.get('web-contents-created')![0] as (e: unknown, c: unknown) => void;
    const on = new Map<string, Fn>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    created({}, { on: (n: string, f: Fn) => void on.set(n, f), setWindowOpenHandler: (f: (d: { url: string }) => unknown) => void (openHandler = f) });
    const prevented = (name: string, url = 'https://evil.example/') => {
      const e = { preventDefault: vi.fn() };
      (on.get(name) as (e: unknown, url: string) => void)(e, url);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(prevented('will-navigate')).toBe(true);
    expect(prevented('will-navigate', 'app://wireplan/index.html')).toBe(true);
    expect(prevented('will-redirect')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});
