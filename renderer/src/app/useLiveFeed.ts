// Connects the backend's events to their stores: live status to the live-status store,
// run progress to the run store (never the design store). Events are gathered and
// applied once per animation frame, so a burst costs one render.
import { useEffect } from 'react';
import type { LiveStatusUpdate, RunProgressEvent } from '../../../shared/api/contract';
import { api } from '../api';
import { useRateClock } from '../live/rateClock';
import { startWatching, watchKey } from '../live/watch';
import { useEditor } from '../store/designStore';
import { collapse, useLive } from '../store/liveStore';
import { useRuns } from '../store/runStore';

/** Calls `flush` once per frame while items keep coming (or within 100 ms when the page is hidden). */
function batcher<T>(flush: (items: T[]) => void, deferMs: () => number = () => 0): (item: T) => void {
  let items: T[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const list = items;
    items = [];
    flush(list);
  };
  return (item) => {
    items.push(item);
    if (scheduled) return;
    scheduled = true;
    const defer = deferMs();
    if (defer > 0) setTimeout(run, defer);
    else if (document.visibilityState === 'visible') requestAnimationFrame(run);
    else setTimeout(run, 100);
  };
}

/** While the user drags or pans, status batches wait this long (and collapse) instead of a frame. */
export const LIVE_DEFER_WHILE_BUSY_MS = 300;

const liveBatch = batcher<LiveStatusUpdate>(
  (list) => useLive.getState().applyUpdates(collapse(list)),
  () => (useRateClock.getState().busy ? LIVE_DEFER_WHILE_BUSY_MS : 0),
);

/** Where the backend's live batches enter the page (also used by the canvas benchmark). */
export function feedLive(update: LiveStatusUpdate): void {
  liveBatch(update);
}

export function useLiveFeed(): void {
  useEffect(() => {
    const runs = batcher<RunProgressEvent>((list) => useRuns.getState().events(list));
    // Element status counts only while this page watches: after a reload the Live button is
    // off, and a backend still watching (for the page before the reload) must not put
    // badges up that the button says are not there.
    const offLive = api.onLiveStatus((u) => {
      const w = useLive.getState().watch.state;
      if (w === 'on' || w === 'starting') feedLive(u);
    });
    const offHost = api.onHostStatus((h) => useLive.getState().setHostStatus(h));
    const offRun = api.onRunProgress(runs);
    return () => {
      offLive();
      offHost();
      offRun();
    };
  }, []);

  // While watching, follow the design: when its plans change, watch the new design once
  // edits settle (a moved node or a renamed label changes nothing on the hosts).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = useEditor.subscribe((s, prev) => {
      if (s.design === prev.design) return;
      // Another document: what was observed for the old one means nothing now.
      if (s.docSerial !== prev.docSerial) useLive.getState().clear();
      const w = useLive.getState().watch;
      if (w.state !== 'on' && w.state !== 'starting') return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const key = watchKey(useEditor.getState().design);
        if (key !== undefined && key !== useLive.getState().watch.key) void startWatching();
      }, 800);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, []);
}
