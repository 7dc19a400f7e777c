// Every validation result, live. Clicking one selects its element and zooms to it.
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { lookup } from '../model/lookup';
import { quickFix } from '../model/quickFix';
import { diagnosticsOf } from '../store/derived';
import { useEditor } from '../store/designStore';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function elementName(design: ReturnType<typeof useEditor.getState>['design'], d: Diagnostic): string {
  if (!d.elementId) return 'design';
  const e = lookup(design).byId.get(d.elementId);
  return e ? (e.element as { name: string }).name : d.elementId;
}

export function DiagnosticsPanel() {
  const design = useEditor((s) => s.design);
  const focusElement = useEditor((s) => s.focusElement);
  const list = [...diagnosticsOf(design)].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  return (
    <div className="diagnostics" data-testid="diagnostics">
      <h2>
        Problems <span className="count">{errors} errors · {warnings} warnings</span>
      </h2>
      {list.length === 0 && (
        <p className="ok" data-testid="diagnostics-clean">
          No problems: the design validates.
        </p>
      )}
      <ul>
        {list.map((d, i) => {
          const fix = quickFix(design, d);
          return (
          <li key={i} className={fix ? 'has-fix' : undefined}>
            <button
              type="button"
              className={`diag diag-${d.severity}`}
              data-testid="diagnostic"
              data-rule={d.rule}
              data-element={d.elementId ?? ''}
              disabled={!d.elementId || !lookup(design).byId.has(d.elementId)}
              onClick={() => d.elementId && focusElement(d.elementId)}
            >
              <span className="sev">{d.severity === 'error' ? '●' : d.severity === 'warning' ? '▲' : 'i'}</span>
              <span className="what">
                <strong>{elementName(design, d)}</strong>
                {d.field && <code>{d.field}</code>} {d.message}
                {d.fix && <em> {d.fix}</em>}
              </span>
            </button>
            {fix && (
              <button
                type="button"
                className="small fix-btn"
                data-testid="quick-fix"
                data-rule={d.rule}
                title="Applies the change as one step (Ctrl+Z undoes it)"
                onClick={() => useEditor.getState().applyFix(`Fix: ${fix.label}`, fix.apply(useEditor.getState().design))}
              >
                {fix.label}
              </button>
            )}
          </li>
          );
        })}
      </ul>
    </div>
  );
}
