// File, edit, view, export and host commands, the design's title and its dirty indicator.
// Every command has an icon; its text shows while the window is wide enough. When even the
// icons do not fit, the least used commands move, in a fixed order, into the "More" menu:
// nothing is ever clipped (measured, not guessed: the toolbar's own scroll width).
import { useReactFlow } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { newDesign, openFile, save, useSaveState } from '../app/fileActions';
import { exportDiagram } from '../export/exportDiagram';
import { startWatching, stopWatching } from '../live/watch';
import { useEditor } from '../store/designStore';
import { useLive } from '../store/liveStore';
import { runFinished, useRuns } from '../store/runStore';
import { ToolbarIcon, type ToolbarIconName } from './toolbarIcons';

interface Command {
  id: string;
  icon: ToolbarIconName;
  label: string;
  /** Tooltip (defaults to the label). */
  title?: string;
  run(): void;
  disabled?: boolean;
  pressed?: boolean;
  testId?: string;
  className?: string;
  /** Extra attributes for tests (live state). */
  state?: string;
  /** A short mark after the icon that says a state even without the text ("●", "◐"). */
  mark?: string;
}

/** Commands that keep their text longest (after the others went icon-only). */
const KEY_COMMANDS = new Set(['save', 'examples', 'auto-layout', 'hosts', 'live', 'check', 'console']);

/** Commands that move into "More" when the toolbar is too narrow, first to go first. */
const OVERFLOW_ORDER = ['svg', 'png', 'pdf', 'script', 'recent', 'fit', 'search', 'save-as', 'examples', 'auto-layout', 'hosts', 'check'];

function useCommands(autoLayout: () => void, layingOut: boolean): Command[][] {
  const saving = useSaveState((st) => st.saving);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const undoLabel = useEditor((s) => s.history.past[s.history.past.length - 1]?.label);
  const redoLabel = useEditor((s) => s.history.future[s.history.future.length - 1]?.label);
  const setDialog = useEditor((s) => s.setDialog);
  const watch = useLive((s) => s.watch);
  const consoleOpen = useRuns((s) => s.consoleOpen);
  const running = useRuns((s) => s.runs.some((r) => !runFinished(r)));
  const runCount = useRuns((s) => s.runs.length + (s.refusal ? 1 : 0));
  const rf = useReactFlow();
  const s = useEditor.getState;
  const liveOn = watch.state === 'on' || watch.state === 'starting';
  return [
    [
      { id: 'new', icon: 'new', label: 'New', title: 'New design (Ctrl+Alt+N)', run: newDesign, testId: 'new' },
      { id: 'open', icon: 'open', label: 'Open', title: 'Open a design file (Ctrl+O)', run: () => void openFile(), testId: 'open' },
      { id: 'save', icon: 'save', label: saving ? 'Saving…' : 'Save', title: saving ? 'Saving…' : 'Save (Ctrl+S)', run: () => void save(), disabled: saving, testId: 'save' },
      { id: 'save-as', icon: 'saveAs', label: 'Save as', title: 'Save as (Ctrl+Shift+S)', run: () => void save(true), disabled: saving, testId: 'save-as' },
      { id: 'recent', icon: 'recent', label: 'Recent', title: 'Recent designs', run: () => setDialog('recent'), testId: 'recent-button' },
      { id: 'examples', icon: 'examples', label: 'Examples', title: 'Open an example design', run: () => setDialog('examples'), testId: 'examples-button' },
      { id: 'import', icon: 'import', label: 'Import', title: 'Import from host…: open what a host really has as a new design', run: () => setDialog('import'), testId: 'import-button' },
    ],
    [
      { id: 'undo', icon: 'undo', label: 'Undo', title: undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)', run: () => s().undo(), disabled: !canUndo, testId: 'undo' },
      { id: 'redo', icon: 'redo', label: 'Redo', title: redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)', run: () => s().redo(), disabled: !canRedo, testId: 'redo' },
    ],
    [
      { id: 'auto-layout', icon: 'layout', label: layingOut ? 'Laying out…' : 'Auto-layout', title: 'Auto-layout (Ctrl+Shift+L)', run: autoLayout, disabled: layingOut, testId: 'auto-layout' },
      { id: 'fit', icon: 'fit', label: 'Fit', title: 'Zoom to fit (Ctrl+0: 100%)', run: () => void rf.fitView({ padding: 0.15, duration: 200 }), testId: 'fit' },
      { id: 'search', icon: 'search', label: 'Search', title: 'Search elements (Ctrl+F)', run: () => s().setSearchOpen(true), testId: 'search-button' },
    ],
    [
      { id: 'svg', icon: 'svg', label: 'SVG', title: 'Export the diagram as SVG', run: () => void exportDiagram('svg'), testId: 'export-svg' },
      { id: 'png', icon: 'png', label: 'PNG', title: 'Export the diagram as PNG', run: () => void exportDiagram('png'), testId: 'export-png' },
      { id: 'pdf', icon: 'png', label: 'PDF', title: 'Export the diagram as PDF', run: () => void exportDiagram('pdf'), testId: 'export-pdf' },
      { id: 'script', icon: 'script', label: 'Script', title: 'Export the up/down/status shell script', run: () => setDialog('export'), testId: 'export-script' },
    ],
    [
      { id: 'hosts', icon: 'hosts', label: 'Hosts', title: 'Hosts: sandbox and SSH profiles, connection tests', run: () => setDialog('hosts'), testId: 'hosts-button' },
      {
        id: 'live',
        icon: 'live',
        label: 'Live',
        title: watch.error ?? (liveOn ? 'Watching the hosts: click to stop' : 'Watch the hosts: status, link state and traffic on the canvas'),
        run: () => void (liveOn ? stopWatching() : startWatching()),
        pressed: liveOn,
        testId: 'live-toggle',
        className: `live-toggle live-${watch.state}`,
        state: watch.state,
        mark: watch.state === 'on' ? '●' : watch.state === 'starting' ? '…' : watch.state === 'error' ? '⚠' : '',
      },
      { id: 'check', icon: 'check', label: 'Check', title: 'Connectivity matrix: expected vs actual reachability', run: () => setDialog('check'), testId: 'check-button' },
      {
        id: 'console',
        icon: 'console',
        label: 'Console',
        title: 'Apply console',
        run: () => useRuns.getState().setConsoleOpen(!consoleOpen),
        pressed: consoleOpen,
        disabled: runCount === 0,
        testId: 'console-toggle',
        mark: running ? '◐' : '',
      },
    ],
  ];
}

