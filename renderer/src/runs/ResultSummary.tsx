// One host's result, said plainly: converged (how many steps ran), removed, rolled back
// (at which step, with its output), partial, locked (by whom), refused (why), or what
// differs from the plan afterwards.
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
  return !result.ok && /stopped following \(cancell?ed\)/.test(result.message);
}

export function resultTitle(result: HostResult, kind: 'apply' | 'destroy'): { cls: string; title: string } {
  const o = result.outcome;
  if (result.phase === 'canceled') return { cls: 'warn', title: 'Canceled' };
  if (followStopped(result)) return { cls: 'warn', title: 'Canceled: stopped following; the run goes on on the host' };
  if (!o) return { cls: result.ok ? 'ok' : 'bad', title: result.ok ? (kind === 'apply' ? 'Converged' : 'Removed') : 'Failed' };
  switch (o.kind) {
    case 'converged':
      return { cls: 'ok', title: o.nothingToDo ? 'Converged: already as designed, nothing ran' : `Converged: ${plural(o.changed, 'step')} ran` };
    case 'removed':
      return { cls: 'ok', title: o.nothingToDo ? 'Nothing of this design was on the host' : `Removed: ${plural(o.undone, 'step')} undone` };
    case 'rolled-back':
      return { cls: 'bad', title: `Rolled back${o.failedStep ? `: step ${o.failedStep.index} failed` : ''}` };
    case 'partial':
      return { cls: 'bad', title: `Partial${o.failedStep ? `: step ${o.failedStep.index} failed` : ''}, completed steps kept` };
    case 'locked':
      return { cls: 'warn', title: 'Locked by another run' };
    case 'refused':
      return { cls: 'bad', title: 'Refused before anything changed' };
    case 'reverted':
      return { cls: 'bad', title: 'Reverted' };
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
          <ul className="run-reasons">
            {o.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        );
        break;
      case 'reverted':
        body = <p>{o.reason}</p>;
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
        {o?.kind === 'failed' ? o.error : result.message} The canvas shows what the host has as it happens; apply again to take over, or destroy.
      </p>
    );
  }
  return (
    <div className={`run-result result-${cls}`} data-testid="run-result" data-outcome={followStopped(result) ? 'canceled' : (o?.kind ?? result.phase)}>
      <div className="run-result-title">{title}</div>
      {body}
    </div>
  );
}
