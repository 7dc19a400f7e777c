import { Inspector } from '../inspector/Inspector';
import { diagnosticsOf } from '../store/derived';
import { useEditor, type SidePanel as Panel } from '../store/designStore';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { PlanPreview } from './PlanPreview';
import { SideResizer, useSideWidth } from './SideResizer';

export function SidePanel() {
  const panel = useEditor((s) => s.panel);
  const setPanel = useEditor((s) => s.setPanel);
  const count = useEditor((s) => diagnosticsOf(s.design).length);
  const [width, setWidth] = useSideWidth();
  const tabs: [Panel, string][] = [
    ['inspector', 'Inspector'],
    ['diagnostics', `Problems${count ? ` (${count})` : ''}`],
    ['plan', 'Plan'],
  ];
  return (
    <aside className="side" style={{ width }} data-testid="side-panel">
      <SideResizer width={width} onWidth={setWidth} />
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={panel === id} className={panel === id ? 'active' : ''} onClick={() => setPanel(id)} data-testid={`tab-${id}`}>
            {label}
          </button>
        ))}
      </div>
      <div className="side-body">
        {panel === 'inspector' && <Inspector />}
        {panel === 'diagnostics' && <DiagnosticsPanel />}
        {panel === 'plan' && <PlanPreview />}
      </div>
    </aside>
  );
}
