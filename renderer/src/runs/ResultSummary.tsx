// One host's result, said plainly: converged (how many steps ran, confirmed or not),
// removed, rolled back (at which step, with its output), partial, locked (by whom),
// refused (why), undone because another host failed, reverted by the host's own confirm
// timer, canceled (and whether the host goes on by itself), or what differs afterwards.
import type { ReactNode } from 'react';
import type { HostResult } from '../store/runStore';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function Output({ text }: { text: string | undefined }) {
  if (!text?.trim()) return null;
  return (
    <pre className="run-output" data-testid="result-output">
      {text.trim()}
    </pre>
  );
}

function Warnings({ list }: { list: string[] | undefined }) {
  if (!list?.length) return null;
  return (
    <ul className="run-warnings">
      {list.map((w, i) => (
        <li key={i}>▲ {w}</li>
      ))}
    </ul>
  );
}

/** A run the user canceled after it started on the host: the host finishes it (or rolls it back) by itself. */
export function followStopped(result: HostResult): boolean {
  if (result.outcome?.kind === 'canceled') return result.outcome.startedOnHost;
  // Backends whose final event has no typed canceled outcome say it in the message.
  return !result.ok && (!result.outcome || result.outcome.kind === 'failed') && /stopped following \(cancell?ed\)/.test(result.message);
}

/** A canceled run is its own result, not a failure. */
function canceled(result: HostResult): boolean {
  return result.phase === 'canceled' || result.outcome?.kind === 'canceled' || followStopped(result);
}

export function resultTitle(result: HostResult, kind: 'apply' | 'destroy'): { cls: string; title: string } {
  const o = result.outcome;
  if (followStopped(result)) return { cls: 'warn', title: 'Canceled: stopped following; the run goes on on the host' };
  if (canceled(result)) return { cls: 'warn', title: 'Canceled before anything changed' };
  if (!o) return { cls: result.ok ? 'ok' : 'bad', title: result.ok ? (kind === 'apply' ? 'Converged' : 'Removed') : 'Failed' };
  switch (o.kind) {
    case 'converged':
      return {
        cls: 'ok',
        title: o.nothingToDo ? 'Converged: already as designed, nothing ran' : `Converged: ${plural(o.changed, 'step')} ran${o.confirmed ? ', confirmed over a new connection' : ''}`,
      };
    case 'removed':
      return { cls: 'ok', title: o.nothingToDo ? 'Nothing of this design was on the host' : `Removed: ${plural(o.undone, 'step')} undone` };
    case 'rolled-back':
      return { cls: 'bad', title: `Rolled back${o.failedStep ? `: step ${o.failedStep.index} failed` : ''}` };
    case 'partial':
      return { cls: 'bad', title: `Partial${o.failedStep ? `: step ${o.failedStep.index} failed` : ''}, completed steps kept` };
    case 'locked':
      return { cls: 'warn', title: 'Locked by another run' };
    case 'refused':
      return { cls: 'bad', title: o.managementPath ? 'Refused: the plan touches the management path' : 'Refused before anything changed' };
    case 'reverted':
      return { cls: 'bad', title: 'Undone: another host of this run failed' };
    case 'reverted-by-timer':
      return { cls: 'warn', title: `Reverted by the host itself: not confirmed${o.confirmWithinS !== undefined ? ` within ${o.confirmWithinS} s` : ''}` };
    case 'canceled':
      return { cls: 'warn', title: 'Canceled' }; // handled above
    case 'drifted':
      return { cls: 'warn', title: `Applied (${plural(o.changed, 'step')}), but the host differs from the plan` };
    case 'failed':
      return { cls: 'bad', title: 'Failed' };
  }
}

export function ResultSummary({ result, kind }: { result: HostResult; kind: 'apply' | 'destroy' }) {
  const { cls, title } = resultTitle(result, kind);
  const o = result.outcome;
  let body: ReactNode = null;
  if (!o) {
    body = (
      <>
        <p className="run-message">{result.message}</p>
        <Output text={result.output} />
      </>
    );
  } else {
    switch (o.kind) {
      case 'converged':
        body = (
          <>
            {o.pruned.length > 0 && <p>Removed {plural(o.pruned.length, 'leftover object')} the design no longer has.</p>}
            {o.persist?.ok && (
              <p data-testid="result-persist">
                Survives a reboot: <code>{o.persist.unit}</code> is enabled and runs <code>{o.persist.script}</code> at boot.
              </p>
            )}
            {o.persist && !o.persist.ok && (
              <p className="msg-error" data-testid="result-persist">
                Not made persistent: {o.persist.error}
              </p>
            )}
            <Warnings list={o.warnings} />
          </>
        );
        break;
      case 'removed':
        body = <Warnings list={o.warnings} />;
        break;
      case 'rolled-back':
      case 'partial':
        body = (
          <>
            {o.failedStep && (
              <p>
                Failing step <b>{o.failedStep.index}</b>: {o.failedStep.description} <code>{o.failedStep.stepId}</code>
              </p>
            )}
            <p>{o.kind === 'rolled-back' ? 'Everything this run did was undone, in reverse order.' : 'The steps that completed were kept (keep partial).'}</p>
            <Output text={o.output} />
            <Warnings list={o.warnings} />
          </>
        );
        break;
      case 'locked':
        body = (
          <p>
            Holder: <code>{o.holder}</code>. Wait for that run to finish, or check the host.
          </p>
        );
        break;
      case 'refused':
        body = (
          <>
            <ul className="run-reasons">
              {o.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
            {o.managementPath && (
              <p data-testid="result-management-hint">
                Nothing changed. To apply it anyway, open <b>Apply</b> again and choose a confirm window: the host then undoes the change by itself unless Wireplan can still reach it over a new connection afterwards.
              </p>
            )}
            <Warnings list={o.warnings} />
          </>
        );
        break;
      case 'reverted':
        body = <p>{o.reason}</p>;
        break;
      case 'reverted-by-timer':
        body = (
          <>
            <p>{o.reason}</p>
            <p>The host is back to how it was before this run. If the change cut the host off, fix the plan (or the management path) and apply again.</p>
            <Warnings list={o.warnings} />
          </>
        );
        break;
      case 'canceled':
        body = <p>{o.detail}</p>;
        break;
      case 'drifted':
        body = (
          <>
            <ul className="run-reasons" data-testid="result-differences">
              {o.differences.map((d) => (
                <li key={d.stepId}>
                  step {d.index}: {d.description} — <b>{d.state}</b>
                </li>
              ))}
            </ul>
            <Warnings list={o.warnings} />
          </>
        );
        break;
      case 'failed':
        body = <pre className="run-output">{o.error}</pre>;
        break;
    }
  }
  if (followStopped(result)) {
    body = (
      <p>
        {o?.kind === 'failed' ? o.error : o?.kind === 'canceled' ? o.detail : result.message} The canvas shows what the host has as it happens; apply again to take over, or destroy.
      </p>
    );
  } else if (canceled(result) && o?.kind !== 'canceled') {
    body = <p className="run-message">{result.message}</p>;
  }
  return (
    <div className={`run-result result-${cls}`} data-testid="run-result" data-outcome={canceled(result) ? 'canceled' : (o?.kind ?? result.phase)}>
      <div className="run-result-title">{title}</div>
      {body}
    </div>
  );
}
