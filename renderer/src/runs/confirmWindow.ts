// The confirm-window offer of the apply dialog: shown once the host's last apply was
// refused because its plan touches the management path (the interface or route carrying
// the SSH session); the window length the user types, checked before it is sent.
import { CONFIRM_WITHIN_S } from '../../../shared/api/contract';
import type { Run } from '../store/runStore';

export const DEFAULT_CONFIRM_WINDOW_S = 60;

/** True when the most recent finished apply on this host was refused for the management path. */
export function refusedForManagementPath(runs: readonly Run[], hostId: string): boolean {
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i]!;
    const result = r.kind === 'apply' ? r.hosts[hostId]?.result : undefined;
    if (!result) continue;
    return result.outcome?.kind === 'refused' && result.outcome.managementPath === true;
  }
  return false;
}

/** Whole seconds within the backend's bounds, or what is wrong with the text. */
export function parseConfirmWindow(text: string): { ok: true; seconds: number } | { ok: false; error: string } {
  const t = text.trim();
  const n = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < CONFIRM_WITHIN_S.min || n > CONFIRM_WITHIN_S.max) {
    return { ok: false, error: `a whole number of seconds from ${CONFIRM_WITHIN_S.min} to ${CONFIRM_WITHIN_S.max}` };
  }
  return { ok: true, seconds: n };
}
