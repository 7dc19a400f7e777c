// First: configures zod before any schema exists (see zodConfig.ts).
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './app/App';
import { BackendBanner } from './panels/BackendBanner';
import { feedLive } from './app/useLiveFeed';
import { useEditor } from './store/designStore';
import { useLive } from './store/liveStore';
import { serializedOf } from './store/derived';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
    <BackendBanner />
  </StrictMode>,
);

// A read-only window onto the stores for end-to-end tests and debugging.
declare global {
  interface Window {
    __wireplan?: { editor: typeof useEditor; live: typeof useLive; serialized(): string; feedLive: typeof feedLive };
  }
}
window.__wireplan = { editor: useEditor, live: useLive, serialized: () => serializedOf(useEditor.getState().design), feedLive };
