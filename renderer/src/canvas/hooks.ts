// Narrow per-node subscriptions: each canvas node re-renders only when its own element,
// its own diagnostics badge or its own live status changes.
import { useStore as useFlowStore } from '@xyflow/react';
import { badgesOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { useLive } from '../store/liveStore';
import { lookup } from '../model/lookup';

/** The element (or NIC entry) behind a node; same object while unchanged. */
export function useElement(id: string) {
  return useEditor((s) => lookup(s.design).byId.get(id)?.element);
}

/** "error:2" / "warning:1" / "" — a primitive so unchanged badges do not re-render. */
export function useBadge(id: string): string {
  return useEditor((s) => {
    const b = badgesOf(s.design).get(id);
    return b ? `${b.severity}:${b.count}` : '';
  });
}

export function useLiveStatus(id: string) {
  return useLive((s) => s.elements.get(id));
}

/** Only the presence word: a node re-renders when that changes, not on every rate update. */
export function useLivePresence(id: string) {
  return useLive((s) => s.elements.get(id)?.presence);
}

export const SIMPLIFY_BELOW_ZOOM = 0.45;

/** True when zoomed out far enough to draw simplified nodes and hide edge labels. */
export function useSimplified(): boolean {
  return useFlowStore((s) => s.transform[2] < SIMPLIFY_BELOW_ZOOM);
}
