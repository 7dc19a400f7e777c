// The apply engine behind the backend service's RunEngine seam (service/engines.ts): the
// service validates, recompiles and hands over the hosts; this runs them and reports in
// the contract's terms, ending every host with one final event that carries a typed
// outcome. Commit-confirmed: with job.confirmWithinS each host arms its revert timer and
// the confirm goes over a FRESH connection (job.freshExecutor), proving the host is still
// reachable after the change; a sandbox host is its own "fresh connection".
import type { RunOutcome, RunPersist } from '../../../shared/api/contract';
import type { RunEngine, RunJob, RunProgressDraft } from '../service/engines';
import { sharedExecutor, type HostApplyReport, type HostTarget } from './apply-host';
import { destroyHost } from './destroy-host';
import { applyHosts } from './multi-host';
import type { PersistReport } from './persist';
import { describeOutcome } from './summary';
import type { ApplyEvent, HostOutcome, HostReport } from './types';

export function toProgress(e: ApplyEvent): RunProgressDraft | undefined {
  const step = { ...(e.stepId ? { stepId: e.stepId } : {}), ...(e.index !== undefined ? { stepIndex: e.index } : {}), ...(e.total !== undefined ? { stepCount: e.total } : {}) };
  const msg = e.description || e.text;
  const base = { hostId: e.host, ...step, ...(msg ? { message: msg } : {}) };
  switch (e.kind) {
    case 'step-start':
      return { ...base, phase: 'running', status: 'started' };
    case 'step-done':
      return { ...base, phase: 'running', status: 'ok' };
    case 'step-present':
      return { ...base, phase: 'running', status: 'skipped' };
    case 'step-failed':
      return { ...base, phase: 'running', status: 'failed' };
    case 'undo':
      return { ...base, phase: 'rolling-back', status: 'rolled-back' };
    case 'output':
      return { ...base, phase: 'running', ...(e.text ? { output: e.text } : {}) };
    case 'result':
      return undefined; // the final done/failed event carries the outcome
    case 'phase':
      if (e.phase === 'done') return undefined;
      return { ...base, phase: e.phase === 'preflight' || e.phase === 'inspect' ? 'preflight' : e.phase === 'verifying' ? 'verifying' : e.phase === 'reverting' ? 'rolling-back' : 'running' };
  }
}

/** What the engine knows about a host beyond its outcome. */
export interface OutcomeContext {
  /** Preflight warnings. */
  warnings: readonly string[];
  /** The run was canceled by the user (or the app is shutting down). */
  canceled: boolean;
  /** The host's own apply ended 'reverted' (its confirm timer), not a later multi-host undo. */
  revertedByTimer: boolean;
  /** Preflight found steps touching the management path and no override was given. */
  managementPath: boolean;
  confirmWithinS?: number;
}

/** The engine's outcome in the contract's terms. */
export function toRunOutcome(o: HostOutcome, c: OutcomeContext): RunOutcome {
  const warnings = c.warnings.length ? { warnings: [...c.warnings] } : {};
  switch (o.kind) {
    case 'converged':
      return { kind: 'converged', changed: o.changed, nothingToDo: o.nothingToDo, pruned: o.pruned, ...warnings, ...(o.confirmed !== undefined ? { confirmed: o.confirmed } : {}) };
    case 'removed':
      return { kind: 'removed', undone: o.undone, nothingToDo: o.nothingToDo, pruned: o.pruned, ...warnings };
    case 'rolled-back':
    case 'partial':
      return { kind: o.kind, ...(o.failedStep ? { failedStep: { index: o.failedStep.index, stepId: o.failedStep.id, description: o.failedStep.description } } : {}), output: o.stderr, ...warnings };
    case 'locked':
      return { kind: 'locked', holder: o.holder };
    case 'refused':
      return { kind: 'refused', reasons: o.reasons, ...(c.managementPath ? { managementPath: true } : {}), ...warnings };
    case 'reverted':
      return c.revertedByTimer
        ? { kind: 'reverted-by-timer', reason: o.reason, ...(c.confirmWithinS !== undefined ? { confirmWithinS: c.confirmWithinS } : {}), ...warnings }
        : { kind: 'reverted', reason: o.reason };
    case 'drifted':
      return { kind: 'drifted', changed: o.changed, differences: o.differences.map((d) => ({ stepId: d.id, index: d.index, description: d.description, state: d.state, ...(d.detail ? { detail: d.detail } : {}) })), ...warnings };
    case 'failed':
      // A cancel shows up as a failure of whatever was awaited: say what it really was.
      return c.canceled ? { kind: 'canceled', startedOnHost: o.runId !== undefined, detail: o.error } : { kind: 'failed', error: o.error };
    case 'planned':
      return { kind: 'failed', error: 'internal: a dry run reached the app' };
  }
}

