// The apply console, docked under the canvas: per host the plan's steps with their
// states and the result, and the run's streaming log (phases, steps, command output,
// errors). Cancel stops a run; the host rolls back what it did by itself.
import { useReactFlow } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useEditor } from '../store/designStore';
import { isFinal, runFinished, shownRun, useRuns, type HostRun, type LogLine, type Run, type RunStep } from '../store/runStore';
import { ResultSummary } from './ResultSummary';
import { cancelRun } from './runActions';

const STEP_ICON: Record<RunStep['state'], string> = {
  pending: '○',
  running: '◐',
  ok: '✓',
  skipped: '=',
  failed: '✘',
  'rolled-back': '⟲',
  covered: '⟲',
  'not-run': '–',
};

const STEP_TITLE: Record<RunStep['state'], string> = {
  pending: 'not run yet',
  running: 'sent to the host, not reported done yet',
  ok: 'done: the host reported it',
  skipped: 'already there: nothing ran',
  failed: 'failed',
  'rolled-back': 'done, then undone by the rollback',
  covered: 'done, then removed with what contains it',
  'not-run': 'not run: the host never reported it done',
};

/** A word beside the step where the icon alone would be ambiguous. */
function stepNote(state: RunStep['state'], kind: 'apply' | 'destroy'): string | undefined {
  switch (state) {
    case 'not-run':
      return 'not run';
    case 'failed':
      return 'failed';
    case 'rolled-back':
      return kind === 'apply' ? 'rolled back' : undefined;
    case 'covered':
      return kind === 'apply' ? 'rolled back with its container' : undefined;
    default:
      return undefined;
  }
}

const MAX_SHOWN_LINES = 2000;

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
}

function hostProgress(h: HostRun): string {
  if (h.result) return h.result.phase;
  const done = h.steps.filter((s) => s.state !== 'pending' && s.state !== 'running').length;
  return `${h.phase}${h.steps.length ? ` ${done}/${h.steps.length}` : ''}`;
}

