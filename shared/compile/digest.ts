// The plan hash: SHA-256 over what the host would run — the step table of its script
// (every step's commands, inverses, probes and cover) — plus the design tag, the host and
// the sysctls it restores. A plan whose hash differs from the previewed one is refused.
import { sha256Hex } from '../util/sha256';
import type { HostPlan } from './plan';

export function hostPlanDigest(tag: string, plan: Pick<HostPlan, 'host' | 'restoredSysctls'>, stepTable: string): string {
  return sha256Hex(`wireplan-plan\u001e${tag}\u001e${plan.host.id}\u001e${plan.restoredSysctls.join(',')}\u001e${stepTable}`);
}
