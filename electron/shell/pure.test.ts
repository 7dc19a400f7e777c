// The shell's pure rules: who counts as the app's page, which permission is allowed,
// which file a launch asks for, where a remembered window reopens, and the menus.
import { describe, expect, it } from 'vitest';
import { designFromArgv } from './argv';
import { menuModel } from './menuModel';
import { APP_INDEX, isAppUrl, isTrustedSender, permissionAllowed } from './origin';
import { DEFAULT_SIZE, MIN_SIZE, restoreBounds } from './windowBounds';

describe('origin', () => {
  it('only app://wireplan pages are the app', () => {
    expect(isAppUrl(APP_INDEX)).toBe(true);
    expect(isAppUrl('app://wireplan/assets/x.js')).toBe(true);
    for (const url of ['app://other/index.html', 'app://wireplan:8080/', 'app://user@wireplan/', 'file:///index.html', 'http://127.0.0.1/', 'https://wireplan/', 'devtools://devtools/', 'about:blank', 'data:text/html,x', '', 'not a url', undefined, null]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('IPC senders: the main frame of an app page only', () => {
    expect(isTrustedSender({ url: APP_INDEX, parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_INDEX, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('permissions: clipboard text writes from the app, nothing else', () => {
    expect(permissionAllowed('clipboard-sanitized-write', APP_INDEX)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const p of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen']) expect(permissionAllowed(p, APP_INDEX)).toBe(false);
  });
});

describe('designFromArgv', () => {
  it('finds the design in development and packaged argv, skipping switches', () => {
    expect(designFromArgv(['/x/electron', '.', 'lab.wireplan.json'], '/home/u', { packaged: false })).toBe('/home/u/lab.wireplan.json');
    expect(designFromArgv(['/opt/Wireplan/wireplan', '--no-sandbox', '/data/a.json'], '/', { packaged: true })).toBe('/data/a.json');
    expect(designFromArgv(['/opt/Wireplan/wireplan', '--enable-logging', 'notes.txt'], '/', { packaged: true })).toBeUndefined();
    expect(designFromArgv(['/opt/Wireplan/wireplan', 'file:///tmp/my%20lab.wireplan.json'], '/', { packaged: true })).toBe('/tmp/my lab.wireplan.json');
    expect(designFromArgv(['/opt/Wireplan/wireplan', '--', '-odd-.json'], '/w', { packaged: true })).toBe('/w/-odd-.json');
    expect(designFromArgv(['/opt/Wireplan/wireplan'], '/', { packaged: true })).toBeUndefined();
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('no saved state: the default size, centered by Electron', () => {
    expect(restoreBounds(undefined, screen)).toEqual({ bounds: DEFAULT_SIZE, maximized: false, fullScreen: false });
  });
  it('a visible saved window comes back where it was', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: true, fullScreen: false }, screen)).toEqual({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true, fullScreen: false });
  });
  it('a window saved on a monitor that is gone keeps its size but not its position', () => {
    const r = restoreBounds({ x: 3000, y: 100, width: 1200, height: 800, maximized: false, fullScreen: false }, screen);
    expect(r.bounds).toEqual({ width: 1200, height: 800 });
  });
  it('never larger than the largest screen, never smaller than the minimum', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 4000, maximized: false, fullScreen: false }, screen).bounds).toMatchObject({ width: 1920, height: 1040 });
    expect(restoreBounds({ x: 0, y: 0, width: 300, height: 200, maximized: false, fullScreen: false }, screen).bounds).toMatchObject(MIN_SIZE);
  });
});

describe('menus', () => {
  const labels = (dev: boolean, mac: boolean) => menuModel({ dev, mac }).map((s) => s.label);
  it('File, Edit, View, Help, with standard accelerators', () => {
    expect(labels(false, false)).toEqual(['File', 'Edit', 'View', 'Help']);
    const all = menuModel({ dev: false, mac: false }).flatMap((s) => s.items).filter((i) => 'label' in i) as { label: string; accelerator?: string }[];
    const acc = Object.fromEntries(all.map((i) => [i.label, i.accelerator]));
    expect(acc).toMatchObject({ 'Open…': 'CmdOrCtrl+O', Save: 'CmdOrCtrl+S', 'Save As…': 'CmdOrCtrl+Shift+S', Undo: 'CmdOrCtrl+Z', Redo: 'CmdOrCtrl+Shift+Z', Copy: 'CmdOrCtrl+C', Paste: 'CmdOrCtrl+V', 'Select All': 'CmdOrCtrl+A', Quit: 'CmdOrCtrl+Q' });
  });
  it('developer tools and reload only in development builds', () => {
    const has = (dev: boolean) => menuModel({ dev, mac: false }).flatMap((s) => s.items).some((i) => 'label' in i && i.label === 'Developer Tools');
    expect(has(false)).toBe(false);
    expect(has(true)).toBe(true);
  });
  it('no two items share an accelerator', () => {
    for (const mac of [false, true]) {
      const accs = menuModel({ dev: true, mac }).flatMap((s) => s.items).flatMap((i) => ('accelerator' in i && i.accelerator ? [i.accelerator] : []));
      expect(new Set(accs).size).toBe(accs.length);
    }
  });
});
