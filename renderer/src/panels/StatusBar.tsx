import type { AutosaveState } from '../app/useAutosave';
import { diagnosticsOf } from '../store/derived';
import { useEditor } from '../store/designStore';

function autosaveText(a: AutosaveState): string {
  switch (a.state) {
    case 'pending':
      return 'Autosave pending…';
    case 'saved':
      return `Autosaved ${new Date(a.at).toLocaleTimeString()}`;
    case 'error':
      return `Autosave failed: ${a.message}`;
    default:
      return '';
  }
}

export function StatusBar({ autosave }: { autosave: AutosaveState }) {
  const design = useEditor((s) => s.design);
  const selected = useEditor((s) => s.selection.length);
  const diags = diagnosticsOf(design);
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  return (
    <footer className="statusbar">
      <span>
        {design.hosts.length} hosts · {design.namespaces.length} namespaces · {design.bridges.length} bridges · {design.veths.length} veths
      </span>
      <span>{selected > 0 ? `${selected} selected` : ''}</span>
      <span className={errors ? 'msg-error' : warnings ? 'msg-warning' : 'ok'} data-testid="status-problems">
        {errors} errors · {warnings} warnings
      </span>
      <span className="spacer" />
      <span data-testid="autosave-status" data-state={autosave.state}>
        {autosaveText(autosave)}
      </span>
    </footer>
  );
}
