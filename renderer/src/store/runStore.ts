// Apply and destroy runs as the user watches them: per host the plan's steps with their
// states, the phase, the final result, and one streaming log. A store of its own: runs
// never touch the design or its undo history.
import { create } from 'zustand';
import type { RunOutcome, RunPhase, RunProgressEvent } from '../../../shared/api/contract';
import { outcomeFromMessage } from '../runs/outcome';

/**
 * 'running': the host announced the step (its commands may wait in a batch); only 'ok' means
 * the host reported it done. 'skipped': already on the host, nothing ran. 'not-run': the run
 * ended without the host reporting it done (it never ran, or the run stopped before it).
 * 'rolled-back': done, then undone by the rollback (or removed by destroy). 'covered': went
 * together with what contains it (an address with its interface, everything in a namespace).
 */
export type StepState = 'pending' | 'running' | 'ok' | 'skipped' | 'failed' | 'rolled-back' | 'covered' | 'not-run';

export interface RunStep {
  id: string;
  /** 1-based position in the host's plan. */
  index: number;
  description: string;
  /** Design element the step belongs to (for "show on canvas"). */
  element?: string;
  state: StepState;
}

export interface HostResult {
  ok: boolean;
  phase: 'done' | 'failed' | 'canceled';
  message: string;
  output?: string;
  outcome?: RunOutcome;
}

export interface HostRun {
  hostId: string;
  hostName: string;
  planHash?: string;
  phase: RunPhase | 'queued';
  /** Message of the last phase change ("uploading the plan and reading the host state"). */
  phaseText?: string;
  steps: RunStep[];
  /** Step currently running. */
  current?: string;
  result?: HostResult;
}

export type LogLevel = 'phase' | 'step' | 'output' | 'error' | 'result' | 'info';

export interface LogLine {
  seq: number;
  at: string;
  hostId: string;
  level: LogLevel;
  text: string;
}

export interface Run {
  runId: string;
  kind: 'apply' | 'destroy';
  startedAt: string;
  hostOrder: string[];
  hosts: Record<string, HostRun>;
  log: LogLine[];
  /** Lines dropped from the front of the log to bound memory. */
  dropped: number;
  cancelRequested: boolean;
}

export interface RunStartInfo {
  hostId: string;
  hostName: string;
  planHash?: string;
  steps: { id: string; description: string; element?: string }[];
}

export interface RunsState {
  runs: Run[];
  /** The run shown in the console. */
  shownId: string | undefined;
  consoleOpen: boolean;
  /** A run the backend refused before it began (stale plan, errors): shown in the console. */
  refusal: { kind: 'apply' | 'destroy'; hostIds: string[]; error: string } | undefined;
  /** Registers a run the backend accepted, with the steps each host's plan has. */
  started(runId: string, kind: 'apply' | 'destroy', hosts: RunStartInfo[]): void;
  refused(kind: 'apply' | 'destroy', hostIds: string[], error: string): void;
  /** Progress events (batched by the feed: one store update per animation frame). */
  events(list: readonly RunProgressEvent[]): void;
  markCancel(runId: string): void;
  show(runId: string | undefined): void;
  setConsoleOpen(open: boolean): void;
  clear(): void;
}

export const MAX_LOG_LINES = 5000;
const MAX_RUNS = 10;
/** Events for a run id the page has not registered yet (they may overtake the call's result). */
const early = new Map<string, RunProgressEvent[]>();
let seq = 0;

export function isFinal(phase: RunPhase | 'queued'): phase is 'done' | 'failed' | 'canceled' {
  return phase === 'done' || phase === 'failed' || phase === 'canceled';
}

export function runFinished(run: Run): boolean {
  return run.hostOrder.every((h) => run.hosts[h]?.result !== undefined);
}

function stepState(status: RunProgressEvent['status']): StepState | undefined {
  switch (status) {
    case 'started':
      return 'running';
    case 'ok':
      return 'ok';
    case 'skipped':
      return 'skipped';
    case 'failed':
      return 'failed';
    case 'rolled-back':
      return 'rolled-back';
    default:
      return undefined;
  }
}

function line(e: RunProgressEvent, level: LogLevel, text: string): LogLine {
  return { seq: ++seq, at: e.at, hostId: e.hostId, level, text };
}

