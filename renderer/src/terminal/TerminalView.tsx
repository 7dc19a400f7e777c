// One terminal tab's screen: an xterm.js terminal wired to its shell. Keystrokes and pastes
// go to the shell (and nowhere else: nothing here logs them); the terminal fits its box and
// tells the shell its size; Ctrl+Shift+C / Ctrl+Shift+V copy and paste (plain Ctrl+C stays
// the shell's interrupt). When the shell ends, its end line is written on the screen, so the
// scrollback shows exactly where the session stopped.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { api } from '../api';
import { installAdoptedStyles } from './adoptedStyles';
import { claimShell } from './shellBus';
import { useTerminals, type TerminalTab } from './terminalStore';

installAdoptedStyles();

const SCROLLBACK = 10_000;

/** The end line in the scrollback: dim, between rules, so it reads as Wireplan's, not the host's. */
function endLine(message: string): string {
  return `\r\n\x1b[2m──── ${message} ────\x1b[0m\r\n`;
}

export function TerminalView({ tab, visible }: { tab: TerminalTab; visible: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<{ t: Terminal; fit: FitAddon } | undefined>(undefined);

  // The terminal lives as long as the tab (hidden tabs keep their scrollback).
  useEffect(() => {
    const t = new Terminal({ scrollback: SCROLLBACK, cursorBlink: true, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, allowProposedApi: false });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(box.current!);
    t.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      if (e.code === 'KeyC') {
        e.preventDefault();
        const sel = t.getSelection();
        if (sel) void navigator.clipboard.writeText(sel).catch(() => {});
        return false;
      }
      if (e.code === 'KeyV') {
        // Chromium's own Ctrl+Shift+V ("paste as plain text") would paste a second time.
        e.preventDefault();
        void navigator.clipboard
          .readText()
          .then((text) => t.paste(text))
          .catch(() => {});
        return false;
      }
      return true;
    });
    term.current = { t, fit };
    try {
      fit.fit();
    } catch {
      /* not laid out yet */
    }
    return () => {
      term.current = undefined;
      t.dispose();
    };
  }, []);

  // Fit to the box whenever it changes size (window, panel drag) while visible.
  useEffect(() => {
    const el = box.current;
    if (!el || !visible) return;
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) term.current?.fit.fit();
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    return () => ro.disconnect();
  }, [visible]);

  useEffect(() => {
    if (visible) term.current?.t.focus();
  }, [visible, tab.state]);

  // Failed to open: say why on the screen.
  useEffect(() => {
    if (tab.state === 'failed' && tab.message) term.current?.t.write(endLine(tab.message));
  }, [tab.state, tab.message]);

  // Wire the shell once its id is known.
  const { shellId, key } = tab;
  useEffect(() => {
    const x = term.current;
    if (!shellId || !x) return;
    const { t } = x;
    const update = useTerminals.getState().update;
    let ended = false;
    const release = claimShell(shellId, (e) => {
      if (ended) return;
      if (e.kind === 'data') t.write(e.data);
      else {
        ended = true;
        t.write(endLine(e.message));
        update(key, { state: 'ended', message: e.message, bad: e.reason === 'lost' || (e.reason === 'exit' && e.code !== 0) });
      }
    });
    const input = t.onData((data) => void api.shellInput?.(shellId, data).catch(() => {}));
    const resize = t.onResize(({ cols, rows }) => void api.resizeShell?.(shellId, cols, rows).catch(() => {}));
    // The shell opened at a default size; tell it the real one.
    void api.resizeShell?.(shellId, t.cols, t.rows).catch(() => {});
    return () => {
      release();
      input.dispose();
      resize.dispose();
    };
  }, [shellId, key]);

  return <div className="terminal-screen" ref={box} hidden={!visible} data-testid={`terminal-screen-${key}`} data-state={tab.state} />;
}
