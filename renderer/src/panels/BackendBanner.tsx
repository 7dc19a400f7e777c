// Shown whenever the page cannot reach its backend (`wireplan serve` stopped, crashed, or
// the connection dropped): what happened, what does not work meanwhile, and that the page
// keeps trying. Calls made meanwhile fail at once with the same reason (see wsApi.ts).
import { useSyncExternalStore } from 'react';
import { backendState, onBackendState, retryBackend, unreachableMessage } from '../api/backendState';

export function BackendBanner() {
  const state = useSyncExternalStore(onBackendState, backendState);
  if (state.kind !== 'unreachable') return null;
  return (
    <div className="backend-banner" role="alert" data-testid="backend-unreachable">
      <span>
        <strong>{unreachableMessage(state)}.</strong> Save, Open, Apply, Destroy, Check and Live need it and will say so until it is back; your
        design stays in this page. Retrying{state.attempts > 1 ? ` (attempt ${state.attempts})` : ''}…
      </span>
      <button type="button" onClick={retryBackend} data-testid="backend-retry">
        Retry now
      </button>
    </div>
  );
}
