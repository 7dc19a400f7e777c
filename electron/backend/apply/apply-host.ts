// Applying one host's plan: preflight, upload + inspect (one round trip), refuse foreign
// objects, do nothing when everything is present, else one detached on-host run (prune
// orphans, then `up`), followed live and across drops; then commit-confirm if asked, and
// verify with the script's own probes.
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import type { HostExecutor } from '../executor';
import { inspectArgv, parseInspect, type Inspection } from './inspect';
import { describeOrphan, runInput, trulyForeign, type Orphan } from './leftovers';
import { newRunId, remotePaths, type RemotePaths } from './paths';
import type { PersistReport } from './persist';
import { preflight, type PreflightReport } from './preflight';
import { withReconnect } from './remote';
import { runOp } from './run-op';
import { settle } from './settle';
import type { EventSink, HostOutcome, HostReport } from './types';
import { scriptFor, uploadCommand } from './upload';

/** The same executor as a "fresh connection" that the engine may close without closing it (a local sandbox). */
export function sharedExecutor(ex: HostExecutor): HostExecutor {
  return { run: (c, o) => ex.run(c, o), close: async () => {}, describe: () => ex.describe() };
}

export interface HostTarget {
  /** Used for the whole operation; the engine does not close it. */
  executor: HostExecutor;
  /** Opens a new, independent connection (for the commit-confirmed confirm). */
  fresh?: () => Promise<HostExecutor>;
}

export interface ApplyHostOptions {
  keepPartial?: boolean;
  /** Commit-confirmed window: the host undoes this run unless confirmed over a fresh connection. */
  confirmWithinS?: number;
  /** Accept a plan that touches the management path (only together with confirmWithinS). */
  allowManagementChange?: boolean;
  /** Only preflight and inspect: report what a run would do. */
  dryRun?: boolean;
  /** Remove this design's tagged objects that the design no longer has (default true). */
  prune?: boolean;
  /** Observe again after the run (default true). */
  verify?: boolean;
  skipPreflight?: boolean;
  onEvent?: EventSink;
  signal?: AbortSignal;
  /** How long to keep reconnecting to follow a run after the connection dropped (default 10 min). */
  reconnectDeadlineMs?: number;
  /** After every host converged, install and enable the boot unit on each (see persist.ts). */
  persist?: boolean;
}

export interface HostApplyReport extends HostReport {
  preflight?: PreflightReport;
  inspection?: Inspection;
  orphans: Orphan[];
  /** The on-host run, when one was started (its log stays under /run/wireplan/<tag>/runs/). */
  runId?: string;
  /** Steps this run executed (what a multi-host rollback has to undo). */
  changed: number;
  /** With persist: the boot unit installed on the host, or why it could not be. */
  persist?: PersistReport;
}

