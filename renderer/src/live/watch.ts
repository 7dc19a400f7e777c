// Watching the design's hosts: the backend streams their state (onHostStatus /
// onLiveStatus) into the live store. Turned on by the user (or by starting a run); while
// on, a change to the plans re-watches the new design once the edits settle.
import { api } from '../api';
import { compiledOf, serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { useLive } from '../store/liveStore';
import type { Design } from '../../../shared/model/schema';

/** What live status depends on: the plans (hashes) and where each host is reached. */
export function watchKey(design: Design): string | undefined {
  const c = compiledOf(design);
  if (!c.ok) return undefined;
  return JSON.stringify([design.tag, c.plan.hosts.map((h) => h.hash), design.hosts.map((h) => [h.id, h.target])]);
}

let serial = 0;

export async function startWatching(): Promise<boolean> {
  const live = useLive.getState();
  if (!api.watchLive) {
    live.setWatch({ state: 'unavailable', error: 'Live status needs the Wireplan backend (desktop app or wireplan serve)', hostIds: [] });
    return false;
  }
  const design = useEditor.getState().design;
  const key = watchKey(design);
  if (key === undefined) {
    live.setWatch({ state: 'error', error: 'the design has errors: fix them to watch its hosts', hostIds: [] });
    return false;
  }
  if (live.watch.key === key && (live.watch.state === 'on' || live.watch.state === 'starting')) return true;
  const mine = ++serial;
  live.setWatch({ state: 'starting', hostIds: design.hosts.map((h) => h.id), key });
  try {
    const r = await api.watchLive(serializedOf(design));
    if (mine !== serial) return r.ok;
    if (!r.ok) {
      useLive.getState().setWatch({ state: 'error', error: r.error, hostIds: [] });
      return false;
    }
    useLive.getState().setWatch({ state: 'on', hostIds: r.hostIds, key });
    // The current state of each host, in case its first event went by before we listened.
    const statuses = await api.hostStatus(r.hostIds);
    if (mine === serial) for (const s of statuses) useLive.getState().setHostStatus(s);
    return true;
  } catch (e) {
    if (mine === serial) useLive.getState().setWatch({ state: 'error', error: e instanceof Error ? e.message : String(e), hostIds: [] });
    return false;
  }
}

export async function stopWatching(): Promise<void> {
  ++serial;
  useLive.getState().setWatch({ state: 'off', hostIds: [] });
  try {
    await api.watchLive?.(undefined);
  } finally {
    useLive.getState().clear();
  }
}
