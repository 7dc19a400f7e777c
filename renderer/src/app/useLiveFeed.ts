// Connects the backend's live events to the live-status store (not the design store).
import { useEffect } from 'react';
import { api } from '../api';
import { useLive } from '../store/liveStore';

export function useLiveFeed(): void {
  useEffect(() => {
    const offLive = api.onLiveStatus((u) => useLive.getState().applyUpdate(u));
    const offHost = api.onHostStatus((h) => useLive.getState().setHostStatus(h));
    return () => {
      offLive();
      offHost();
    };
  }, []);
}