export async function uploadAndInspect(exec: HostExecutor, plan: Plan, host: HostPlan, p: RemotePaths, mode: 'full' | 'quick', o: { signal?: AbortSignal; deadlineMs?: number } = {}): Promise<Inspection> {
  const script = scriptFor(plan, host);
  const r = await withReconnect(() => exec.run(uploadCommand(p, inspectArgv(p, plan.design.tag, mode)), { stdin: script, ...(o.signal ? { signal: o.signal } : {}) }), {
    deadlineMs: o.deadlineMs ?? 30_000,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (r.code !== 0) throw new Error(`upload/inspect failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return parseInspect(r.stdout, host);
}

/** Ships the plan (and ext.sh) without inspecting. */
export async function upload(exec: HostExecutor, plan: Plan, host: HostPlan, p: RemotePaths, o: { signal?: AbortSignal; deadlineMs?: number } = {}): Promise<void> {
  const r = await withReconnect(() => exec.run(uploadCommand(p), { stdin: scriptFor(plan, host), ...(o.signal ? { signal: o.signal } : {}) }), {
    deadlineMs: o.deadlineMs ?? 30_000,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (r.code !== 0) throw new Error(`upload failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
}

/** A host that passed preflight and inspection and has work to do. */
export interface PreparedHost {
  plan: Plan;
  host: HostPlan;
  target: HostTarget;
  paths: RemotePaths;
  inspection: Inspection;
  orphans: Orphan[];
  report: HostApplyReport;
  t0: number;
}

type Prepared = { ready: PreparedHost } | { report: HostApplyReport };

function finish(report: HostApplyReport, t0: number, outcome: HostOutcome, emit: EventSink): HostApplyReport {
  report.outcome = outcome;
  report.ms = performance.now() - t0;
  emit({ host: report.host.id, kind: 'phase', phase: 'done', text: outcome.kind });
  return report;
}

/** Preflight and inspect, without changing anything. A report means there is nothing to run. */
export async function prepareHost(plan: Plan, host: HostPlan, target: HostTarget, o: ApplyHostOptions = {}): Promise<Prepared> {
  const t0 = performance.now();
  const emit: EventSink = o.onEvent ?? (() => {});
  const exec = target.executor;
  const p = remotePaths(plan.design.tag, host.hash);
  const report: HostApplyReport = { host: host.host, outcome: { kind: 'failed', error: 'not started' }, warnings: [], ms: 0, orphans: [], changed: 0 };
  const done = (outcome: HostOutcome): Prepared => ({ report: finish(report, t0, outcome, emit) });
  const phase = (ph: 'preflight' | 'inspect', text: string) => emit({ host: host.host.id, kind: 'phase', phase: ph, text });
  try {
    if (o.confirmWithinS !== undefined && !target.fresh) return done({ kind: 'refused', reasons: ['a confirm window needs a way to open a fresh connection to the host'] });
    if (!o.skipPreflight) {
      phase('preflight', 'checking tools, kernel features, firewall and the management path');
      const pf = await withReconnect(() => preflight(exec, host, { ...o, ...(o.signal ? { signal: o.signal } : {}) }), { deadlineMs: 30_000, ...(o.signal ? { signal: o.signal } : {}) });
      report.preflight = pf;
      report.warnings.push(...pf.warnings);
      if (pf.refusals.length) return done({ kind: 'refused', reasons: pf.refusals });
    }
    phase('inspect', 'uploading the plan and reading the host state');
    const insp = await uploadAndInspect(exec, plan, host, p, 'quick', o);
    report.inspection = insp;
    if (insp.lockedBy !== undefined) return done({ kind: 'locked', holder: insp.lockedBy });
    if (insp.pendingConfirm.length) {
      return done({
        kind: 'refused',
        reasons: insp.pendingConfirm.map((r) => `run ${r.split(' ')[0]} still waits for its confirmation (timer ${r.split(' ')[1]}) and may revert itself; apply again once it is confirmed or reverted`),
      });
    }
    const orphans = o.prune === false ? [] : insp.orphans;
    report.orphans = orphans;
    const foreign = trulyForeign(host, insp, orphans);
    if (foreign.length) {
      return done({
        kind: 'refused',
        reasons: foreign.map((s) => `${s.description} (${s.id}): an object with this name exists but Wireplan did not create it (no ownership tag); it is left untouched`),
      });
    }
    const missing = insp.steps.filter((s) => s.state !== 'present');
    if (o.dryRun) return done({ kind: 'planned', missing, orphans: orphans.map(describeOrphan) });
    if (missing.length === 0 && orphans.length === 0) return done({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] });
    return { ready: { plan, host, target, paths: p, inspection: insp, orphans, report, t0 } };
  } catch (e) {
    return done({ kind: 'failed', error: (e as Error).message });
  }
}

/** Starts the on-host run for a prepared host and follows it to its verified end. */
export async function executePrepared(prep: PreparedHost, o: ApplyHostOptions = {}): Promise<HostApplyReport> {
  const { host, target, paths: p, orphans, report, t0 } = prep;
  const emit: EventSink = o.onEvent ?? (() => {});
  const phase = (ph: 'verifying' | 'confirming', text: string) => emit({ host: host.host.id, kind: 'phase', phase: ph, text });
  try {
    const runId = newRunId();
    report.runId = runId;
    const run = await runOp(
      target.executor,
      p,
      host,
      {
        runId,
        op: 'apply',
        args: o.keepPartial ? ['--keep-partial'] : [],
        input: runInput(host, orphans),
        ...(o.confirmWithinS !== undefined ? { confirmWithinS: o.confirmWithinS } : {}),
      },
      { hostId: host.host.id, ...(o.onEvent ? { onEvent: o.onEvent } : {}), ...(o.signal ? { signal: o.signal } : {}), reconnectDeadlineMs: o.reconnectDeadlineMs ?? 600_000 },
    );
    report.changed = run.fold.result?.changed ?? run.fold.ran.length;
    return finish(report, t0, await settle(run, runId, target, p, host, o, phase), emit);
  } catch (e) {
    const error =
      o.signal?.aborted && report.runId
        ? `stopped following (cancelled); run ${report.runId} goes on on the host and converges or rolls back by itself (see it with wireplan diff)`
        : (e as Error).message;
    return finish(report, t0, { kind: 'failed', error, ...(report.runId ? { runId: report.runId } : {}) }, emit);
  }
}

export async function applyHost(plan: Plan, host: HostPlan, target: HostTarget, o: ApplyHostOptions = {}): Promise<HostApplyReport> {
  const r = await prepareHost(plan, host, target, o);
  return 'report' in r ? r.report : executePrepared(r.ready, o);
}
