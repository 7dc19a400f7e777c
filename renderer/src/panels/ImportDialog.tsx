// Import from host…: reads one host of the open design as it really is (through the backend,
// the way a run reaches it: a sandbox host is the design's own running sandbox) and opens
// what it found as a new design, listing what could not be modelled. The list stays on
// screen after the new design opened, since it is what the user has to finish by hand.
import { useState } from 'react';
import type { ImportHostResult } from '../../../shared/api/contract';
import { api } from '../api';
import { openAsNewDesign } from '../app/fileActions';
import { serializedOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

type Done = Extract<ImportHostResult, { ok: true }> & { hostName: string };
type State = { kind: 'idle' } | { kind: 'reading' } | { kind: 'error'; error: string } | ({ kind: 'done' } & Done);

/** Plural and singular names of the import's counts. */
const COUNT_NAMES: Record<string, [string, string]> = {
  namespaces: ['namespaces', 'namespace'],
  bridges: ['bridges', 'bridge'],
  veths: ['veth pairs', 'veth pair'],
  macvlans: ['macvlan/ipvlan interfaces', 'macvlan/ipvlan interface'],
  vlans: ['VLANs', 'VLAN'],
  vxlans: ['VXLANs', 'VXLAN'],
  routes: ['routes', 'route'],
  masquerades: ['masquerades', 'masquerade'],
  portForwards: ['port forwards', 'port forward'],
  policies: ['policies', 'policy'],
};

function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${COUNT_NAMES[k]?.[n === 1 ? 1 : 0] ?? k}`);
  return parts.length ? parts.join(', ') : 'nothing Wireplan can model';
}

export function ImportDialog() {
  const hosts = useEditor((s) => s.design.hosts);
  const arg = useEditor((s) => s.dialogArg);
  const close = () => useEditor.getState().setDialog('none');
  const [hostId, setHostId] = useState(arg ?? hosts[0]?.id ?? '');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const host = hosts.find((h) => h.id === hostId);

  const read = async () => {
    if (!host) return;
    if (!api.importHost) return setState({ kind: 'error', error: 'Reading a host needs the Wireplan desktop app or `wireplan serve` (this is the browser preview)' });
    setState({ kind: 'reading' });
    const hostName = host.name;
    let r: ImportHostResult;
    try {
      r = await api.importHost({ designText: serializedOf(useEditor.getState().design), hostId: host.id });
    } catch (e) {
      return setState({ kind: 'error', error: e instanceof Error ? e.message : String(e) });
    }
    if (!r.ok) return setState({ kind: 'error', error: r.error });
    if (!openAsNewDesign(r.text, `the import from ${hostName}`)) return setState({ kind: 'idle' });
    setState({ kind: 'done', ...r, hostName });
  };

  return (
    <Dialog title="Import from host" onClose={close} testId="import-dialog">
      {state.kind === 'done' ? (
        <div data-testid="import-result">
          <p>
            Opened what <b>{state.hostName}</b> has now as a new, unsaved design: <span data-testid="import-counts">{countsText(state.counts)}</span>.
          </p>
          {state.notes.length > 0 ? (
            <>
              <p>Not imported, or changed on the way ({state.notes.length}):</p>
              <ul className="import-notes" data-testid="import-notes">
                {state.notes.map((n, i) => (
                  <li key={i} className={n.level === 'warning' ? 'msg-warning' : 'hint'}>
                    {n.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="hint">Everything found on the host was modelled.</p>
          )}
          <div className="actions">
            <button type="button" onClick={close} data-testid="import-close" autoFocus>
              Close
            </button>
          </div>
        </div>
      ) : hosts.length === 0 ? (
        <p className="hint" data-testid="import-no-host">
          Add the host first (Hosts: the local sandbox or an SSH server, with its connection tested), then import it from here or from its card in Hosts.
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void read();
          }}
        >
          <p className="hint">Reads the host as it is now (namespaces, links, addresses, routes, NAT and firewall rules) and opens it as a new design. A local sandbox host is this design&apos;s own sandbox, with whatever was applied to it.</p>
          <label>
            Host{' '}
            <select value={hostId} onChange={(e) => setHostId(e.target.value)} data-testid="import-host">
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name} ({h.target.kind === 'sandbox' ? 'local sandbox' : 'SSH'})
                </option>
              ))}
            </select>
          </label>
          {state.kind === 'error' && (
            <p className="msg-error" role="alert" data-testid="import-error">
              {state.error}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={state.kind === 'reading' || !host} data-testid="import-read">
              {state.kind === 'reading' ? 'Reading…' : 'Import'}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