function StepList({ host, kind }: { host: HostRun; kind: 'apply' | 'destroy' }) {
  const focusElement = useEditor((s) => s.focusElement);
  const ref = useRef<HTMLOListElement>(null);
  // Keep the running (or failed) step in view; at the end, the result above the list.
  useEffect(() => {
    const list = ref.current;
    if (!list) return;
    if (host.result && !host.steps.some((s) => s.state === 'failed')) {
      list.closest('.run-hosts')?.scrollTo({ top: 0 });
      return;
    }
    const el = list.querySelector('[data-state="running"], [data-state="failed"]');
    (el as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  }, [host.current, host.result, host.steps]);
  return (
    <ol className="run-steps" ref={ref} data-testid={`run-steps-${host.hostId}`}>
      {host.steps.map((s) => {
        const note = stepNote(s.state, kind);
        return (
          <li key={s.id} className={`run-step step-${s.state}`} data-state={s.state} data-step={s.id} data-index={s.index} title={STEP_TITLE[s.state]}>
            <span className="step-icon" aria-label={STEP_TITLE[s.state]}>
              {STEP_ICON[s.state]}
            </span>
            <span className="step-n">{s.index}</span>
            {s.element ? (
              <button type="button" className="link" onClick={() => focusElement(s.element!)}>
                {s.description}
              </button>
            ) : (
              <span>{s.description}</span>
            )}
            {note && <span className="step-note">{note}</span>}
          </li>
        );
      })}
      {host.steps.length === 0 && <li className="hint">{kind === 'apply' ? 'No steps' : 'Nothing to remove'}</li>}
    </ol>
  );
}

/** The host's own confirm timer undid the run after its steps had completed: show them undone. */
function shownSteps(host: HostRun): HostRun {
  if (host.result?.outcome?.kind !== 'reverted-by-timer') return host;
  return { ...host, steps: host.steps.map((s) => (s.state === 'ok' ? { ...s, state: 'rolled-back' as const } : s)) };
}

function HostColumn({ run, host: raw }: { run: Run; host: HostRun }) {
  const host = shownSteps(raw);
  const final = isFinal(host.phase);
  return (
    <section className="run-host" data-testid={`run-host-${host.hostId}`} data-phase={host.phase}>
      <header>
        <b>{host.hostName}</b>
        <span className={`run-phase phase-${host.phase}`} data-testid="run-phase">
          {hostProgress(host)}
        </span>
        {!final && host.phaseText && <span className="hint run-phase-text">{host.phaseText}</span>}
      </header>
      {host.result && <ResultSummary result={host.result} kind={run.kind} />}
      <StepList host={host} kind={run.kind} />
    </section>
  );
}

function LogView({ run, filter }: { run: Run; filter: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lines: LogLine[] = filter ? run.log.filter((l) => l.hostId === filter) : run.log;
  const shown = lines.length > MAX_SHOWN_LINES ? lines.slice(-MAX_SHOWN_LINES) : lines;
  const hidden = lines.length - shown.length + (filter ? 0 : run.dropped);
  // Follow the end of the log unless the user scrolled up to read.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [shown.length, run.runId]);
  const multi = run.hostOrder.length > 1;
  return (
    <div
      className="run-log"
      ref={ref}
      data-testid="run-log"
      role="log"
      aria-live="polite"
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {hidden > 0 && <div className="log-line hint">… {hidden} earlier lines not shown</div>}
      {shown.map((l) => (
        <div key={l.seq} className={`log-line log-${l.level}`}>
          <span className="log-time">{time(l.at)}</span>
          {multi && <span className="log-host">{run.hosts[l.hostId]?.hostName ?? l.hostId}</span>}
          <span className="log-text">{l.text}</span>
        </div>
      ))}
      {shown.length === 0 && <div className="log-line hint">Waiting for the host…</div>}
    </div>
  );
}

export function RunConsole() {
  const open = useRuns((s) => s.consoleOpen);
  const rf = useReactFlow();
  // The canvas just got shorter (or taller): keep a small design in view.
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current === open) return;
    wasOpen.current = open;
    const id = requestAnimationFrame(() => {
      if (rf.getNodes().length <= 300) void rf.fitView({ padding: 0.12, maxZoom: 1.2, duration: 150 });
    });
    return () => cancelAnimationFrame(id);
  }, [open, rf]);
  const run = useRuns(shownRun);
  const runs = useRuns((s) => s.runs);
  const refusal = useRuns((s) => s.refusal);
  const [filter, setFilter] = useState('');
  useEffect(() => setFilter(''), [run?.runId]);
  if (!open) return null;
  const close = () => useRuns.getState().setConsoleOpen(false);
  if (refusal) {
    return (
      <div className="run-console" data-testid="run-console">
        <div className="run-bar">
          <b>{refusal.kind === 'apply' ? 'Apply' : 'Destroy'} not started</b>
          <span className="spacer" />
          <button type="button" className="icon-btn" onClick={close} title="Close the console" aria-label="Close the console">
            ×
          </button>
        </div>
        <div className="run-result result-bad run-refusal" data-testid="run-refused">
          <div className="run-result-title">The backend refused the run; nothing changed on {refusal.hostIds.join(', ')}</div>
          <pre className="run-output">{refusal.error}</pre>
        </div>
      </div>
    );
  }
  if (!run) return null;
  const finished = runFinished(run);
  const started = time(run.startedAt);
  return (
    <div className="run-console" data-testid="run-console" data-run={run.runId} data-finished={finished ? 'true' : 'false'} data-kind={run.kind}>
      <div className="run-bar">
        <b>{run.kind === 'apply' ? 'Apply' : 'Destroy'}</b>
        <span className="hint">
          run <code>{run.runId}</code> · started {started}
        </span>
        {run.hostOrder.map((id) => {
          const h = run.hosts[id]!;
          const cls = h.result ? (h.result.ok ? 'ok' : h.result.phase === 'canceled' ? 'warn' : 'bad') : 'busy';
          return (
            <span key={id} className={`run-chip chip-${cls}`} data-testid={`run-chip-${id}`}>
              {h.hostName}: {hostProgress(h)}
            </span>
          );
        })}
        <span className="spacer" />
        {!finished && (
          <button type="button" className="small danger" disabled={run.cancelRequested} onClick={() => void cancelRun(run.runId)} data-testid="run-cancel">
            {run.cancelRequested ? 'Canceling…' : 'Cancel'}
          </button>
        )}
        {runs.length > 1 && (
          <select className="run-pick" value={run.runId} onChange={(e) => useRuns.getState().show(e.target.value)} aria-label="Earlier runs">
            {[...runs].reverse().map((r) => (
              <option key={r.runId} value={r.runId}>
                {r.kind} {time(r.startedAt)} {runFinished(r) ? '' : '(running)'}
              </option>
            ))}
          </select>
        )}
        {run.hostOrder.length > 1 && (
          <select className="run-pick" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Log of host">
            <option value="">all hosts</option>
            {run.hostOrder.map((id) => (
              <option key={id} value={id}>
                {run.hosts[id]!.hostName}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="icon-btn" onClick={close} title="Close the console (runs go on)" aria-label="Close the console">
          ×
        </button>
      </div>
      <div className="run-body">
        <div className="run-hosts">
          {run.hostOrder.map((id) => (
            <HostColumn key={id} run={run} host={run.hosts[id]!} />
          ))}
        </div>
        <LogView run={run} filter={filter} />
      </div>
    </div>
  );
}
