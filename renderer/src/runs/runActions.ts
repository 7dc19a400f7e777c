// Starting, cancelling and following apply/destroy runs. The renderer sends the design
// and the hash of each host plan the user saw; the backend recompiles and refuses a run
// whose plan differs from what was previewed.
import type { SudoResult } from '../../../shared/api/contract';
import { api } from '../api';
import { compiledOf, serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { useRuns, type RunStartInfo } from '../store/runStore';
import { startWatching } from '../live/watch';

export interface ApplyOptions {
  keepPartial?: boolean;
  /** Install and enable the boot unit on the host once it converged (SSH hosts). */
  persist?: boolean;
  /** Commit-confirmed window in seconds; with it, a plan touching the management path is accepted. */
  confirmWithinS?: number;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Compiles the current design and gathers what the console shows for each host. */
function prepare(hostIds: readonly string[]): { designText: string; infos: RunStartInfo[]; planHashes: Record<string, string> } | { error: string } {
  const design = useEditor.getState().design;
  const compiled = compiledOf(design);
  if (!compiled.ok) return { error: 'the design has errors; fix them first (see Problems)' };
  const hosts = compiled.plan.hosts.filter((h) => hostIds.includes(h.host.id));
  if (hosts.length === 0) return { error: 'no such host in the plan' };
  return {
    designText: serializedOf(design),
    planHashes: Object.fromEntries(hosts.map((h) => [h.host.id, h.hash])),
    infos: hosts.map((h) => ({
      hostId: h.host.id,
      hostName: h.host.name,
      planHash: h.hash,
      steps: h.steps.map((s) => ({ id: s.id, description: s.description, element: s.element })),
    })),
  };
}

/**
 * Applies the previewed plans of `hostIds`. `previewed` are the hashes the user saw; if
 * the design changed since, the backend refuses (the plan is not the one reviewed).
 */
export async function startApply(hostIds: string[], previewed: Record<string, string>, options: ApplyOptions = {}): Promise<string | undefined> {
  const runs = useRuns.getState();
  const p = prepare(hostIds);
  if ('error' in p) {
    runs.refused('apply', hostIds, p.error);
    return undefined;
  }
  try {
    const start = await api.apply({
      designText: p.designText,
      hostIds,
      planHashes: previewed,
      ...(options.keepPartial ? { keepPartial: true } : {}),
      ...(options.persist ? { persist: true } : {}),
      ...(options.confirmWithinS !== undefined ? { allowManagementChange: true, confirmWithinS: options.confirmWithinS } : {}),
    });
    if (!start.ok) {
      runs.refused('apply', hostIds, start.error);
      return undefined;
    }
    runs.started(start.runId, 'apply', p.infos);
    // See the result on the canvas as it lands.
    void startWatching();
    return start.runId;
  } catch (e) {
    runs.refused('apply', hostIds, describe(e));
    return undefined;
  }
}

export async function startDestroy(hostIds: string[]): Promise<string | undefined> {
  const runs = useRuns.getState();
  const p = prepare(hostIds);
  if ('error' in p) {
    runs.refused('destroy', hostIds, p.error);
    return undefined;
  }
  try {
    const start = await api.destroy({ designText: p.designText, hostIds });
    if (!start.ok) {
      runs.refused('destroy', hostIds, start.error);
      return undefined;
    }
    runs.started(start.runId, 'destroy', p.infos);
    void startWatching();
    return start.runId;
  } catch (e) {
    runs.refused('destroy', hostIds, describe(e));
    return undefined;
  }
}

/**
 * Before a run on an SSH host: asks the backend how the login becomes root, giving the
 * sudo password the user just typed (checked on the host before anything runs).
 */
export async function prepareSudoFor(hostId: string, password?: string, remember?: boolean): Promise<SudoResult> {
  try {
    return await api.prepareSudo({ designText: serializedOf(useEditor.getState().design), hostId, ...(password !== undefined ? { password } : {}), ...(remember ? { remember } : {}) });
  } catch (e) {
    return { ok: false, error: describe(e) };
  }
}

export async function cancelRun(runId: string): Promise<void> {
  useRuns.getState().markCancel(runId);
  try {
    await api.cancelRun(runId);
  } catch (e) {
    useEditor.getState().toast('error', `Cancel failed: ${describe(e)}`);
  }
}
