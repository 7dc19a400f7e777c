// Native menus from menuModel.ts. Keystroke items do not register their accelerator on
// Linux/Windows: the key reaches the page, whose own shortcut handler runs; clicking the
// item sends the same keystroke to the page. (macOS always registers menu key equivalents;
// there the click, and so the keystroke, happens exactly once too.)
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { BackendService } from '../backend/service';
import { WIREPLAN_VERSION } from '../../shared/version';
import { menuModel, type KeyStroke, type MenuEntry } from './menuModel';

function sendKey(win: BrowserWindow, stroke: KeyStroke): void {
  const modifiers: ('control' | 'meta' | 'shift' | 'alt')[] = [];
  if (stroke.mod) modifiers.push(process.platform === 'darwin' ? 'meta' : 'control');
  if (stroke.shift) modifiers.push('shift');
  if (stroke.alt) modifiers.push('alt');
  win.webContents.focus();
  win.webContents.sendInputEvent({ type: 'keyDown', keyCode: stroke.key, modifiers });
  if (stroke.key.length === 1 && !stroke.mod && !stroke.alt) win.webContents.sendInputEvent({ type: 'char', keyCode: stroke.key, modifiers });
  win.webContents.sendInputEvent({ type: 'keyUp', keyCode: stroke.key, modifiers });
}

export function installMenu(service: BackendService): void {
  const mac = process.platform === 'darwin';
  const toItem = (entry: MenuEntry): MenuItemConstructorOptions => {
    if ('separator' in entry) return { type: 'separator' };
    const a = entry.action;
    const base = { label: entry.label, ...(entry.accelerator ? { accelerator: entry.accelerator } : {}) };
    switch (a.kind) {
      case 'role':
        return { ...base, role: a.role };
      case 'key':
        return {
          ...base,
          registerAccelerator: false,
          click: (_item, win) => {
            if (win instanceof BrowserWindow) sendKey(win, a.stroke);
          },
        };
      case 'request':
        return { ...base, click: () => service.requestMenu(a.command) };
      case 'about':
        return {
          ...base,
          click: (_item, win) => {
            const options = { type: 'info' as const, title: 'About Wireplan', message: `Wireplan ${WIREPLAN_VERSION}`, detail: `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}` };
            void (win instanceof BrowserWindow ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
          },
        };
    }
  };
  const sections = menuModel({ dev: !app.isPackaged, mac }).map((s) => ({ label: s.label, submenu: s.items.map(toItem) }));
  const template: MenuItemConstructorOptions[] = mac ? [{ role: 'appMenu' }, ...sections] : sections;
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
