// main.ts run against a recording stand-in for Electron (the real binary cannot start on
// machines without it): the order of the startup calls, the window's security settings,
// where the renderer and preload come from, the menus, files from argv and from a second
// launch, and the shutdown that closes the backend before the process ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../shared/api/contract';

type Fn = (...args: never[]) => unknown;
const rec = vi.hoisted(() => ({
  calls: [] as string[],
  appOn: new Map<string, Fn[]>(),
  windows: [] as { options: Record<string, unknown>; url?: string; on: Map<string, Fn[]> }[],
  handlers: new Map<string, Fn>(),
  ipcOn: new Map<string, Fn[]>(),
  menu: undefined as unknown,
  quit: 0,
  readyResolve: undefined as undefined | (() => void),
}));

vi.mock('electron', () => {
  const push = (map: Map<string, Fn[]>, k: string, f: Fn) => void map.set(k, [...(map.get(k) ?? []), f]);
  const ready = new Promise<void>((r) => (rec.readyResolve = r));
  class BrowserWindow {
    readonly rec: (typeof rec.windows)[number];
    readonly webContents = { focus: () => {}, sendInputEvent: () => {} };
    constructor(options: Record<string, unknown>) {
      this.rec = { options, on: new Map() };
      rec.windows.push(this.rec);
      rec.calls.push('new BrowserWindow');
    }
    on(e: string, f: Fn) {
      push(this.rec.on, e, f);
      return this;
    }
    once(e: string, f: Fn) {
      return this.on(e, f);
    }
    async loadURL(url: string) {
      this.rec.url = url;
    }
    maximize() {}
    setFullScreen() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    restore() {}
    focus() {}
    show() {}
  }
  return {
    app: {
      enableSandbox: () => void rec.calls.push('enableSandbox'),
      requestSingleInstanceLock: () => (rec.calls.push('requestSingleInstanceLock'), true),
      whenReady: () => ready,
      on: (e: string, f: Fn) => push(rec.appOn, e, f),
      quit: () => void rec.quit++,
      exit: (code: number) => void rec.calls.push(`exit ${code}`),
      isPackaged: false,
      getAppPath: () => fileURLToPath(new URL('../..', import.meta.url)),
      getPath: () => tmpdir(),
    },
    protocol: {
      registerSchemesAsPrivileged: () => void rec.calls.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => void rec.calls.push(`protocol.handle ${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => void rec.calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => {},
        setDevicePermissionHandler: () => {},
        setDisplayMediaRequestHandler: () => {},
        webRequest: { onBeforeRequest: () => void rec.calls.push('block network') },
      },
    },
    ipcMain: { handle: (c: string, f: Fn) => void rec.handlers.set(c, f), on: (c: string, f: Fn) => push(rec.ipcOn, c, f), removeHandler: () => {}, off: () => {} },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void (rec.menu = m) },
    BrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
    dialog: {},
  };
});

const dir = mkdtempSync(join(tmpdir(), 'wp-main-'));
const design = join(dir, 'from-argv.wireplan.json');
writeFileSync(design, '{"wireplan":2}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sender = { id: 1, isDestroyed: () => false, send: vi.fn(), once: () => {}, on: () => {} };
const trustedFrame = { url: 'app://wireplan/index.html', parent: null };
let savedArgv: string[] = [];

describe('main process', () => {
  it('before ready: privileged scheme, sandbox for all renderers, single instance', async () => {
    process.env['WIREPLAN_CONFIG_DIR'] = join(dir, 'cfg');
    savedArgv = process.argv;
    process.argv = ['/x/electron', '.', design];
    await import('./main');
    expect(rec.calls).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'requestSingleInstanceLock']);
  });

  it('at ready: security policy, renderer protocol, IPC, menus, then one hardened window on app://', async () => {
    rec.readyResolve!();
    await vi.waitFor(() => expect(rec.windows[0]?.url).toBeDefined());
    process.argv = savedArgv;
    expect(rec.calls.slice(3)).toEqual(['setPermissionRequestHandler', 'block network', 'protocol.handle app', 'new BrowserWindow']);
    const win = rec.windows[0]!;
    expect(win.url).toBe('app://wireplan/index.html');
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
    expect(String(prefs['preload'])).toMatch(/preload[/\\]preload\.cjs$/);
    expect(win.options).toMatchObject({ width: 1400, height: 900, show: false });
    expect(rec.handlers.size).toBe(API_METHODS.length);
    expect((rec.menu as { label: string }[]).map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(rec.appOn.has('web-contents-created')).toBe(true);
  });

  it('the design from argv reaches the page once it listens; a second launch brings another', async () => {
    const subscribe = rec.ipcOn.get('wireplan:subscribe')![0] as (e: unknown, name: string) => void;
    subscribe({ senderFrame: trustedFrame, sender }, 'onAppRequest');
    expect(sender.send).toHaveBeenCalledWith('wireplan:event:onAppRequest', { kind: 'open-file', path: design });
    const second = rec.appOn.get('second-instance')![0] as (e: unknown, argv: string[], cwd: string) => void;
    second({}, ['/x/electron', '.', 'other.wireplan.json'], dir);
    expect(sender.send).toHaveBeenLastCalledWith('wireplan:event:onAppRequest', { kind: 'open-file', path: join(dir, 'other.wireplan.json') });
    // Granted by the launch: readable through the API.
    const open = rec.handlers.get('wireplan:call:openDesign') as (e: unknown, ...a: unknown[]) => Promise<unknown>;
    expect(await open({ senderFrame: trustedFrame, sender }, design)).toMatchObject({ ok: true, value: { ok: true, text: '{"wireplan":2}' } });
  });

  it('quitting closes the backend first, then quits', async () => {
    const willQuit = rec.appOn.get('will-quit')![0] as (e: { preventDefault(): void }) => void;
    const event = { preventDefault: vi.fn() };
    willQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(rec.quit).toBe(1));
    const again = { preventDefault: vi.fn() };
    willQuit(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
