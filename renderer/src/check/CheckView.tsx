// The connectivity matrix: sources down, destinations across; each cell is a probe the
// design implies (ping an address, connect to a published or policy-guarded port) with
// what the design expects and, after a check, what the hosts showed. Without a check the
// expectations alone are shown (computed here from the design); a mismatch lists the
// live evidence for why.
import { useMemo, useState } from 'react';
import { expectationWhy } from '../../../shared/reach/diagnose';
import { probeTarget, reasonLines } from '../../../shared/reach/format';
import { expectedMatrix } from '../../../shared/reach/matrix';
import type { CheckRow } from '../../../shared/reach/report';
import type { Expectation } from '../../../shared/reach/types';
import { Dialog } from '../panels/Dialog';
import { useEditor } from '../store/designStore';
import { checkAvailable, planKeyOf, useCheck } from './checkStore';

interface Row {
  id: string;
  e: Expectation;
  from: string;
  col: string;
  /** Undefined: not checked yet (expectation only). */
  check?: CheckRow;
}

const MAX_COLUMNS = 40;

function colKey(e: Expectation): string {
  const p = e.probe;
  return p.kind === 'tcp' ? `${p.to} tcp/${p.port}` : p.to;
}

function cellState(r: Row): { glyph: string; cls: string; text: string } {
  const want = r.e.expect;
  if (!r.check) return want === 'reach' ? { glyph: '✓', cls: 'exp-reach', text: 'should reach (not checked yet)' } : { glyph: '⊘', cls: 'exp-blocked', text: 'should be blocked (not checked yet)' };
  if (!r.check.outcome && !r.check.ok) return { glyph: '?', cls: 'not-run', text: r.check.problem ?? 'not run' };
  if (!r.check.ok) return { glyph: '✗', cls: 'mismatch', text: `expected ${want}; ${r.check.problem ?? r.check.outcome?.summary ?? ''}` };
  return want === 'reach' ? { glyph: '✓', cls: 'agree-reach', text: `reaches as designed (${r.check.outcome?.summary ?? ''})` } : { glyph: '⊘', cls: 'agree-blocked', text: `blocked as designed (${r.check.outcome?.summary ?? 'no answer'})` };
}

