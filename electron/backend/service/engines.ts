// The seam between the backend service and the engines that change and watch hosts
// (electron/backend/apply, electron/backend/live). The service does everything around a
// run that does not depend on how the engine works: validating the request, recompiling
// the design and refusing a stale plan, run ids, cancellation, time stamps, fanning
// progress out to every window or browser, and handing out host executors. An engine
// only runs the hosts it is given and reports progress in the contract's own terms.
//
// Without an engine the corresponding API methods answer with a clear "not available"
// error: never a pretended success. The app's engines are wired in defaultEngines.ts.
import type { HostStatus, LiveStatusUpdate, RunProgressEvent } from '../../../shared/api/contract';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import type { Design, Host } from '../../../shared/model/schema';
import type { CheckReport } from '../../../shared/reach/report';
import type { HostExecutor } from '../executor';

/** A progress event as an engine emits it; the service adds runId, kind and the time. */
export type RunProgressDraft = Omit<RunProgressEvent, 'runId' | 'kind' | 'at'>;

export interface RunJob {
  runId: string;
  kind: 'apply' | 'destroy';
  design: Design;
  /** The backend's own compilation of `design` (never a plan the renderer sent). */
  plan: Plan;
  /** The hosts to touch, in design order; for apply their hashes matched the preview. */
  hosts: HostPlan[];
  keepPartial: boolean;
  allowManagementChange: boolean;
  /** Install and enable each host's boot unit once every host converged (apply only). */
  persist?: boolean;
  /**
   * Commit-confirmed window (seconds): each host arms a timer, and the engine confirms over
   * a fresh connection after the run (else the host undoes the run by itself).
   */
  confirmWithinS?: number;
  /** Aborted by cancelRun or when the app shuts down. */
  signal: AbortSignal;
  /** The executor for a design host (SSH or the local sandbox), shared across runs. */
  executor(hostId: string): Promise<HostExecutor>;
  /**
   * A new, independent connection to an SSH host of the design (for a commit-confirmed
   * confirm); the caller closes it. Rejects for sandbox hosts.
   */
  freshExecutor?(hostId: string): Promise<HostExecutor>;
  progress(event: RunProgressDraft): void;
}

export interface RunEngine {
  /**
   * Runs the job to its end and resolves; emits one final event per host ('done', 'failed'
   * or 'canceled') carrying its typed `outcome`. A rejection (or a host left without a
   * final event) is reported as a failure (a cancel, if the run was canceled) of that host.
   */
  run(job: RunJob): Promise<void>;
}

export interface LiveSink {
  hostStatus(status: HostStatus): void;
  liveStatus(update: LiveStatusUpdate): void;
}

export interface LiveEngine {
  /** Watch this design's hosts (replacing the design watched before); throws when it cannot. */
  watch?(design: Design, hostIds?: string[]): Promise<void>;
  unwatch?(): Promise<void>;
  status(hostIds?: string[]): Promise<HostStatus[]>;
  /** Pushes host and element status as it is observed; returns the unsubscribe. */
  subscribe(sink: LiveSink): () => void;
  close?(): Promise<void>;
}

export interface CheckJob {
  design: Design;
  /** Hosts whose probes run (sources); every host of the design when omitted. */
  hostIds?: string[];
  maxProbes?: number;
  /** The shared executor of a design host (the sandbox a run configured is the one checked). */
  executor(hostId: string): Promise<HostExecutor>;
  signal: AbortSignal;
}

export interface CheckEngine {
  /** Resolves to the report, or to an error a user can read (a design the check cannot model). */
  run(job: CheckJob): Promise<{ ok: true; report: CheckReport } | { ok: false; error: string }>;
}

export interface Engines {
  apply?: RunEngine;
  destroy?: RunEngine;
  live?: LiveEngine;
  check?: CheckEngine;
}

export const NOT_AVAILABLE = {
  apply: 'Applying is not available in this build yet: the apply engine (electron/backend/apply) is not connected to the app.',
  destroy: 'Tearing down is not available in this build yet: the teardown engine (electron/backend/apply) is not connected to the app.',
  live: 'Live status is not available in this build yet: the live monitor (electron/backend/live) is not connected to the app.',
  check: 'The connectivity check is not available in this build yet: the check engine (electron/backend/check) is not connected to the app.',
} as const;

/** What the service gives engines: its host executors (shared across runs and live monitoring). */
export interface EngineContext {
  /** The shared executor for a design host (SSH connection or the local sandbox). */
  executor(design: Design, host: Host): Promise<HostExecutor>;
  /** A new, independent connection to an SSH host (commit-confirmed runs); the caller closes it. */
  freshExecutor(host: Host): Promise<HostExecutor>;
  log(line: string): void;
}

/** Builds the engines once the service exists (they need its executors). */
export type EngineFactory = (ctx: EngineContext) => Engines;
