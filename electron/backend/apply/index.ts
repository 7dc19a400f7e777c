// The apply engine: apply, diff, destroy and commit-confirmed runs of compiled plans on
// hosts reached through a HostExecutor (SSH or the local sandbox). No Electron here: the
// CLI, the app and the tests use the same code.
export type { ApplyEvent, ApplyEventKind, ApplyPhase, EventSink, FailedStep, HostOutcome, HostReport, StepState, StepStatus } from './types';
export { applyHost, sharedExecutor, prepareHost, executePrepared, uploadAndInspect, type ApplyHostOptions, type HostApplyReport, type HostTarget, type PreparedHost } from './apply-host';
export { applyHosts, type HostJob, type MultiApplyResult } from './multi-host';
export { destroyHost, type DestroyHostOptions } from './destroy-host';
export { diffHost, type HostDiff } from './diff-host';
export { revertRun } from './revert-host';
export { installPersistence, removePersistence, persistState, isPersistent, type PersistReport, type PersistState } from './persist';
export { preflight, type PreflightReport } from './preflight';
export { managementConflicts, type ManagementConflict, type ManagementPath } from './mgmt-guard';
export { featuresOf, type Feature } from './features';
export { remotePaths, runDir } from './paths';
export { readRunFiles } from './detached';
export { timerState } from './confirm';
export { describeOrphan, type Orphan } from './leftovers';
export { verify, statusOf } from './verify';
export { describeOutcome, steps } from './summary';
export { applyEngine, destroyEngine } from './service-engine';
