// The designer window: toolbar, palette, canvas, side panel (inspector / problems / plan),
// status bar, and the dialogs.
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Canvas } from '../canvas/Canvas';
import { autoLayout as runElk } from '../layout/elk';
import { CheckView } from '../check/CheckView';
import { ExamplesGallery } from '../panels/ExamplesGallery';
import { ExportDialog } from '../panels/ExportDialog';
import { HelpOverlay } from '../panels/HelpOverlay';
import { HostsDialog } from '../panels/HostsDialog';
import { ImportDialog } from '../panels/ImportDialog';
import { LoadFailureDialog } from '../panels/LoadFailureDialog';
import { Palette } from '../panels/Palette';
import { RecentDialog } from '../panels/RecentDialog';
import { RecoveryBanner } from '../panels/RecoveryBanner';
import { SaveConflictDialog } from '../panels/SaveConflictDialog';
import { SaveLocationDialog } from '../panels/SaveLocationDialog';
import { SearchBox } from '../panels/SearchBox';
import { SidePanel } from '../panels/SidePanel';
import { StatusBar } from '../panels/StatusBar';
import { Toasts } from '../panels/Toasts';
import { Toolbar } from '../panels/Toolbar';
import { RunConsole } from '../runs/RunConsole';
import { ShellMenu } from '../terminal/ShellMenu';
import { TerminalPanel } from '../terminal/TerminalPanel';
import { CaptureMenu } from '../capture/CaptureMenu';
import { CapturePanel } from '../capture/CapturePanel';
import { useEditor } from '../store/designStore';
import { useLiveFeed } from './useLiveFeed';
import { useAutosave, usePendingRecovery } from './useAutosave';
import { useAppRequests } from './useAppRequests';
import { useShortcuts } from './useShortcuts';

function Designer() {
  const dialog = useEditor((s) => s.dialog);
  const searchOpen = useEditor((s) => s.searchOpen);
  const theme = useEditor((s) => s.theme);
  const [recovery, clearRecovery] = usePendingRecovery();
  const autosave = useAutosave(recovery === null);
  const [layingOut, setLayingOut] = useState(false);
  useLiveFeed();

  const autoLayout = useCallback(() => {
    const before = useEditor.getState().design;
    setLayingOut(true);
    runElk(before)
      .then((laidOut) => {
        // Apply only if nothing changed meanwhile; one undo step.
        if (useEditor.getState().design === before && laidOut !== before) useEditor.getState().applyLayout('Auto-layout', laidOut);
      })
      .catch((e: unknown) => useEditor.getState().toast('error', `Auto-layout failed: ${String(e)}`))
      .finally(() => setLayingOut(false));
  }, []);
  const actions = useMemo(() => ({ autoLayout }), [autoLayout]);
  useShortcuts(actions);
  useAppRequests(actions);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  // The window title says what is open and whether it has unsaved changes.
  const title = useEditor((s) => `${s.design !== s.file.savedDesign ? '• ' : ''}${s.design.name} — Wireplan`);
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div className="app" data-ready={recovery !== undefined ? 'true' : 'false'} data-testid="app">
      <Toolbar autoLayout={autoLayout} layingOut={layingOut} />
      {recovery && <RecoveryBanner entry={recovery} done={clearRecovery} />}
      <div className="main">
        <Palette />
        <div className="center">
          <div className="canvas-wrap">
            <Canvas />
            {searchOpen && <SearchBox />}
          </div>
          <RunConsole />
          <TerminalPanel />
          <CapturePanel />
        </div>
        <SidePanel />
      </div>
      <StatusBar autosave={autosave} />
      {dialog === 'help' && <HelpOverlay />}
      {dialog === 'export' && <ExportDialog />}
      {dialog === 'examples' && <ExamplesGallery />}
      {dialog === 'recent' && <RecentDialog />}
      {dialog === 'hosts' && <HostsDialog />}
      {dialog === 'check' && <CheckView />}
      <LoadFailureDialog />
      <SaveConflictDialog />
      <SaveLocationDialog />
      {dialog === 'import' && <ImportDialog />}
      <ShellMenu />
      <CaptureMenu />
      <Toasts />
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Designer />
    </ReactFlowProvider>
  );
}
