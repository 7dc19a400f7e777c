// Where apply keeps its files on a host. Everything lives under the exported script's own
// state directory (/run/wireplan/<tag>, a tmpfs: gone after a reboot, like the network
// it describes). Tags and hashes are allowlisted identifiers; callers still quote.
import { randomBytes } from 'node:crypto';

export const STATE_ROOT = '/run/wireplan';

export interface RemotePaths {
  /** The script's WP_STATE_DIR: lock, holder, journal, sysctl records. */
  dir: string;
  /** The exported script for this plan, exactly as `wireplan export` writes it. */
  script: string;
  /** Backend-only subcommands (inspect, apply-with-prune, revert, confirm timer) on top of it. */
  ext: string;
  runs: string;
}

export function remotePaths(tag: string, planHash: string): RemotePaths {
  if (!/^[a-z][a-z0-9]{0,31}$/.test(tag)) throw new Error(`bad design tag ${JSON.stringify(tag)}`);
  if (!/^[0-9a-f]{16,128}$/.test(planHash)) throw new Error(`bad plan hash ${JSON.stringify(planHash)}`);
  const dir = `${STATE_ROOT}/${tag}`;
  return { dir, script: `${dir}/plan-${planHash.slice(0, 16)}.sh`, ext: `${dir}/wp-ext.sh`, runs: `${dir}/runs` };
}

/** A run's own directory: log, pid, rc, boot id, confirm-timer state. */
export function runDir(p: RemotePaths, runId: string): string {
  if (!/^[0-9a-z-]{8,64}$/.test(runId)) throw new Error(`bad run id ${runId}`);
  return `${p.runs}/${runId}`;
}

/** Sortable (time first) and unique: the newest runs are kept when old ones are pruned. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