export function finalEvent(hostId: string, o: HostOutcome, c: OutcomeContext): RunProgressDraft {
  const outcome = toRunOutcome(o, c);
  const phase = outcome.kind === 'converged' || outcome.kind === 'removed' ? 'done' : outcome.kind === 'canceled' ? 'canceled' : 'failed';
  const message = outcome.kind === 'canceled' ? `canceled: ${outcome.detail}` : describeOutcome(o).text;
  return { hostId, phase, message, outcome };
}

async function targets(job: RunJob): Promise<Map<string, HostTarget>> {
  const out = new Map<string, HostTarget>();
  for (const h of job.hosts) {
    const id = h.host.id;
    const executor = await job.executor(id);
    const sandbox = job.design.hosts.find((x) => x.id === id)?.target.kind === 'sandbox';
    const fresh = sandbox ? async () => sharedExecutor(executor) : job.freshExecutor ? () => job.freshExecutor!(id) : undefined;
    out.set(id, { executor, ...(fresh ? { fresh } : {}) });
  }
  return out;
}

/** Forwards engine events as progress, remembering how each host's own apply ended. */
function forwarder(job: RunJob): { onEvent: (e: ApplyEvent) => void; ownEnd: Map<string, string> } {
  const ownEnd = new Map<string, string>();
  return {
    ownEnd,
    onEvent: (e) => {
      // apply-host's finish() says each host's own outcome kind before any multi-host undo.
      if (e.kind === 'phase' && e.phase === 'done' && e.text) ownEnd.set(e.host, e.text);
      const p = toProgress(e);
      if (p) job.progress(p);
    },
  };
}

function context(job: RunJob, rep: HostReport & { preflight?: HostApplyReport['preflight'] }, ownEnd: Map<string, string>): OutcomeContext {
  return {
    warnings: rep.warnings,
    canceled: job.signal.aborted,
    revertedByTimer: job.confirmWithinS !== undefined && ownEnd.get(rep.host.id) === 'reverted',
    managementPath: !job.allowManagementChange && (rep.preflight?.conflicts.length ?? 0) > 0,
    ...(job.confirmWithinS !== undefined ? { confirmWithinS: job.confirmWithinS } : {}),
  };
}

export const applyEngine: RunEngine = {
  async run(job) {
    const t = await targets(job);
    const { onEvent, ownEnd } = forwarder(job);
    const r = await applyHosts(
      job.plan,
      job.hosts.map((h) => ({ host: h, target: t.get(h.host.id)! })),
      {
        keepPartial: job.keepPartial,
        allowManagementChange: job.allowManagementChange,
        ...(job.persist ? { persist: true } : {}),
        ...(job.confirmWithinS !== undefined ? { confirmWithinS: job.confirmWithinS } : {}),
        signal: job.signal,
        onEvent,
      },
    );
    for (const rep of r.reports) job.progress(withPersist(finalEvent(rep.host.id, rep.outcome, context(job, rep, ownEnd)), rep.persist));
  },
};

/** The boot unit apply --persist installed (or why not), on the host's final event; a failure to persist fails the host. */
function withPersist(ev: RunProgressDraft, persist: PersistReport | undefined): RunProgressDraft {
  if (!persist || ev.outcome?.kind !== 'converged') return ev;
  const p: RunPersist = persist.ok ? { ok: true, unit: persist.unit, wants: persist.wants, script: persist.script } : { ok: false, error: persist.error };
  const message = persist.ok ? `${ev.message}; persistent: ${persist.unit} enabled` : `${ev.message}; NOT persistent: ${persist.error}`;
  return { ...ev, ...(persist.ok ? {} : { phase: 'failed' as const }), message, outcome: { ...ev.outcome, persist: p } };
}

export const destroyEngine: RunEngine = {
  async run(job) {
    const t = await targets(job);
    const { onEvent, ownEnd } = forwarder(job);
    await Promise.all(
      job.hosts.map(async (h) => {
        const rep = await destroyHost(job.plan, h, t.get(h.host.id)!, { signal: job.signal, onEvent });
        job.progress(finalEvent(h.host.id, rep.outcome, context(job, rep, ownEnd)));
      }),
    );
  },
};