function Detail({ row }: { row: Row }) {
  const c = row.check;
  return (
    <div className="check-detail" data-testid="check-detail">
      <div>
        <b>{row.from}</b> → <code>{probeTarget(row.e.probe)}</code> <span className="hint">({row.e.probe.target})</span>
      </div>
      <div>
        Design: <b>{row.e.expect}</b> — {expectationWhy(row.e)}
      </div>
      {c && (
        <div>
          Host: <b>{c.outcome ? (c.outcome.reached ? 'reach' : 'blocked') : 'not run'}</b> — {c.outcome?.summary ?? c.problem}
          {c.problem && c.outcome && <div className="msg-error">{c.problem}</div>}
          {c.note && <div className="hint">{c.note}</div>}
        </div>
      )}
      {c?.explanation && c.explanation.length > 0 && (
        <>
          <div className="hint">Why, from the host&apos;s live state (most likely first):</div>
          <ul className="check-explain" data-testid="check-explanation">
            {c.explanation.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>Reason chain</summary>
        <ul className="check-reasons">
          {reasonLines(row.e).map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function CheckView() {
  const design = useEditor((s) => s.design);
  const { running, report, error, at, planKey } = useCheck();
  const [picked, setPicked] = useState<string | undefined>();
  const close = () => useEditor.getState().setDialog('none');
  const stale = report !== undefined && planKey !== planKeyOf(design);

  const expected = useMemo(() => expectedMatrix(design), [design]);
  const rows: Row[] = useMemo(() => {
    const src = report && !stale ? report.rows.map((check) => ({ e: check.expectation, check })) : expected.ok ? expected.matrix.expectations.map((e) => ({ e, check: undefined })) : [];
    return src.map(({ e, check }) => ({ id: e.probe.id, e, from: e.probe.from.name, col: colKey(e), ...(check ? { check } : {}) }));
  }, [report, stale, expected]);

  const sources = [...new Set(rows.map((r) => r.from))];
  const cols = [...new Set(rows.map((r) => r.col))].sort((a, b) => Number(a.includes(' tcp/')) - Number(b.includes(' tcp/')) || a.localeCompare(b, undefined, { numeric: true }));
  const byCell = new Map(rows.map((r) => [`${r.from}|${r.col}`, r]));
  const colTitle = new Map(rows.map((r) => [r.col, r.e.probe.target]));
  const mismatches = rows.filter((r) => r.check && !r.check.ok);
  const current = rows.find((r) => r.id === picked) ?? mismatches[0];
  const summary = report && !stale ? report.summary : undefined;

  return (
    <Dialog title="Connectivity check" onClose={close} wide testId="check-dialog">
      <div className="check-bar">
        <button type="button" className="primary" disabled={running || !checkAvailable() || !expected.ok} onClick={() => void useCheck.getState().run()} data-testid="run-check">
          {running ? 'Checking…' : report ? 'Check again' : 'Run check'}
        </button>
        {summary ? (
          <span className={summary.disagree ? 'msg-error' : 'ok'} data-testid="check-summary" data-disagree={summary.disagree} data-probes={summary.probes}>
            {summary.probes} probes: {summary.agree} as designed{summary.disagree ? `, ${summary.disagree} not` : ''}
          </span>
        ) : (
          <span className="hint">
            {expected.ok ? `${rows.length} probes the design implies (${rows.filter((r) => r.e.expect === 'reach').length} should reach, ${rows.filter((r) => r.e.expect === 'blocked').length} should be blocked)` : 'The design has errors: no matrix until they are fixed.'}
          </span>
        )}
        {stale && <span className="msg-warning">The design changed since the last check: showing expectations; check again.</span>}
        {at && !stale && <span className="hint" data-testid="check-time">checked {new Date(at).toLocaleTimeString()}</span>}
        {!checkAvailable() && <span className="hint">Running probes needs the desktop app or wireplan serve; these are the design&apos;s expectations.</span>}
      </div>
      {error && (
        <pre className="run-output msg-error" data-testid="check-error">
          {error}
        </pre>
      )}
      {report && !stale && report.hosts.some((h) => h.error) && (
        <ul className="check-notes msg-error">
          {report.hosts
            .filter((h) => h.error)
            .map((h) => (
              <li key={h.hostId}>
                {h.hostName}: not checked ({h.error})
              </li>
            ))}
        </ul>
      )}
      {cols.length > 0 && cols.length <= MAX_COLUMNS && (
        <div className="matrix-wrap">
          <table className="matrix" data-testid="check-matrix">
            <thead>
              <tr>
                <th className="corner">from \ to</th>
                {cols.map((c) => (
                  <th key={c} title={colTitle.get(c)}>
                    <span>{c}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s}>
                  <th>{s}</th>
                  {cols.map((c) => {
                    const r = byCell.get(`${s}|${c}`);
                    if (!r) return <td key={c} className="cell none" />;
                    const st = cellState(r);
                    return (
                      <td key={c} className={`cell ${st.cls}${current?.id === r.id ? ' picked' : ''}`} title={`${s} → ${c}: ${st.text}`} data-testid={`cell-${r.id}`} data-state={st.cls}>
                        <button type="button" onClick={() => setPicked(r.id)}>
                          {st.glyph}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="matrix-legend hint">✓ reaches · ⊘ blocked · ✗ not as designed · ? not run — faint: expected only, not checked yet</div>
        </div>
      )}
      {cols.length > MAX_COLUMNS && <p className="hint">{cols.length} destinations: too many for a grid; the probes are listed below.</p>}
      {current && <Detail row={current} />}
      {rows.length > 0 && (
        <details open={mismatches.length > 0 || cols.length > MAX_COLUMNS || rows.length <= 12}>
          <summary>
            All probes ({rows.length}){mismatches.length ? `, ${mismatches.length} not as designed` : ''}
          </summary>
          <table className="check-rows" data-testid="check-rows">
            <thead>
              <tr>
                <th />
                <th>From</th>
                <th>To</th>
                <th>Expected</th>
                <th>Actual</th>
                <th>Why (design)</th>
              </tr>
            </thead>
            <tbody>
              {[...mismatches, ...rows.filter((r) => !mismatches.includes(r))].map((r) => {
                const st = cellState(r);
                return (
                  <tr key={r.id} className={`${st.cls}${current?.id === r.id ? ' picked' : ''}`} onClick={() => setPicked(r.id)}>
                    <td className="cell-glyph">{st.glyph}</td>
                    <td>{r.from}</td>
                    <td title={r.e.probe.target}>{probeTarget(r.e.probe)}</td>
                    <td>{r.e.expect}</td>
                    <td>{r.check ? (r.check.outcome ? (r.check.outcome.reached ? 'reach' : 'blocked') : 'not run') : '–'}</td>
                    <td className="why">{expectationWhy(r.e)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      )}
      {report && !stale && report.notes.length > 0 && (
        <ul className="check-notes hint">
          {report.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
