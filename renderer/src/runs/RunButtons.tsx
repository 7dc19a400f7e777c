// Apply / Destroy for one host, under its previewed plan. Apply first asks for
// confirmation naming the plan hash on screen: that hash goes to the backend, which
// refuses the run if its own compilation of the design differs.
import { useState } from 'react';
import type { HostPlan } from '../../../shared/compile/plan';
import type { Host } from '../../../shared/model/schema';
import { isBrowserOnly } from '../api';
import { activeRunFor, useRuns } from '../store/runStore';
import { startApply, startDestroy } from './runActions';

function targetText(host: Host): string {
  return host.target.kind === 'sandbox' ? 'the local sandbox' : `${host.target.user}@${host.target.address}:${host.target.port}`;
}

export function RunButtons({ plan, host, tag }: { plan: HostPlan; host: Host; tag: string }) {
  const [confirm, setConfirm] = useState<{ kind: 'apply' | 'destroy'; hash: string } | undefined>();
  const [keepPartial, setKeepPartial] = useState(false);
  const [allowMgmt, setAllowMgmt] = useState(false);
  const busy = useRuns((s) => activeRunFor(s, host.id) !== undefined);
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
  const go = () => {
    setConfirm(undefined);
    if (confirm.kind === 'apply') void startApply([hostId], { [hostId]: confirm.hash }, { keepPartial, allowManagementChange: allowMgmt });
    else void startDestroy([hostId]);
  };
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
          <label>
            <input type="checkbox" checked={allowMgmt} onChange={(e) => setAllowMgmt(e.target.checked)} /> allow changes to the management path (auto-revert unless confirmed)
          </label>
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
        <button type="button" className={confirm.kind === 'apply' ? 'primary' : 'danger'} onClick={go} data-testid="run-confirm-go" autoFocus>
          {confirm.kind === 'apply' ? `Apply ${plan.steps.length} steps` : `Destroy on ${host.name}`}
        </button>
      </div>
    </div>
  );
}
