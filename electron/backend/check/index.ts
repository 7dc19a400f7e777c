// The connectivity check against real hosts (see run-check.ts); the pure model and the
// report types live in shared/reach.
export { runCheck, type RunCheckOptions, type RunCheckResult } from './run-check';
export type { CheckReport, CheckRow, HostCheckInfo } from '../../../shared/reach/report';
