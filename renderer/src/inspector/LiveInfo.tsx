// The selected element as the host has it: presence, link state, traffic, and every
// difference from the design as field / actual / expected. Host data is shown as text.
import type { ElementStatus, HostStatus } from '../../../shared/api/contract';
import { PRESENCE_HINT, parseDrift, rate } from '../live/format';
import { useLive } from '../store/liveStore';

function DriftTable({ drift }: { drift: string[] }) {
  const lines = drift.map(parseDrift);
  return (
    <table className="drift" data-testid="drift-details">
      <thead>
        <tr>
          <th>Field</th>
          <th>Actual</th>
          <th>Expected</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((d, i) =>
          d.field !== undefined ? (
            <tr key={i} title={d.text}>
              <td>{d.field}</td>
              <td className="actual">{d.actual}</td>
              <td className="expected">{d.expected}</td>
            </tr>
          ) : (
            <tr key={i}>
              <td colSpan={3}>{d.text}</td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

function StatusBlock({ label, s, details = true }: { label?: string; s: ElementStatus; details?: boolean }) {
  return (
    <div className="live-block" data-testid="live-status" data-element={s.elementId} data-presence={s.presence}>
      <div className="live-line">
        {label && <b>{label}</b>}
        <span className={`live-badge inline live-${s.presence}`}>{s.presence}</span>
        <span className="hint">{PRESENCE_HINT[s.presence]}</span>
      </div>
      {(s.operState !== undefined || s.rxRate !== undefined) && (
        <div className="live-line">
          {s.operState !== undefined && (
            <span className={`oper oper-${s.operState}`} data-testid="live-oper">
              link {s.operState}
            </span>
          )}
          {s.rxRate !== undefined && (
            <span>
              ▲ {rate(s.txRate)} ▼ {rate(s.rxRate)}
            </span>
          )}
        </div>
      )}
      {details && s.drift && s.drift.length > 0 && <DriftTable drift={s.drift} />}
      {s.rules && s.rules.length > 0 && (
        <table className="drift rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Packets</th>
              <th>Rate</th>
            </tr>
          </thead>
          <tbody>
            {s.rules.map((r, i) => (
              <tr key={i} title={r.chain}>
                <td>
                  <code>{r.rule}</code>
                </td>
                <td>{r.packets ?? '–'}</td>
                <td>{r.packetRate !== undefined ? `${r.packetRate.toFixed(1)}/s` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function HostBlock({ h }: { h: HostStatus }) {
  return (
    <div className="live-block" data-testid="live-host" data-connection={h.connection}>
      <div className="live-line">
        <span className={`conn-pill conn-${h.connection}`}>{h.connection}</span>
        {h.observedAt && <span className="hint">observed {new Date(h.observedAt).toLocaleTimeString()}</span>}
        {h.updates && <span className="hint">{h.updates === 'events' ? 'live events' : 'polling only'}</span>}
      </div>
      {h.error && <p className="msg-error">{h.error}</p>}
      {h.connection === 'rebooted' && (
        <p className="msg-warning">
          The host rebooted (boot id {h.previousBootId ?? '?'} → {h.bootId ?? '?'}): everything not made persistent is gone. Apply again to rebuild it.
        </p>
      )}
      {h.foreign && h.foreign.length > 0 && (
        <>
          <p className="hint">Objects that are not this design&apos;s but matter to it:</p>
          <ul className="foreign">
            {h.foreign.map((f, i) => (
              <li key={i}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {h.warnings?.map((w, i) => (
        <p key={i} className="msg-warning">
          {w}
        </p>
      ))}
    </div>
  );
}

/** Live state of element `id` (a veth shows both ends), or of host `id`. */
export function LiveInfo({ id, kind }: { id: string; kind: string }) {
  const own = useLive((s) => s.elements.get(id));
  const a = useLive((s) => (kind === 'veth' ? s.elements.get(`${id}.a`) : undefined));
  const b = useLive((s) => (kind === 'veth' ? s.elements.get(`${id}.b`) : undefined));
  const host = useLive((s) => (kind === 'host' ? s.hosts[id] : undefined));
  if (!own && !a && !b && !host) return null;
  return (
    <section className="live-info" data-testid="live-info">
      <h3>On the host</h3>
      {host && <HostBlock h={host} />}
      {/* A pair's differences are its ends' (listed there). */}
      {own && <StatusBlock s={own} label={kind === 'veth' ? 'pair' : undefined} details={kind !== 'veth' || (!a && !b)} />}
      {a && <StatusBlock s={a} label="end a" />}
      {b && <StatusBlock s={b} label="end b" />}
    </section>
  );
}
