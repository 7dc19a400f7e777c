// File, edit, view and export commands, the design's title and its dirty indicator.
import { useReactFlow } from '@xyflow/react';
import { newDesign, openFile, save, useSaveState } from '../app/fileActions';
import { exportDiagram } from '../export/exportDiagram';
import { useEditor } from '../store/designStore';
import { startWatching, stopWatching } from '../live/watch';
import { useLive } from '../store/liveStore';
import { runFinished, useRuns } from '../store/runStore';

/** Watch the design's hosts live (status badges, link state, rates) or stop. */
function LiveToggle() {
  const watch = useLive((s) => s.watch);
  const on = watch.state === 'on' || watch.state === 'starting';
  const label = watch.state === 'on' ? 'Live ●' : watch.state === 'starting' ? 'Live …' : watch.state === 'error' ? 'Live ⚠' : 'Live';
  return (
    <button
      type="button"
      className={`live-toggle live-${watch.state}`}
      aria-pressed={on}
      title={watch.error ?? (on ? 'Watching the hosts: click to stop' : 'Watch the hosts: status, link state and traffic on the canvas')}
      onClick={() => void (on ? stopWatching() : startWatching())}
      data-testid="live-toggle"
      data-state={watch.state}
    >
      {label}
    </button>
  );
}

function ConsoleToggle() {
  const open = useRuns((s) => s.consoleOpen);
  const running = useRuns((s) => s.runs.some((r) => !runFinished(r)));
  const count = useRuns((s) => s.runs.length + (s.refusal ? 1 : 0));
  return (
    <button type="button" aria-pressed={open} disabled={count === 0} onClick={() => useRuns.getState().setConsoleOpen(!open)} title="Apply console" data-testid="console-toggle">
      Console{running ? ' ◐' : ''}
    </button>
  );
}

export function Toolbar({ autoLayout, layingOut }: { autoLayout(): void; layingOut: boolean }) {
  const name = useEditor((s) => s.design.name);
  const dirty = useEditor((s) => s.design !== s.file.savedDesign);
  const path = useEditor((s) => s.file.path);
  const saving = useSaveState((st) => st.saving);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const undoLabel = useEditor((s) => s.history.past[s.history.past.length - 1]?.label);
  const redoLabel = useEditor((s) => s.history.future[s.history.future.length - 1]?.label);
  const theme = useEditor((s) => s.theme);
  const setDialog = useEditor((s) => s.setDialog);
  const rf = useReactFlow();
  const s = useEditor.getState;
  return (
    <header className="toolbar">
      <span className="brand">Wireplan</span>
      <span className="title" data-testid="title" title={path ?? 'not saved yet'}>
        {name}
        {dirty && (
          <span className="dirty" data-testid="dirty" title="Unsaved changes">
            ●
          </span>
        )}
      </span>
      <div className="group">
        <button type="button" onClick={newDesign} title="New design (Ctrl+Alt+N)">
          New
        </button>
        <button type="button" onClick={() => void openFile()} title="Open (Ctrl+O)" data-testid="open">
          Open
        </button>
        <button type="button" onClick={() => void save()} disabled={saving} title={saving ? 'Saving…' : 'Save (Ctrl+S)'} data-testid="save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={() => void save(true)} disabled={saving} title="Save as (Ctrl+Shift+S)" data-testid="save-as">
          Save as
        </button>
        <button type="button" onClick={() => setDialog('recent')}>
          Recent
        </button>
        <button type="button" onClick={() => setDialog('examples')} data-testid="examples-button">
          Examples
        </button>
      </div>
      <div className="group">
        <button type="button" disabled={!canUndo} onClick={() => s().undo()} title={undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)'} data-testid="undo">
          Undo
        </button>
        <button type="button" disabled={!canRedo} onClick={() => s().redo()} title={redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)'} data-testid="redo">
          Redo
        </button>
      </div>
      <div className="group">
        <button type="button" onClick={autoLayout} disabled={layingOut} title="Auto-layout (Ctrl+Shift+L)" data-testid="auto-layout">
          {layingOut ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button type="button" onClick={() => void rf.fitView({ padding: 0.15, duration: 200 })} title="Zoom to fit">
          Fit
        </button>
        <button type="button" onClick={() => s().setSearchOpen(true)} title="Search (Ctrl+F)">
          Search
        </button>
      </div>
      <div className="group">
        <button type="button" onClick={() => void exportDiagram('svg')} data-testid="export-svg">
          SVG
        </button>
        <button type="button" onClick={() => void exportDiagram('png')} data-testid="export-png">
          PNG
        </button>
        <button type="button" onClick={() => setDialog('export')} data-testid="export-script">
          Script
        </button>
      </div>
      <div className="group">
        <button type="button" onClick={() => setDialog('hosts')} title="Hosts: sandbox and SSH profiles, connection tests" data-testid="hosts-button">
          Hosts
        </button>
        <LiveToggle />
        <button type="button" onClick={() => setDialog('check')} title="Connectivity matrix: expected vs actual reachability" data-testid="check-button">
          Check
        </button>
        <ConsoleToggle />
      </div>
      <span className="spacer" />
      <button type="button" onClick={() => s().setTheme(theme === 'dark' ? 'light' : 'dark')} title="Toggle dark/light theme" data-testid="theme">
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
      <button type="button" onClick={() => setDialog('help')} title="Keyboard shortcuts (?)">
        ?
      </button>
    </header>
  );
}