function CommandButton({ c, text }: { c: Command; text: boolean }) {
  return (
    <button
      type="button"
      className={`tb${c.className ? ` ${c.className}` : ''}`}
      onClick={c.run}
      disabled={c.disabled}
      aria-pressed={c.pressed}
      aria-label={c.label}
      title={c.title ?? c.label}
      data-testid={c.testId}
      data-state={c.state}
      data-command={c.id}
    >
      <ToolbarIcon name={c.icon} />
      {text && <span className="tb-label">{c.label}</span>}
      {c.mark && <span className="tb-mark">{c.mark}</span>}
    </button>
  );
}

function MoreMenu({ commands }: { commands: Command[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
      }
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  if (commands.length === 0) return null;
  return (
    <div className="tb-more" ref={ref}>
      <button type="button" className="tb" aria-haspopup="menu" aria-expanded={open} aria-label="More commands" title="More commands" onClick={() => setOpen(!open)} data-testid="toolbar-more">
        <ToolbarIcon name="more" />
      </button>
      {open && (
        <div className="tb-menu" role="menu" data-testid="toolbar-menu">
          {commands.map((c) => (
            <button
              key={c.id}
              type="button"
              role="menuitem"
              disabled={c.disabled}
              title={c.title ?? c.label}
              data-testid={c.testId}
              data-command={c.id}
              onClick={() => {
                setOpen(false);
                c.run();
              }}
            >
              <ToolbarIcon name={c.icon} />
              <span>{c.label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function Toolbar({ autoLayout, layingOut }: { autoLayout(): void; layingOut: boolean }) {
  const name = useEditor((s) => s.design.name);
  const dirty = useEditor((s) => s.design !== s.file.savedDesign);
  const path = useEditor((s) => s.file.path);
  const theme = useEditor((s) => s.theme);
  const setDialog = useEditor((s) => s.setDialog);
  const groups = useCommands(autoLayout, layingOut);
  // Fit: first with texts, then texts on the key commands only, then icons only, then
  // move commands into "More" one by one.
  const [fit, setFit] = useState({ level: 0, hidden: 0, width: 0 });
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const width = Math.round(el.clientWidth);
      setFit((f) => (f.width === width ? f : { level: 0, hidden: 0, width }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || el.scrollWidth <= el.clientWidth + 1) return;
    if (fit.level < 2) setFit({ ...fit, level: fit.level + 1 });
    else if (fit.hidden < OVERFLOW_ORDER.length) setFit({ ...fit, hidden: fit.hidden + 1 });
  });
  const hidden = new Set(OVERFLOW_ORDER.slice(0, fit.hidden));
  const text = (id: string) => fit.level === 0 || (fit.level === 1 && KEY_COMMANDS.has(id));
  const overflow = OVERFLOW_ORDER.flatMap((id) => (hidden.has(id) ? groups.flat().filter((c) => c.id === id) : []));
  return (
    <header className={`toolbar${fit.level < 2 ? ' with-text' : ' icons-only'}`} ref={ref} data-testid="toolbar" data-overflow={fit.hidden}>
      <span className="brand">Wireplan</span>
      <span className="title" data-testid="title" title={path ?? 'not saved yet'}>
        {name}
        {dirty && (
          <span className="dirty" data-testid="dirty" title="Unsaved changes">
            ●
          </span>
        )}
      </span>
      {groups.map((g, i) => {
        const shown = g.filter((c) => !hidden.has(c.id));
        if (shown.length === 0) return null;
        return (
          <div className="group" key={i}>
            {shown.map((c) => (
              <CommandButton key={c.id} c={c} text={text(c.id)} />
            ))}
          </div>
        );
      })}
      <span className="spacer" />
      <MoreMenu commands={overflow} />
      <button
        type="button"
        className="tb"
        onClick={() => useEditor.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
        title="Toggle dark/light theme"
        aria-label={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        data-testid="theme"
      >
        <ToolbarIcon name={theme === 'dark' ? 'sun' : 'moon'} />
        {fit.level === 0 && <span className="tb-label">{theme === 'dark' ? 'Light' : 'Dark'}</span>}
      </button>
      <button type="button" className="tb" onClick={() => setDialog('help')} title="Help: elements, connecting, apply, check, live (?)" aria-label="Help" data-testid="help-button">
        <ToolbarIcon name="help" />
        {fit.level === 0 && <span className="tb-label">Help</span>}
      </button>
    </header>
  );
}
