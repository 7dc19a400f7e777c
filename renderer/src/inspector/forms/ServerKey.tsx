// The host keys trusted for the inventory server a host points at, and "Forget trusted
// key": after the user confirms, the backend removes the server's lines from Wireplan's
// known_hosts and the entry's fingerprints, so the next connection shows the key again
// and trusts nothing until it is approved (as after a reinstall of the server).
import { useState } from 'react';
import type { InventoryServer } from '../../../../shared/api/contract';
import { api } from '../../api';

export function ServerKey({ server, onChanged }: { server: InventoryServer; onChanged(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const forget = async () => {
    setBusy(true);
    const r = await api.forgetServerKey(server.name).catch((e: unknown) => ({ ok: false as const, error: String(e) }));
    setBusy(false);
    setConfirming(false);
    setOutcome(r.ok ? { ok: true, text: `Forgot ${r.removed} trusted key line(s) for ${r.endpoint}. The next connection shows the key again.` } : { ok: false, text: r.error });
    onChanged();
  };
  return (
    <div className="field server-key" data-testid="server-key">
      <label>Trusted key</label>
      <div className="control">
        {server.fingerprints.length ? (
          server.fingerprints.map((f) => (
            <code key={f} className="fingerprint" data-testid="server-fingerprint">
              {f}
            </code>
          ))
        ) : (
          <span className="hint" data-testid="server-no-key">
            none recorded for {server.name} (Test connection records the key you trust)
          </span>
        )}
        {!confirming ? (
          <button type="button" className="small" onClick={() => (setConfirming(true), setOutcome(undefined))} data-testid="forget-key">
            Forget trusted key…
          </button>
        ) : (
          <div className="msg-warning" role="alertdialog" aria-label={`Forget the trusted key of ${server.name}`} data-testid="forget-key-confirm">
            <p>
              Forget the host key trusted for <b>{server.name}</b>? Every design using this server is affected: the next connection shows the key again and trusts nothing until you approve it. Your own ~/.ssh/known_hosts is not touched.
            </p>
            <button type="button" className="small" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
            <button type="button" className="small danger" onClick={() => void forget()} disabled={busy} data-testid="forget-key-go">
              Forget
            </button>
          </div>
        )}
        {outcome && (
          <p className={outcome.ok ? 'ok' : 'msg-error'} data-testid="forget-key-result">
            {outcome.text}
          </p>
        )}
      </div>
    </div>
  );
}
