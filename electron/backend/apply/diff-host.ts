// Diff: the plan against the live host. Each step is present, missing or foreign (as the
// script's own probes see it), plus this design's tagged objects that the design no
// longer has (orphans), which an apply would remove. Nothing on the host changes except
// the uploaded plan files under /run/wireplan/<tag>/.
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { uploadAndInspect, type HostTarget } from './apply-host';
import { describeOrphan, type Orphan } from './leftovers';
import { remotePaths } from './paths';
import type { StepStatus } from './types';

export interface HostDiff {
  host: { id: string; name: string };
  steps: StepStatus[];
  missing: StepStatus[];
  foreign: StepStatus[];
  orphans: Orphan[];
  /** Human-readable removals an apply would do first. */
  removals: string[];
  inSync: boolean;
  /** A run holds the lock: nothing was compared. */
  lockedBy?: string;
}

export async function diffHost(plan: Plan, host: HostPlan, target: HostTarget, o: { signal?: AbortSignal } = {}): Promise<HostDiff> {
  const insp = await uploadAndInspect(target.executor, plan, host, remotePaths(plan.design.tag, host.hash), 'full', o);
  if (insp.lockedBy !== undefined) return { host: host.host, steps: [], missing: [], foreign: [], orphans: [], removals: [], inSync: false, lockedBy: insp.lockedBy };
  const orphans = insp.orphans;
  // A drifted step is one apply would run too: set in place, or made again.
  const missing = insp.steps.filter((s) => s.state === 'missing' || s.state === 'drifted');
  const foreign = insp.steps.filter((s) => s.state === 'foreign');
  return {
    host: host.host,
    steps: insp.steps,
    missing,
    foreign,
    orphans,
    removals: orphans.map(describeOrphan),
    inSync: missing.length === 0 && foreign.length === 0 && orphans.length === 0,
  };
}
