// Commit-confirmed (Junos `commit confirmed`, `netplan try`): the start command arms an
// on-host timer before the run begins; once the run has ended, the host waits S seconds
// for a confirm file and otherwise undoes exactly what that run did. Wireplan writes the
// confirm over a FRESH connection, proving the host is still reachable after the change.
import { shellCommand } from '../../../shared/export/quote';
import { CONFIRM_SH } from './confirm.generated';
import type { HostExecutor } from '../executor';
import { readRunFiles } from './detached';
import { sleep } from './remote';

export type TimerState = 'armed' | 'waiting' | 'confirmed' | 'reverting' | 'reverted' | 'none';

export function confirmCommand(dir: string): string {
  return shellCommand(['bash', '-c', CONFIRM_SH, 'wp-confirm', dir]);
}

export type ConfirmAnswer = TimerState | 'no-run' | 'timeout' | 'unreachable';

/** Opens a new connection, writes the confirm, and reports what the timer decided. */
export async function confirmOverFreshConnection(open: () => Promise<HostExecutor>, dir: string, timeoutMs = 60_000): Promise<{ answer: ConfirmAnswer; error?: string }> {
  let fresh: HostExecutor | undefined;
  try {
    fresh = await open();
    const r = await fresh.run(confirmCommand(dir), { timeoutMs });
    const m = /@wpx confirm (\S+)/.exec(r.stdout);
    return { answer: (m?.[1] as ConfirmAnswer | undefined) ?? 'timeout' };
  } catch (e) {
    return { answer: 'unreachable', error: (e as Error).message };
  } finally {
    await fresh?.close().catch(() => {});
  }
}

export async function timerState(exec: HostExecutor, dir: string): Promise<{ state: TimerState; revertLog?: string; revertRc?: string }> {
  const f = await readRunFiles(exec, dir);
  return {
    state: (f['timer.state'] as TimerState | undefined) ?? 'none',
    ...(f['revert.log'] !== undefined ? { revertLog: f['revert.log'] } : {}),
    ...(f['revert.rc'] !== undefined ? { revertRc: f['revert.rc'] } : {}),
  };
}

/** Polls (bounded) until the host's timer has reverted or been confirmed. */
export async function waitForTimer(exec: HostExecutor, dir: string, deadlineMs: number, signal?: AbortSignal): Promise<TimerState> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const { state } = await timerState(exec, dir);
    if (state === 'reverted' || state === 'confirmed' || state === 'none') return state;
    if (performance.now() > end) return state;
    await sleep(200, signal);
  }
}
