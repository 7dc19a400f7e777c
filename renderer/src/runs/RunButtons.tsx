// Apply / Destroy for one host, under its previewed plan. Apply first asks for
// confirmation naming the plan hash on screen: that hash goes to the backend, which
// refuses the run if its own compilation of the design differs. After the host refused
// a plan for touching the management path, the dialog offers a confirm window (off by
// default) and says what it does.
import { useState } from 'react';
import { CONFIRM_WITHIN_S } from '../../../shared/api/contract';
import type { HostPlan } from '../../../shared/compile/plan';
import type { Host } from '../../../shared/model/schema';
import { isBrowserOnly } from '../api';
import { activeRunFor, useRuns } from '../store/runStore';
import { DEFAULT_CONFIRM_WINDOW_S, parseConfirmWindow, refusedForManagementPath } from './confirmWindow';
import { prepareSudoFor, startApply, startDestroy, type ApplyOptions } from './runActions';
import { SudoPrompt } from './SudoPrompt';
import { useEditor } from '../store/designStore';
import type { KeychainState } from '../../../shared/api/contract';

/** A run waiting for the login's sudo password (or for the check whether it needs one). */
interface SudoAsk {
  kind: 'apply' | 'destroy';
  hash: string;
  options: ApplyOptions;
  /** sudo's words, or why the last password was refused; empty while checking. */
  message: string;
  keychain?: KeychainState;
  busy: boolean;
}

function targetText(host: Host): string {
  return host.target.kind === 'sandbox' ? 'the local sandbox' : `${host.target.user}@${host.target.address}:${host.target.port}`;
}