/** Applies one event to a host run; returns the log lines it produced. */
function fold(host: HostRun, e: RunProgressEvent, kind: 'apply' | 'destroy'): { host: HostRun; lines: LogLine[] } {
  const lines: LogLine[] = [];
  let h = host;
  if (isFinal(e.phase)) {
    const message = e.message ?? e.phase;
    let outcome = e.outcome ?? (e.phase === 'canceled' ? undefined : outcomeFromMessage(message, e.phase === 'done'));
    if (outcome && (outcome.kind === 'rolled-back' || outcome.kind === 'partial') && outcome.failedStep && !outcome.failedStep.description) {
      const step = outcome.failedStep;
      const known = h.steps.find((s) => s.id === step.stepId);
      if (known) outcome = { ...outcome, failedStep: { ...step, description: known.description } };
    }
    const result: HostResult = { ok: e.phase === 'done', phase: e.phase, message, ...(e.output ? { output: e.output } : {}), ...(outcome ? { outcome } : {}) };
    // After a successful run, steps without an event were already there (apply) or went
    // with what contains them (destroy). After a failure, a step the host never reported
    // done did not run, whatever was announced. A canceled run the host goes on with by
    // itself is left as it stands (the canvas follows the host).
    const untouched: StepState = kind === 'apply' ? 'skipped' : 'covered';
    const goesOn = outcome?.kind === 'canceled' && outcome.startedOnHost;
    let steps = h.steps.map((s) =>
      e.phase === 'done'
        ? s.state === 'running'
          ? { ...s, state: 'ok' as const }
          : s.state === 'pending'
            ? { ...s, state: untouched }
            : s
        : !goesOn && (s.state === 'running' || s.state === 'pending')
          ? { ...s, state: 'not-run' as const }
          : s,
    );
    // A rollback undid everything this run did, also what went with its container (an
    // address with its interface, a veth with its namespace).
    if (outcome?.kind === 'rolled-back' || outcome?.kind === 'reverted') steps = steps.map((s) => (s.state === 'ok' ? { ...s, state: 'covered' as const } : s));
    h = { ...h, phase: e.phase, steps, result };
    delete h.current;
    lines.push(line(e, e.phase === 'done' ? 'result' : 'error', `${e.phase === 'done' ? '✔' : e.phase === 'canceled' ? '■' : '✘'} ${result.message}`));
    if (e.output) for (const l of e.output.split('\n')) if (l.trim()) lines.push(line(e, 'error', `  ${l}`));
    const notRun = steps.filter((s) => s.state === 'not-run').map((s) => s.index);
    if (notRun.length) lines.push(line(e, 'info', `– not run: ${notRun.length === 1 ? 'step' : `${notRun.length} steps`} ${ranges(notRun)}`));
    return { host: h, lines };
  }
  const state = stepState(e.status);
  if (e.stepId !== undefined && state) {
    let found = false;
    // ip commands run in batches: steps announced after the one that failed never ran.
    const failedAt = state === 'failed' ? e.stepIndex : undefined;
    const steps = h.steps.map((s) => {
      if (s.id !== e.stepId) return failedAt !== undefined && s.index > failedAt && (s.state === 'ok' || s.state === 'running') ? { ...s, state: 'not-run' as const } : s;
      found = true;
      return { ...s, state };
    });
    if (!found) steps.push({ id: e.stepId, index: e.stepIndex ?? steps.length + 1, description: e.message ?? e.stepId, state });
    h = { ...h, steps, phase: e.phase };
    if (state === 'running') h.current = e.stepId;
    else if (h.current === e.stepId) delete h.current;
    const n = e.stepIndex !== undefined ? `${e.stepIndex}${e.stepCount ? `/${e.stepCount}` : ''} ` : '';
    const what = e.message ?? e.stepId;
    const verb =
      state === 'running' ? '▶' : state === 'ok' ? '✓' : state === 'skipped' ? '=' : state === 'failed' ? '✘' : kind === 'destroy' ? '⟲ removed' : '⟲ rollback: undid';
    lines.push(line(e, state === 'failed' ? 'error' : 'step', `${verb} ${n}${what}${state === 'skipped' ? ' (already there)' : ''}`));
    if (e.output) for (const l of e.output.split('\n')) if (l.trim()) lines.push(line(e, 'error', `  ${l}`));
    return { host: h, lines };
  }
  if (e.output !== undefined) {
    for (const l of e.output.split('\n')) if (l.length) lines.push(line(e, 'output', l));
    return { host: h, lines };
  }
  if (e.phase !== h.phase || e.message) {
    h = { ...h, phase: e.phase, ...(e.message ? { phaseText: e.message } : {}) };
    lines.push(line(e, 'phase', `[${e.phase}]${e.message ? ` ${e.message}` : ''}`));
  }
  return { host: h, lines };
}

