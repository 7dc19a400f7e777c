// The native menus as data (File, Edit, View, Help). Commands the designer already binds
// to keys are delivered as those very keystrokes, so a menu click and a shortcut run the
// same code in the renderer; the rest are AppRequests over the contract. Pure.
import type { MenuCommand } from '../../shared/api/contract';

export type MenuRole = 'cut' | 'quit' | 'reload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'about' | 'minimize' | 'close';

/** A keystroke for the page: `key` as Electron's keyCode ("S", "Delete", "?"). */
export interface KeyStroke {
  key: string;
  shift?: boolean;
  alt?: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS (the renderer accepts either). */
  mod?: boolean;
}

export type MenuAction = { kind: 'key'; stroke: KeyStroke } | { kind: 'request'; command: MenuCommand } | { kind: 'role'; role: MenuRole } | { kind: 'about' };

export type MenuEntry = { label: string; accelerator?: string; action: MenuAction } | { separator: true };

export interface MenuSection {
  label: string;
  items: MenuEntry[];
}

const key = (k: string, more: Omit<KeyStroke, 'key'> = {}): MenuAction => ({ kind: 'key', stroke: { key: k, ...more } });
const req = (command: MenuCommand): MenuAction => ({ kind: 'request', command });
const role = (r: MenuRole): MenuAction => ({ kind: 'role', role: r });
const sep: MenuEntry = { separator: true };

export function menuModel(opts: { dev: boolean; mac: boolean }): MenuSection[] {
  return [
    {
      label: 'File',
      items: [
        { label: 'New Design', accelerator: 'CmdOrCtrl+Alt+N', action: key('N', { mod: true, alt: true }) },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', action: key('O', { mod: true }) },
        { label: 'Open Recent…', action: req('open-recent') },
        { label: 'Examples…', action: req('open-example') },
        sep,
        { label: 'Save', accelerator: 'CmdOrCtrl+S', action: key('S', { mod: true }) },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', action: key('S', { mod: true, shift: true }) },
        { label: 'Export Shell Script…', action: req('export-script') },
        sep,
        opts.mac ? { label: 'Close Window', accelerator: 'CmdOrCtrl+W', action: role('close') } : { label: 'Quit', accelerator: 'CmdOrCtrl+Q', action: role('quit') },
      ],
    },
    {
      label: 'Edit',
      items: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', action: key('Z', { mod: true }) },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', action: key('Z', { mod: true, shift: true }) },
        sep,
        { label: 'Cut', accelerator: 'CmdOrCtrl+X', action: role('cut') },
        { label: 'Copy', accelerator: 'CmdOrCtrl+C', action: key('C', { mod: true }) },
        { label: 'Paste', accelerator: 'CmdOrCtrl+V', action: key('V', { mod: true }) },
        { label: 'Duplicate', accelerator: 'CmdOrCtrl+D', action: key('D', { mod: true }) },
        { label: 'Delete', accelerator: 'Delete', action: key('Delete') },
        { label: 'Select All', accelerator: 'CmdOrCtrl+A', action: key('A', { mod: true }) },
        sep,
        { label: 'Find…', accelerator: 'CmdOrCtrl+F', action: key('F', { mod: true }) },
      ],
    },
    {
      label: 'View',
      items: [
        { label: 'Auto-layout', accelerator: 'CmdOrCtrl+Shift+L', action: key('L', { mod: true, shift: true }) },
        sep,
        { label: 'Actual Size', accelerator: 'CmdOrCtrl+0', action: role('resetZoom') },
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+Plus', action: role('zoomIn') },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', action: role('zoomOut') },
        sep,
        { label: 'Toggle Full Screen', accelerator: opts.mac ? 'Ctrl+Cmd+F' : 'F11', action: role('togglefullscreen') },
        ...(opts.dev
          ? [sep, { label: 'Reload', accelerator: 'CmdOrCtrl+R', action: role('reload') }, { label: 'Developer Tools', accelerator: opts.mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I', action: role('toggleDevTools') }]
          : []),
      ],
    },
    {
      label: 'Help',
      items: [
        { label: 'Keyboard Shortcuts', accelerator: 'Shift+/', action: key('?', { shift: true }) },
        sep,
        { label: 'About Wireplan', action: { kind: 'about' } },
      ],
    },
  ];
}