export function RunButtons({ plan, host, tag }: { plan: HostPlan; host: Host; tag: string }) {
  const [confirm, setConfirm] = useState<{ kind: 'apply' | 'destroy'; hash: string } | undefined>();
  const [keepPartial, setKeepPartial] = useState(false);
  const [persist, setPersist] = useState(false);
  const [useWindow, setUseWindow] = useState(false);
  const [windowText, setWindowText] = useState(String(DEFAULT_CONFIRM_WINDOW_S));
  const [sudo, setSudo] = useState<SudoAsk | undefined>();
  const busy = useRuns((s) => activeRunFor(s, host.id) !== undefined);
  const offerWindow = useRuns((s) => refusedForManagementPath(s.runs, host.id));
  const hostId = host.id;
  if (isBrowserOnly) {
    return <p className="hint run-unavailable">Apply and destroy need the Wireplan desktop app or <code>wireplan serve</code>.</p>;
  }
  if (!confirm) {
    return (
      <div className="run-buttons">
        <button type="button" className="primary" disabled={busy} onClick={() => setConfirm({ kind: 'apply', hash: plan.hash })} data-testid="apply-host">
          Apply to {host.name}…
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirm({ kind: 'destroy', hash: plan.hash })} data-testid="destroy-host">
          Destroy…
        </button>
        {busy && <span className="hint">a run is under way (see the console)</span>}
      </div>
    );
  }
  const stale = confirm.hash !== plan.hash;
  const windowChosen = confirm.kind === 'apply' && offerWindow && useWindow;
  const parsed = parseConfirmWindow(windowText);
  const launch = (kind: 'apply' | 'destroy', hash: string, options: ApplyOptions) => {
    setConfirm(undefined);
    setUseWindow(false);
    setSudo(undefined);
    if (kind === 'apply') void startApply([hostId], { [hostId]: hash }, options);
    else void startDestroy([hostId]);
  };
  // An SSH login that is not root: first ask how it becomes root, so a sudo password the
  // session does not know yet is asked for (once) and checked before anything changes.
  const go = async () => {
    if (windowChosen && !parsed.ok) return;
    const { kind, hash } = confirm;
    const options: ApplyOptions = { keepPartial, ...(persist && host.target.kind === 'ssh' ? { persist: true } : {}), ...(windowChosen && parsed.ok ? { confirmWithinS: parsed.seconds } : {}) };
    if (host.target.kind !== 'ssh') return launch(kind, hash, options);
    setSudo({ kind, hash, options, message: '', busy: true });
    const r = await prepareSudoFor(hostId);
    if (r.ok) return launch(kind, hash, options);
    if (r.needsSudoPassword) return setSudo({ kind, hash, options, message: r.error, keychain: r.keychain, busy: false });
    setConfirm(undefined);
    setSudo(undefined);
    useRuns.getState().refused(kind, [hostId], r.error);
  };
  const giveSudo = async (password: string, remember: boolean) => {
    if (!sudo) return;
    setSudo({ ...sudo, busy: true });
    const r = await prepareSudoFor(hostId, password, remember);
    if (!r.ok) return setSudo({ ...sudo, message: r.error, busy: false, ...(r.keychain ? { keychain: r.keychain } : {}) });
    if (r.keychainRefused) useEditor.getState().toast('info', `sudo password kept for this session only: ${r.keychainRefused}`);
    launch(sudo.kind, sudo.hash, sudo.options);
  };
  if (sudo?.message) {
    return (
      <div className="run-confirm" data-testid="run-confirm">
        <SudoPrompt hostName={host.name} message={sudo.message} keychain={sudo.keychain} busy={sudo.busy} onSubmit={(p, r) => void giveSudo(p, r)} onCancel={() => setSudo(undefined)} />
      </div>
    );
  }
  return (
    <div className={`run-confirm confirm-${confirm.kind}`} data-testid="run-confirm">
      {confirm.kind === 'apply' ? (
        <>
          <p>
            Apply this plan to <b>{host.name}</b> ({targetText(host)}): {plan.steps.length} steps, plan hash <code data-testid="confirm-hash">{confirm.hash.slice(0, 12)}</code>. Steps already on the host are skipped; a failing step rolls back what the run did.
          </p>
          <label>
            <input type="checkbox" checked={keepPartial} onChange={(e) => setKeepPartial(e.target.checked)} /> keep completed steps if a step fails
          </label>
          {host.target.kind === 'ssh' && (
            <label title={`Installs /usr/local/lib/wireplan/wireplan-${tag}.sh and /etc/systemd/system/wireplan-${tag}.service on the host and enables the unit; Destroy removes them.`}>
              <input type="checkbox" checked={persist} onChange={(e) => setPersist(e.target.checked)} data-testid="apply-persist" /> survive a reboot (install and enable <code>wireplan-{tag}.service</code>)
            </label>
          )}
          {offerWindow && (
            <div className="run-confirm-window" data-testid="confirm-window">
              <p className="msg-warning">The last apply was refused: this plan changes the interface or route that carries Wireplan's SSH session to {host.name}.</p>
              <label>
                <input type="checkbox" checked={useWindow} onChange={(e) => setUseWindow(e.target.checked)} data-testid="confirm-window-use" /> apply with a confirm window of
                <input
                  type="number"
                  min={CONFIRM_WITHIN_S.min}
                  max={CONFIRM_WITHIN_S.max}
                  step={1}
                  value={windowText}
                  onChange={(e) => setWindowText(e.target.value)}
                  disabled={!useWindow}
                  aria-label="Confirm window in seconds"
                  data-testid="confirm-window-seconds"
                  style={{ width: '5em' }}
                />
                seconds
              </label>
              {useWindow && !parsed.ok && <p className="msg-error">The window must be {parsed.error}.</p>}
              {useWindow && parsed.ok && (
                <p className="hint" data-testid="confirm-window-explain">
                  The host arms a timer before the run. When the run ends, Wireplan opens a <b>new</b> SSH connection and confirms. If that connection cannot be made within {parsed.seconds} s (the change cut the host off), the host undoes this run by itself and is back to how it was before; the result then says <i>reverted by the host itself</i>. Until then another apply to this host is refused.
                </p>
              )}
            </div>
          )}
        </>
      ) : (
        <p>
          Remove everything this design (tag <code>{tag}</code>) created on <b>{host.name}</b> ({targetText(host)}), in reverse order. Objects not tagged by this design are never touched.
        </p>
      )}
      {stale && <p className="msg-warning">The plan changed since you opened this; review it again (the backend refuses a plan you did not see).</p>}
      <div className="actions">
        <button type="button" onClick={() => setConfirm(undefined)}>
          Back
        </button>
        <button type="button" className={confirm.kind === 'apply' ? 'primary' : 'danger'} onClick={() => void go()} disabled={(windowChosen && !parsed.ok) || sudo?.busy === true} data-testid="run-confirm-go" autoFocus>
          {confirm.kind === 'apply' ? `Apply ${plan.steps.length} steps${windowChosen && parsed.ok ? ` (confirm within ${parsed.seconds} s)` : ''}` : `Destroy on ${host.name}`}
        </button>
      </div>
    </div>
  );
}
