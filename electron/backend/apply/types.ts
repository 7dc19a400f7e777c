// What the apply engine reports: live events while a host run is under way, and one
// outcome per host at the end. Plain data only (it crosses the IPC boundary as is).

export type ApplyEventKind =
  /** The script started a step (it was missing). */
  | 'step-start'
  /** The script moved past a step it ran (ip commands are batched: a later step-failed may still name it). */
  | 'step-done'
  /** The step's effect was already on the host: nothing ran. */
  | 'step-present'
  | 'step-failed'
  /** Rollback, revert or destroy undid a step. */
  | 'undo'
  /** A line of command output (stdout or stderr of the on-host run). */
  | 'output'
  /** The run's final marker (converged, rolled-back, partial, locked, removed, failed). */
  | 'result'
  /** A phase change of the engine itself (preflight, upload, running, reconnecting ...). */
  | 'phase';

export interface ApplyEvent {
  /** Host id from the design. */
  host: string;
  kind: ApplyEventKind;
  /** 1-based step index, for step events. */
  index?: number;
  total?: number;
  stepId?: string;
  description?: string;
  /** Output line, result text, or phase detail. */
  text?: string;
  phase?: ApplyPhase;
}

export type ApplyPhase =
  | 'preflight'
  | 'inspect'
  | 'upload'
  | 'running'
  | 'reconnecting'
  | 'verifying'
  | 'confirming'
  | 'reverting'
  | 'done';

export type EventSink = (e: ApplyEvent) => void;

export interface FailedStep {
  index: number;
  id: string;
  description: string;
}

/** Per step, as the script's own probes see the live host. */
export type StepState = 'present' | 'missing' | 'drifted' | 'foreign';

export interface StepStatus {
  index: number;
  id: string;
  description: string;
  state: StepState;
  /** How a drifted step differs ("mtu 1500, designed 1400"; "replace: ..." when it is made again), or why it is foreign. */
  detail?: string;
}

export type HostOutcome =
  | {
      kind: 'converged';
      /** Steps this run executed (0: the host already matched). */
      changed: number;
      /** True when status showed everything present, so no run was started at all. */
      nothingToDo: boolean;
      /** Orphans (Wireplan-tagged objects the design no longer has) removed before the run. */
      pruned: string[];
      /** Set when a confirm window was used and the fresh connection confirmed it. */
      confirmed?: boolean;
      runId?: string;
    }
  | { kind: 'rolled-back'; failedStep?: FailedStep; stderr: string; runId: string }
  | { kind: 'partial'; failedStep?: FailedStep; stderr: string; runId: string }
  | { kind: 'locked'; holder: string }
  /** Preflight or status refused the plan before anything changed. */
  | { kind: 'refused'; reasons: string[] }
  /** The host undid this run by itself (confirm window expired) or because another host failed. */
  | { kind: 'reverted'; reason: string; runId: string }
  /** Applied, but observation afterwards differs from the plan (after bounded retries). */
  | { kind: 'drifted'; differences: StepStatus[]; changed: number; runId?: string }
  | { kind: 'failed'; error: string; runId?: string }
  /** --dry-run: what a run would do; nothing was changed. */
  | { kind: 'planned'; missing: StepStatus[]; orphans: string[] }
  /** Destroy finished: this design's objects are gone from the host (or were already). */
  | { kind: 'removed'; undone: number; pruned: string[]; nothingToDo: boolean; runId?: string };

export interface HostReport {
  host: { id: string; name: string };
  outcome: HostOutcome;
  /** Preflight warnings (e.g. a FORWARD policy of DROP), with the rule that fixes each. */
  warnings: string[];
  /** Wall time of the whole host operation. */
  ms: number;
}
