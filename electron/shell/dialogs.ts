// Native file dialogs for the backend service (see backend/service/dialogs.ts).
import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Dialogs } from '../backend/service';

const DESIGN_FILTERS = [
  { name: 'Wireplan designs', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

function exportFilters(name: string) {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  const label = ext === 'sh' ? 'Shell scripts' : ext === 'svg' ? 'SVG images' : ext === 'png' ? 'PNG images' : 'Files';
  return ext ? [{ name: label, extensions: [ext] }, { name: 'All files', extensions: ['*'] }] : [{ name: 'All files', extensions: ['*'] }];
}

export function nativeDialogs(window: () => BrowserWindow | undefined): Dialogs {
  return {
    native: true,
    async chooseOpen() {
      const win = window();
      const options = { title: 'Open design', properties: ['openFile' as const], filters: DESIGN_FILTERS };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? undefined : r.filePaths[0];
    },
    async chooseSave(kind, suggestedName) {
      const win = window();
      const options = {
        title: kind === 'design' ? 'Save design' : 'Export',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: kind === 'design' ? DESIGN_FILTERS : exportFilters(suggestedName),
        properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? undefined : r.filePath;
    },
  };
}
