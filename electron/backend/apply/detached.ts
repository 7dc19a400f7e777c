// A run that belongs to the host, not to the connection: started with setsid under the
// host's init, output to a log under /run, so a dropped SSH connection changes nothing
// about how it ends. The app follows the log (`tail --pid`) and, after a drop, reconnects
// and resumes from the byte it had reached.
import { shellCommand } from '../../../shared/export/quote';
import { DETACHED_SH } from './detached.generated';
import type { HostExecutor } from '../executor';
import type { RemotePaths } from './paths';
import { runDir } from './paths';
import { RemoteCommandError, isTransient, backoffMs, sleep } from './remote';

export type RunOp = 'apply' | 'destroy' | 'revert';

export interface RunHandle {
  runId: string;
  dir: string;
  pid: number;
  bootId: string;
}

export interface StartOptions {
  runId: string;
  op: RunOp;
  /** Extra arguments for the op (e.g. --keep-partial; the log path to revert). */
  args?: string[];
  /** The run's INPUT file (orphans to prune ...), sent on stdin. */
  input: string;
  /** Arms the commit-confirmed timer in the same command, before the run starts. */
  confirmWithinS?: number;
  /** Old finished runs kept for inspection. */
  keepRuns?: number;
}

/** Shell text that starts the run (idempotent per run id: a repeated start reports the first). */
export function startCommand(p: RemotePaths, o: StartOptions): string {
  const secs = o.confirmWithinS !== undefined ? String(Math.max(1, Math.round(o.confirmWithinS))) : '';
  return shellCommand(['bash', '-c', DETACHED_SH, 'wp-run', 'start', p.runs, runDir(p, o.runId), p.ext, p.script, o.op, String(o.keepRuns ?? 10), secs, ...(o.args ?? [])]);
}

export async function startRun(exec: HostExecutor, p: RemotePaths, o: StartOptions, signal?: AbortSignal): Promise<RunHandle> {
  const r = await exec.run(startCommand(p, o), { stdin: o.input, ...(signal ? { signal } : {}) });
  const m = /@wpx started (\d+) (\S+)/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new RemoteCommandError('starting the run', r);
  return { runId: o.runId, dir: runDir(p, o.runId), pid: Number(m[1]), bootId: m[2]! };
}

export function followCommand(dir: string, offset: number): string {
  return shellCommand(['bash', '-c', DETACHED_SH, 'wp-run', 'follow', dir, String(offset)]);
}

export type FollowEnd =
  /** The runner ended; rc is the op's exit status, null if the runner died without one. */
  | { kind: 'ended'; rc: number | null }
  /** The result marker arrived but the follow did not end (e.g. a reused pid): stopped waiting. */
  | { kind: 'result-seen' }
  | { kind: 'no-run' }
  | { kind: 'rebooted'; bootId: string };

export interface FollowOptions {
  /** Each complete chunk of log text, in order, exactly once across reconnects. */
  onText: (text: string) => void;
  /** True once the caller has seen the run's result line. */
  resultSeen: () => boolean;
  signal?: AbortSignal;
  /** How long to keep trying to reach the host again after a drop (default 10 min). */
  reconnectDeadlineMs?: number;
  onReconnect?: (attempt: number, error: unknown, delayMs: number) => void;
  /** Called when a follow attempt (re)starts streaming. */
  onAttached?: (attempt: number) => void;
}

/** Streams the run's log until it ends, reconnecting (with backoff) when the path to the host breaks. */
export async function followRun(exec: HostExecutor, handle: RunHandle, o: FollowOptions): Promise<FollowEnd> {
  let offset = 0;
  let firstFailure: number | undefined;
  const deadline = o.reconnectDeadlineMs ?? 600_000;
  for (let attempt = 0; ; attempt++) {
    if (o.signal?.aborted) throw o.signal.reason;
    const ctl = new AbortController();
    const onOuter = () => ctl.abort(o.signal!.reason);
    o.signal?.addEventListener('abort', onOuter, { once: true });
    let stderr = '';
    let lingering: NodeJS.Timeout | undefined;
    let stoppedAfterResult = false;
    try {
      o.onAttached?.(attempt);
      const r = await exec.run(followCommand(handle.dir, offset), {
        signal: ctl.signal,
        onStdout: (chunk) => {
          offset += Buffer.byteLength(chunk, 'utf8');
          o.onText(chunk);
          // The result is the script's last line; the follow normally ends within ~50 ms.
          if (!lingering && o.resultSeen()) {
            lingering = setTimeout(() => {
              stoppedAfterResult = true;
              ctl.abort(new Error('follow stopped after the result'));
            }, 3000);
          }
        },
        onStderr: (chunk) => (stderr += chunk),
      });
      if (/@wpx no-run/.test(stderr)) return { kind: 'no-run' };
      const boot = /@wpx boot (\S+)/.exec(stderr)?.[1];
      if (boot && handle.bootId !== 'unknown' && boot !== handle.bootId) return { kind: 'rebooted', bootId: boot };
      const rc = /@wpx rc (\S+)/.exec(stderr)?.[1];
      if (rc === undefined) throw new RemoteCommandError('following the run', r);
      return { kind: 'ended', rc: rc === 'none' ? null : Number(rc) };
    } catch (e) {
      if (stoppedAfterResult) return { kind: 'result-seen' };
      if (o.signal?.aborted || !isTransient(e)) throw e;
      if (o.resultSeen()) return { kind: 'result-seen' };
      firstFailure ??= performance.now();
      const delay = backoffMs(attempt);
      if (performance.now() - firstFailure + delay > deadline) throw e;
      o.onReconnect?.(attempt + 1, e, delay);
      await sleep(delay, o.signal);
    } finally {
      clearTimeout(lingering);
      o.signal?.removeEventListener('abort', onOuter);
    }
  }
}

/** Small files of a run (rc, timer state, revert log), read in one round trip. */
export async function readRunFiles(exec: HostExecutor, dir: string): Promise<Record<string, string>> {
  const names = ['rc', 'op', 'timer.state', 'revert.rc', 'revert.log', 'boot'];
  const r = await exec.run(shellCommand(['bash', '-c', DETACHED_SH, 'wp-run', 'files', dir, ...names]));
  if (r.code === 44) return {};
  if (r.code !== 0) throw new RemoteCommandError('reading the run record', r);
  const out: Record<string, string> = {};
  let cur: string | undefined;
  for (const line of r.stdout.split('\n')) {
    const m = /^@@(.+)$/.exec(line);
    if (m && names.includes(m[1]!)) {
      cur = m[1]!;
      out[cur] = '';
    } else if (cur) out[cur] += `${line}\n`;
  }
  for (const k of Object.keys(out)) {
    out[k] = out[k]!.replace(/\n+$/, '');
    if (out[k] === '') delete out[k];
  }
  return out;
}
