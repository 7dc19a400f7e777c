// Cut / restore a link on its host, one click: a runtime action (the backend's
// setLinkState), not an edit: the design and its undo history stay as they are, and the
// canvas shows the cut from live state (the link's ends down).
import { useState } from 'react';
import { api, isBrowserOnly } from '../../api';
import { serializedOf } from '../../store/derived';
import { useEditor } from '../../store/designStore';
import { useLive } from '../../store/liveStore';

export function LinkAction({ id }: { id: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const down = useLive((s) => s.elements.get(`${id}.a`)?.operState === 'down' || s.elements.get(`${id}.b`)?.operState === 'down');
  if (isBrowserOnly || !api.setLinkState) return null;
  const run = async (state: 'up' | 'down') => {
    setBusy(true);
    setResult(undefined);
    try {
      const r = await api.setLinkState!({ designText: serializedOf(useEditor.getState().design), linkId: id, state });
      setResult(r.ok ? { ok: true, text: r.message } : { ok: false, text: r.error });
    } catch (e) {
      setResult({ ok: false, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset className="section" data-testid="link-action" data-cut={down ? 'true' : undefined}>
      <legend>On the host</legend>
      <div className="live-line">
        <button type="button" disabled={busy} onClick={() => void run('down')} title="Set both ends down on the host (the design does not change)">
          Cut link
        </button>
        <button type="button" disabled={busy} onClick={() => void run('up')} title="Set both ends up again">
          Restore link
        </button>
        {down && <span className="oper oper-down">cut (link down)</span>}
      </div>
      {result && (
        <div className={`hint${result.ok ? '' : ' msg-error'}`} data-testid="link-action-result" role="status">
          {result.text}
        </div>
      )}
    </fieldset>
  );
}
