// The terminal tabs, docked under the canvas: one tab per shell opened from a namespace or
// host (context menu, or double-click on a namespace). Tabs keep their scrollback after the
// shell ends, with the end line on screen and in the tab's status, until closed.
import './terminal.css';
import { useTerminals } from './terminalStore';
import { TerminalView } from './TerminalView';

const STATE_LABEL = { opening: 'connecting…', open: '', ended: 'ended', failed: 'failed' } as const;

export function TerminalPanel() {
  const tabs = useTerminals((s) => s.tabs);
  const active = useTerminals((s) => s.active);
  const select = useTerminals((s) => s.select);
  const close = useTerminals((s) => s.close);
  if (tabs.length === 0) return null;
  const shown = tabs.find((t) => t.key === active) ?? tabs[0]!;
  return (
    <section className="terminals" aria-label="Terminals" data-testid="terminals">
      <div className="terminal-tabs" role="tablist">
        {tabs.map((t) => (
          <div key={t.key} className={`terminal-tab ${t.key === shown.key ? 'active' : ''} ${t.state}`} data-testid="terminal-tab" data-state={t.state}>
            <button type="button" role="tab" aria-selected={t.key === shown.key} onClick={() => select(t.key)} title={t.message ?? t.title}>
              {t.title}
              {STATE_LABEL[t.state] ? ` (${STATE_LABEL[t.state]})` : ''}
            </button>
            <button type="button" className="terminal-close" aria-label={`Close terminal ${t.title}`} title="Close (hangs the shell up)" onClick={() => close(t.key)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <div className="terminal-body">
        {tabs.map((t) => (
          <TerminalView key={t.key} tab={t} visible={t.key === shown.key} />
        ))}
      </div>
      {shown.message && (shown.state === 'ended' || shown.state === 'failed') && (
        <div className="terminal-status" role="status" data-testid="terminal-status" data-bad={shown.bad ? 'true' : 'false'}>
          {shown.message}
        </div>
      )}
    </section>
  );
}
