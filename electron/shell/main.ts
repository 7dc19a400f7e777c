// The desktop shell: one window over the backend service, nothing more. Everything the
// app does lives in electron/backend (shared with `wireplan serve` and the CLI); this file
// wires Electron to it: the app:// renderer, the preload, IPC, menus, dialogs, safeStorage,
// window state, single instance and files from the command line or the file manager.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installProcessGuard } from '../backend/processGuard';
import { BackendService, configFiles, defaultConfigDir, defaultEngines } from '../backend/service';
import { designFromArgv } from './argv';
import { nativeDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { MIN_SIZE } from './windowBounds';
import { APP_INDEX } from './origin';
import { registerAppScheme, serveRenderer } from './protocol';
import { keychainUnavailableReason, plaintextConsent, safeStorageCipher } from './secrets';
import { applySecurityPolicy } from './security';
import { WindowStateKeeper } from './windowState';

const here = fileURLToPath(new URL('.', import.meta.url)); // out/main/
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/preload.cjs');
const log = (line: string) => console.error(`wireplan: ${line}`);
// The backend lives in this process: an error no code path handled is logged, and the
// window, its runs and its live watches carry on (Node's default would end them all).
installProcessGuard({ log });

// Before ready: the privileged scheme, the sandbox for every renderer, one instance.
registerAppScheme();
app.enableSandbox();
const primary = app.requestSingleInstanceLock();

let mainWindow: BrowserWindow | undefined;
let service: BackendService | undefined;
/** Files asked for before the backend existed (macOS open-file fires before ready). */
const earlyOpens: string[] = [];

function openDesign(path: string): void {
  if (service) service.requestOpen(path);
  else earlyOpens.push(path);
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
}

app.on('open-file', (event, path) => {
  event.preventDefault();
  openDesign(path);
});

async function createWindow(keeper: WindowStateKeeper): Promise<BrowserWindow> {
  const initial = await keeper.initial();
  const win = new BrowserWindow({
    ...initial.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Wireplan',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  if (initial.maximized) win.maximize();
  if (initial.fullScreen) win.setFullScreen(true);
  keeper.track(win);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  await win.loadURL(APP_INDEX);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  applySecurityPolicy(log);
  serveRenderer(rendererDir);
  const configDir = defaultConfigDir();
  const files = configFiles(configDir);
  const examplesDir = app.isPackaged ? join(process.resourcesPath, 'examples') : join(app.getAppPath(), 'resources', 'examples');
  const cipher = safeStorageCipher();
  const noKeychain = keychainUnavailableReason();
  service = new BackendService({
    configDir,
    examplesDir,
    dialogs: nativeDialogs(() => mainWindow),
    ...(cipher ? { secretCipher: cipher } : {}),
    ...(noKeychain ? { noKeychainReason: noKeychain } : {}),
    acceptPlaintextSecrets: plaintextConsent(files.settings, () => mainWindow),
    engines: defaultEngines,
    log,
  });
  registerIpc(service, log);
  installMenu(service);
  const fromArgv = designFromArgv(process.argv, process.cwd(), { packaged: app.isPackaged });
  if (fromArgv) earlyOpens.push(fromArgv);
  for (const path of earlyOpens.splice(0)) service.requestOpen(path);

  const keeper = new WindowStateKeeper(files.windowState);
  mainWindow = await createWindow(keeper);
  app.on('activate', () => {
    if (!mainWindow) {
      createWindow(keeper).then(
        (w) => (mainWindow = w),
        (e: unknown) => log(`cannot open a window: ${(e as Error).stack ?? String(e)}`),
      );
    }
  });
}

if (!primary) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = designFromArgv(argv, workingDirectory, { packaged: app.isPackaged });
    if (path) openDesign(path);
    else mainWindow?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !service) return;
    // Runs are canceled, sandboxes and SSH connections closed, before the process ends.
    event.preventDefault();
    closing = true;
    service
      .close()
      .catch((e: unknown) => log(`closing the backend failed: ${(e as Error).stack ?? String(e)}`))
      .finally(() => app.quit());
  });
  start().catch((e: unknown) => {
    log(`failed to start: ${(e as Error).stack ?? String(e)}`);
    app.exit(1);
  });
}
