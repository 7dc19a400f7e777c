// The desktop app itself, driven by Playwright's Electron support: launch, the security
// settings of every window at runtime, the contract as the page sees it, opening an example
// and applying it to the local sandbox host. It needs the Electron binary (and a display on
// Linux); where either is missing — as on machines that cannot download Electron — every
// test is skipped with the reason printed.
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_EVENTS, API_METHODS, type RunProgressEvent } from '../shared/api/contract';
import { compile } from '../shared/compile/compile';
import { parseDesign } from '../shared/model/parse';
import { showTab } from './helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Electron binary, or why these tests cannot run here. Looked up on disk the way the
 * `electron` package does, but never through require('electron'): that would start a
 * download of the binary, and tests never reach beyond this machine.
 */
function electronBinary(): { path: string } | { skip: string } {
  const pkg = join(ROOT, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { skip: `the Electron binary is not installed (no ${pathFile}); install it with a network that reaches Electron's release host` };
  const path = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(path)) return { skip: `the Electron binary is not installed (expected at ${path})` };
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return { skip: 'no display: run under xvfb-run (or with DISPLAY/WAYLAND_DISPLAY set)' };
  return { path };
}

const electron = electronBinary();
const skipReason = 'skip' in electron ? electron.skip : undefined;
if (skipReason) console.log(`[electron-app] skipped: ${skipReason}`);
test.skip(skipReason !== undefined, skipReason);

let app: ElectronApplication;
let page: Page;
let configDir: string;

test.beforeAll(async () => {
  if (skipReason) return;
  execFileSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'ignore' });
  configDir = mkdtempSync(join(tmpdir(), 'wp-electron-'));
  app = await _electron.launch({
    executablePath: (electron as { path: string }).path,
    // As root, Chromium refuses to start without --no-sandbox (its OS-level sandbox); the
    // per-window `sandbox: true` checked below is Electron's renderer sandbox and stays on.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT],
    env: { ...process.env, WIREPLAN_CONFIG_DIR: configDir } as Record<string, string>,
  });
  page = await app.firstWindow();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
});

test.afterAll(async () => {
  await app?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

test('every window runs isolated, sandboxed, without Node, from app://', async () => {
  const windows = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((w) => {
      // Undocumented in the typings but present at run time: what the renderer really got.
      const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences() ?? {};
      return { url: w.webContents.getURL(), contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity, webviewTag: p.webviewTag };
    }),
  );
  expect(windows.length).toBeGreaterThan(0);
  for (const w of windows) {
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(w.url.startsWith('app://wireplan/')).toBe(true);
  }
  for (const p of app.windows()) {
    const seen = await p.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
      api: Object.keys((window as unknown as { wireplan: object }).wireplan).sort(),
      opened: window.open('https://example.com/') === null,
    }));
    expect(seen).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined', api: [...API_METHODS, ...API_EVENTS].sort(), opened: true });
    const csp = await p.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const before = p.url();
    await p.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await expect.poll(() => p.url()).toBe(before);
  }
  expect(app.windows()).toHaveLength(windows.length); // window.open made no window
});

test('open an example, preview its plan, apply it to the sandbox host and tear it down', async () => {
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  const text = readFileSync(join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json'), 'utf8');
  const loaded = parseDesign(text);
  if (!loaded.ok) throw new Error('example does not load');
  await expect(page.getByTestId('title')).toContainText(loaded.design.name);
  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-steps')).toBeVisible();

  const compiled = compile(loaded.design);
  if (!compiled.ok) throw new Error('example does not compile');
  const planHashes = Object.fromEntries(compiled.plan.hosts.map((h) => [h.host.id, h.hash]));
  const designText = await page.evaluate(() => window.__wireplan!.serialized());
  const runTo = (kind: 'apply' | 'destroy') =>
    page.evaluate(
      ({ kind, designText, planHashes, hosts }) =>
        new Promise<{ start: unknown; events: RunProgressEvent[] }>((resolve) => {
          const api = (window as unknown as { wireplan: import('../shared/api/contract').WireplanApi }).wireplan;
          const events: RunProgressEvent[] = [];
          const ended = new Set<string>();
          let off = () => {};
          off = api.onRunProgress((e) => {
            events.push(e);
            if (e.phase === 'done' || e.phase === 'failed' || e.phase === 'canceled') ended.add(e.hostId);
            if (ended.size === hosts) {
              off();
              resolve({ start: 'ok', events });
            }
          });
          void (kind === 'apply' ? api.apply({ designText, planHashes }) : api.destroy({ designText })).then((start) => {
            if (!start.ok) {
              off();
              resolve({ start, events });
            }
          });
        }),
      { kind, designText, planHashes, hosts: compiled.plan.hosts.length },
    );
  const applied = await runTo('apply');
  expect(applied.start, 'apply must start').toBe('ok');
  expect(applied.events.filter((e) => e.phase === 'failed')).toEqual([]);
  expect(applied.events.at(-1)?.phase).toBe('done');
  const destroyed = await runTo('destroy');
  expect(destroyed.start).toBe('ok');
  expect(destroyed.events.filter((e) => e.phase === 'failed')).toEqual([]);
});