/** "1–3, 7, 9–12" for sorted step numbers. */
export function ranges(ns: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}–${ns[j]}` : `${ns[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

function trimLog(log: LogLine[], dropped: number): { log: LogLine[]; dropped: number } {
  if (log.length <= MAX_LOG_LINES) return { log, dropped };
  const cut = log.length - MAX_LOG_LINES;
  return { log: log.slice(cut), dropped: dropped + cut };
}

function applyEvents(run: Run, events: readonly RunProgressEvent[]): Run {
  let hosts = run.hosts;
  let hostOrder = run.hostOrder;
  const lines: LogLine[] = [];
  for (const e of events) {
    let h = hosts[e.hostId];
    if (!h) {
      h = { hostId: e.hostId, hostName: e.hostId, phase: 'queued', steps: [] };
      hostOrder = [...hostOrder, e.hostId];
    }
    const r = fold(h, e, run.kind);
    hosts = { ...hosts, [e.hostId]: r.host };
    lines.push(...r.lines);
  }
  const trimmed = trimLog(lines.length ? [...run.log, ...lines] : run.log, run.dropped);
  return { ...run, hosts, hostOrder, ...trimmed };
}

export const useRuns = create<RunsState>()((set, get) => ({
  runs: [],
  shownId: undefined,
  consoleOpen: false,
  refusal: undefined,
  started(runId, kind, hosts) {
    const now = new Date().toISOString();
    const run0: Run = {
      runId,
      kind,
      startedAt: now,
      hostOrder: hosts.map((h) => h.hostId),
      hosts: Object.fromEntries(
        hosts.map((h) => {
          const ordered = kind === 'destroy' ? [...h.steps].reverse() : h.steps;
          const steps: RunStep[] = ordered.map((s) => ({ id: s.id, index: h.steps.indexOf(s) + 1, description: s.description, ...(s.element ? { element: s.element } : {}), state: 'pending' }));
          return [h.hostId, { hostId: h.hostId, hostName: h.hostName, ...(h.planHash ? { planHash: h.planHash } : {}), phase: 'queued', steps } satisfies HostRun];
        }),
      ),
      log: [],
      dropped: 0,
      cancelRequested: false,
    };
    const run = applyEvents(run0, early.get(runId) ?? []);
    early.delete(runId);
    set((s) => ({ runs: [...s.runs.filter((r) => r.runId !== runId), run].slice(-MAX_RUNS), shownId: runId, consoleOpen: true, refusal: undefined }));
  },
  refused(kind, hostIds, error) {
    set({ refusal: { kind, hostIds, error }, consoleOpen: true, shownId: undefined });
  },
  events(list) {
    const runs = [...get().runs];
    let changed = false;
    const byRun = new Map<string, RunProgressEvent[]>();
    for (const e of list) {
      const l = byRun.get(e.runId) ?? [];
      l.push(e);
      byRun.set(e.runId, l);
    }
    for (const [runId, evs] of byRun) {
      const i = runs.findIndex((r) => r.runId === runId);
      if (i < 0) {
        const pending = early.get(runId) ?? [];
        if (pending.length < 10_000) pending.push(...evs);
        early.set(runId, pending);
        // Forget runs that never get registered (started by another window).
        if (early.size > 20) early.delete(early.keys().next().value!);
        continue;
      }
      runs[i] = applyEvents(runs[i]!, evs);
      changed = true;
    }
    if (changed) set({ runs });
  },
  markCancel(runId) {
    set((s) => ({ runs: s.runs.map((r) => (r.runId === runId ? { ...r, cancelRequested: true } : r)) }));
  },
  show(runId) {
    set({ shownId: runId, consoleOpen: true });
  },
  setConsoleOpen(open) {
    set({ consoleOpen: open });
  },
  clear() {
    early.clear();
    set({ runs: [], shownId: undefined, refusal: undefined });
  },
}));

/** The run the console shows. */
export function shownRun(s: RunsState): Run | undefined {
  return s.runs.find((r) => r.runId === s.shownId) ?? s.runs[s.runs.length - 1];
}

/** A host's run that is still going (apply/destroy buttons are disabled meanwhile). */
export function activeRunFor(s: RunsState, hostId: string): Run | undefined {
  return s.runs.find((r) => r.hosts[hostId] && !r.hosts[hostId]!.result);
}
