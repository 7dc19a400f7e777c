// The capture panel, docked under the canvas: one tab per capture (started from a link's,
// bridge's or interface's context menu). Each shows the live packet list (time since the
// first packet, source, destination, protocol, length, summary), a display filter over
// the list, the tcpdump filter the capture runs with (change it and Restart), Stop, the
// saved file, and "Open in Wireshark" where the backend found Wireshark.
import './capture.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { relativeTime, rowMatches } from '../../../shared/pcap/format';
import { api } from '../api';
import { useEditor } from '../store/designStore';
import { useCaptures, type CaptureTab } from './captureStore';

/** Rows in the DOM at once: the newest matching ones (the file holds them all). */
const SHOWN = 1000;

const STATE_LABEL = { starting: 'starting…', running: 'capturing', stopping: 'stopping…', ended: 'stopped', failed: 'failed' } as const;

function CaptureView({ tab }: { tab: CaptureTab }) {
  const restart = useCaptures((s) => s.restart);
  const stop = useCaptures((s) => s.stop);
  const [bpf, setBpf] = useState(tab.filter);
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => setBpf(tab.filter), [tab.key, tab.filter]);

  const first = tab.rows[0]?.time ?? 0;
  const matching = useMemo(() => (query.trim() ? tab.rows.filter((r) => rowMatches(r, query)) : tab.rows), [tab.rows, query]);
  const shown = matching.length > SHOWN ? matching.slice(matching.length - SHOWN) : matching;
  // Follow new packets unless the user scrolled up to read.
  useEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  const busy = tab.state === 'starting' || tab.state === 'stopping';
  const openWireshark = async () => {
    const r = await api.openInWireshark?.(tab.captureId!);
    if (r && !r.ok) useEditor.getState().toast('error', r.error);
  };
  return (
    <div className="capture-view" data-testid="capture-view" data-state={tab.state}>
      <form
        className="capture-bar"
        onSubmit={(e) => {
          e.preventDefault();
          void restart(tab.key, bpf);
        }}
      >
        <label>
          Capture filter
          <input data-testid="capture-bpf" value={bpf} placeholder="tcpdump filter, e.g. icmp or tcp port 80" spellCheck={false} onChange={(e) => setBpf(e.target.value)} />
        </label>
        <button type="submit" disabled={busy} title="Start this capture again with the filter (a new file)">
          {tab.state === 'running' ? 'Restart' : 'Start'}
        </button>
        <button type="button" data-testid="capture-stop" disabled={tab.state !== 'running'} onClick={() => void stop(tab.key)} title="Stop tcpdump on the host">
          Stop
        </button>
        {tab.wireshark && (
          <button type="button" data-testid="capture-wireshark" disabled={tab.state !== 'ended'} onClick={() => void openWireshark()} title="Open the saved .pcap in Wireshark">
            Open in Wireshark
          </button>
        )}
        <label className="capture-query">
          Show
          <input data-testid="capture-query" value={query} placeholder="only rows with these words" spellCheck={false} onChange={(e) => setQuery(e.target.value)} />
        </label>
      </form>
      <div
        className="capture-list"
        ref={listRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        <table data-testid="capture-table">
          <thead>
            <tr>
              <th>No.</th>
              <th>Time</th>
              <th>Source</th>
              <th>Destination</th>
              <th>Protocol</th>
              <th>Length</th>
              <th>Summary</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.no} data-testid="packet-row" data-protocol={r.protocol}>
                <td>{r.no}</td>
                <td>{relativeTime(r, first)}</td>
                <td>{r.src}</td>
                <td>{r.dst}</td>
                <td>{r.protocol}</td>
                <td>{r.length}</td>
                <td>{r.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="capture-status" role="status" data-testid="capture-status">
        {tab.state === 'failed'
          ? tab.message
          : [
              `${STATE_LABEL[tab.state]}${tab.filter ? ` with filter “${tab.filter}”` : ''}`,
              `${tab.rows.length + tab.dropped} packets${query.trim() ? `, ${matching.length} shown` : ''}${matching.length > SHOWN ? ` (newest ${SHOWN} listed)` : ''}`,
              tab.path ? `${tab.state === 'ended' ? 'saved to' : 'saving to'} ${tab.path}` : '',
              tab.state === 'ended' && tab.message ? tab.message : '',
              tab.droppedByKernel ? `the host dropped ${tab.droppedByKernel} packets tcpdump could not keep up with (a capture filter captures less)` : '',
            ]
              .filter(Boolean)
              .join(' · ')}
      </div>
    </div>
  );
}

export function CapturePanel() {
  const tabs = useCaptures((s) => s.tabs);
  const active = useCaptures((s) => s.active);
  const select = useCaptures((s) => s.select);
  const close = useCaptures((s) => s.close);
  if (tabs.length === 0) return null;
  const shown = tabs.find((t) => t.key === active) ?? tabs[0]!;
  return (
    <section className="captures" aria-label="Packet captures" data-testid="captures">
      <div className="capture-tabs" role="tablist">
        {tabs.map((t) => (
          <div key={t.key} className={`capture-tab ${t.key === shown.key ? 'active' : ''} ${t.state}`} data-testid="capture-tab" data-state={t.state}>
            <button type="button" role="tab" aria-selected={t.key === shown.key} onClick={() => select(t.key)} title={t.title}>
              {t.title} ({STATE_LABEL[t.state]})
            </button>
            <button type="button" className="capture-close" aria-label={`Close capture ${t.title}`} title="Close (stops the capture)" onClick={() => close(t.key)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <CaptureView key={shown.key} tab={shown} />
    </section>
  );
}
