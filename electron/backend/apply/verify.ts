// After a run: ask the host again (the script's `status`, i.e. its own probes) and
// compare with the plan, retrying a few times for state that settles (IPv6 DAD, carrier,
// a namespace the kernel is still tearing down).
import { shellCommand } from '../../../shared/export/quote';
import type { HostPlan } from '../../../shared/compile/plan';
import type { HostExecutor } from '../executor';
import { parseStatus } from './inspect';
import type { RemotePaths } from './paths';
import { sleep } from './remote';
import type { StepStatus } from './types';

export interface VerifyOptions {
  /** A status the host already printed (e.g. right after the run): used as the first attempt. */
  firstStatus?: StepStatus[];
  /** Attempts in all (default 5: after 0, 100, 200, 400, 800 ms). */
  attempts?: number;
  /** What each step should be: 'present' after apply, 'missing' after destroy. */
  want?: 'present' | 'missing';
  signal?: AbortSignal;
}

export async function statusOf(exec: HostExecutor, p: RemotePaths, host: HostPlan, signal?: AbortSignal): Promise<StepStatus[]> {
  // Exit 3 means "not all present": still a valid answer.
  const r = await exec.run(shellCommand(['bash', p.script, 'status']), signal ? { signal } : {});
  if (r.code !== 0 && r.code !== 3) throw new Error(`status failed (exit ${r.code ?? r.signal}): ${r.stderr.trim()}`);
  return parseStatus(r.stdout, host);
}

/** The steps that still differ after the bounded retries (empty: the host matches). */
export async function verify(exec: HostExecutor, p: RemotePaths, host: HostPlan, o: VerifyOptions = {}): Promise<StepStatus[]> {
  const attempts = o.attempts ?? 5;
  const want = o.want ?? 'present';
  let diff: StepStatus[] = [];
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(100 * 2 ** (i - 1), o.signal);
    const status = i === 0 && o.firstStatus ? o.firstStatus : await statusOf(exec, p, host, o.signal);
    // After destroy, steps that never create anything of ours (e.g. enslaving a host NIC
    // that is released again) read as missing too; a foreign object is never ours to judge.
    diff = status.filter((s) => (want === 'present' ? s.state !== 'present' : s.state === 'present' && createsObject(host, s.index)));
    if (diff.length === 0) return [];
  }
  return diff;
}

function createsObject(host: HostPlan, index: number): boolean {
  const k = host.steps[index - 1]?.kind;
  return k === 'netns' || k === 'link' || k === 'nft';
}
