// The connectivity check's pure core: the expected reachability matrix of a design, and
// the comparison of live probe results with it.
export * from './types';
export { expectedMatrix, listenersFor, DEFAULT_MAX_PROBES, type MatrixOptions, type MatrixResult } from './matrix';
export { expectProbe } from './expect';
export { judge, pingOutcome, tcpOutcome, type Judgement, type ListenerState, type ProbeFailure, type ProbeOutcome } from './outcome';
export type { World, ScopeInfo } from './world';
