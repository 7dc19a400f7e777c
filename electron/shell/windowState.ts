// Remembers the main window's size, position, maximized and full-screen state in the
// config dir (atomic writes), and restores it on a screen that still exists.
import { screen, type BrowserWindow } from 'electron';
import { JsonFile } from '../backend/service';
import { restoreBounds, WindowStateSchema, type WindowState } from './windowBounds';

export class WindowStateKeeper {
  private readonly file: JsonFile<typeof WindowStateSchema>;
  private timer: NodeJS.Timeout | undefined;

  constructor(path: string) {
    this.file = new JsonFile(path, WindowStateSchema);
  }

  async initial(): Promise<ReturnType<typeof restoreBounds>> {
    const saved = await this.file.read().catch(() => undefined);
    return restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  }

  /** Saves after moves and resizes settle, and once more when the window closes. */
  track(win: BrowserWindow): void {
    const later = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.save(win), 500);
    };
    for (const e of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) win.on(e as 'resize', later);
    win.on('close', () => {
      clearTimeout(this.timer);
      void this.save(win);
    });
  }

  private async save(win: BrowserWindow): Promise<void> {
    if (win.isDestroyed() || win.isMinimized()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized(), fullScreen: win.isFullScreen() };
    await this.file.write(state).catch(() => undefined);
  }
}
