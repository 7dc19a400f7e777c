// The plan as the compiler produced it: per host, the exact ordered commands, the
// namespaces it creates and the logical -> kernel name mapping.
import { useEffect, useMemo, useState } from 'react';
import type { ElementPresence } from '../../../shared/api/contract';
import { retainRateClock, useRateClock } from '../live/rateClock';
import { useLive } from '../store/liveStore';
import type { HostPlan } from '../../../shared/compile/plan';
import { RunButtons } from '../runs/RunButtons';
import { shellCommand } from '../../../shared/export/quote';
import { compiledOf } from '../store/derived';
import { useEditor } from '../store/designStore';

function safeCommand(argv: readonly string[]): string {
  try {
    return shellCommand(argv);
  } catch (e) {
    return `# ${(e as Error).message}`;
  }
}

/** Live presence of each step's element, refreshed on the rate clock (once a second), not on every batch. */
function useStepPresence(plan: HostPlan): Map<string, ElementPresence> | undefined {
  const watching = useLive((s) => s.watch.state === 'on');
  const tick = useRateClock((s) => s.tick);
  const version = useLive((s) => (s.watch.state === 'on' ? Math.min(s.version, 1) : 0));
  useEffect(() => (watching ? retainRateClock() : undefined), [watching]);
  return useMemo(() => {
    void tick;
    void version;
    if (!watching) return undefined;
    const elements = useLive.getState().elements;
    const out = new Map<string, ElementPresence>();
    for (const st of plan.steps) {
      const p = elements.get(st.element)?.presence;
      if (p) out.set(st.element, p);
    }
    return out.size ? out : undefined;
  }, [plan, watching, tick, version]);
}

function HostPlanView({ plan, tag }: { plan: HostPlan; tag: string }) {
  const focusElement = useEditor((s) => s.focusElement);
  const setDialog = useEditor((s) => s.setDialog);
  const host = useEditor((s) => s.design.hosts.find((h) => h.id === plan.host.id));
  const presence = useStepPresence(plan);
  const [onlyDiff, setOnlyDiff] = useState(false);
  const differs = (element: string) => presence?.get(element) !== 'present';
  const diffCount = presence ? plan.steps.filter((st) => differs(st.element)).length : 0;
  const filtering = onlyDiff && presence !== undefined;
  return (
    <div className="host-plan" data-testid={`plan-host-${plan.host.id}`}>
      {host && <RunButtons plan={plan} host={host} tag={tag} />}
      <div className="plan-head">
        <span>
          {plan.steps.length} steps · {plan.namespaces.length} namespaces · hash <code data-testid="plan-hash" title={plan.hash}>{plan.hash.slice(0, 12)}</code>
        </span>
        <button type="button" className="small" onClick={() => setDialog('export', plan.host.id)} data-testid="open-export">
          Export script…
        </button>
      </div>
      <details open>
        <summary>Kernel names ({plan.names.length})</summary>
        <table className="names" data-testid="name-mapping">
          <thead>
            <tr>
              <th>Element</th>
              <th>Namespace</th>
              <th>Kernel name</th>
            </tr>
          </thead>
          <tbody>
            {plan.names.map((m) => (
              <tr key={`${m.element}.${m.end ?? ''}`}>
                <td>
                  <button type="button" className="link" onClick={() => focusElement(m.element)}>
                    {m.logical}
                  </button>
                </td>
                <td>{m.ns || 'root'}</td>
                <td>
                  <code>{m.ifname}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {presence && (
        <label className="plan-diff" data-testid="plan-diff">
          <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> only what differs from the live host ({diffCount} of {plan.steps.length} steps, by
          element status)
        </label>
      )}
      <ol className="steps" data-testid="plan-steps">
        {plan.steps.map((step, si) => {
          if (filtering && !differs(step.element)) return null;
          const live = presence?.get(step.element);
          return (
            <li key={step.id} className="step" data-step={step.id} data-index={si + 1}>
              <div className="step-head">
                <button type="button" className="link step-desc" onClick={() => focusElement(step.element)} title={`${step.id}: show the element`}>
                  {step.description}
                </button>
                {live && <span className={`live-badge inline live-${live}`}>{live}</span>}
                <span className="ns">{step.ns || 'root'}</span>
              </div>
              {step.do.map((cmd, i) => (
                <pre key={i} className="cmd" data-testid="plan-command">
                  {/* Numbered by step, as the run console numbers them: 5, 5.2, 5.3 ... */}
                  <span className="n">{i === 0 ? si + 1 : `${si + 1}.${i + 1}`}</span>
                  <span className="cmd-text">
                    {cmd.ns && <span className="ns">[netns {cmd.ns}] </span>}
                    {safeCommand(cmd.argv)}
                  </span>
                </pre>
              ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export function PlanPreview() {
  const design = useEditor((s) => s.design);
  const result = compiledOf(design);
  const [hostId, setHostId] = useState<string | undefined>();
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    return (
      <div className="plan" data-testid="plan">
        <h2>Plan</h2>
        <p className="msg-error" data-testid="plan-blocked">
          No plan until these are fixed:
        </p>
        <ul className="plan-errors">
          {(errors.length ? errors : result.diagnostics).map((d, i) => (
            <li key={i}>{d.message}</li>
          ))}
        </ul>
      </div>
    );
  }
  const hosts = result.plan.hosts;
  const current = hosts.find((h) => h.host.id === hostId) ?? hosts[0];
  return (
    <div className="plan" data-testid="plan">
      <h2>Plan</h2>
      {hosts.length === 0 && <p className="hint">Nothing to do: the design has no hosts.</p>}
      {hosts.length > 1 && (
        <div className="tabs" role="tablist">
          {hosts.map((h) => (
            <button key={h.host.id} type="button" role="tab" aria-selected={h === current} className={h === current ? 'active' : ''} onClick={() => setHostId(h.host.id)}>
              {h.host.name}
            </button>
          ))}
        </div>
      )}
      {current && <HostPlanView plan={current} tag={result.plan.design.tag} />}
    </div>
  );
}
