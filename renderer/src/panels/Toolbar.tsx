// File, edit, view and export commands, the design's title and its dirty indicator.
import { useReactFlow } from '@xyflow/react';
import { newDesign, openFile, save } from '../app/fileActions';
import { exportDiagram } from '../export/exportDiagram';
import { useEditor } from '../store/designStore';

export function Toolbar({ autoLayout, layingOut }: { autoLayout(): void; layingOut: boolean }) {
  const name = useEditor((s) => s.design.name);
  const dirty = useEditor((s) => s.design !== s.file.savedDesign);
  const path = useEditor((s) => s.file.path);
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
        <button type="button" onClick={() => void save()} title="Save (Ctrl+S)" data-testid="save">
          Save
        </button>
        <button type="button" onClick={() => void save(true)} title="Save as (Ctrl+Shift+S)">
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
