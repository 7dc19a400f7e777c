// Pieces several forms share: interface fields, route lists, placement choices.
import { gatewayFor } from '../../model/quickFix';
import { followingNames } from '../../model/rename';
import { useMemo } from 'react';
import { resolveNames } from '../../../../shared/compile/names';
import type { Design } from '../../../../shared/model/schema';
import type { Path } from '../../model/edit';
import { lookup } from '../../model/lookup';
import { useEditor } from '../../store/designStore';
import { CheckField, NumberField, Section, StringListField, TextField, useValue, type Option } from '../fields';

const hostOptionsOf = (d: Design): Option[] => d.hosts.map((h) => ({ value: h.id, label: `${h.name} (root namespace)` }));
const nsOptionsOf = (d: Design): Option[] =>
  d.namespaces.map((n) => ({ value: n.id, label: `${n.name} on ${d.hosts.find((h) => h.id === n.host)?.name ?? n.host}` }));

/** Where an interface can live: a host's root namespace or a namespace (optionally a bridge). */
export function usePlacementOptions(withBridges = false): Option[] {
  const design = useEditor((s) => s.design);
  return useMemo(
    () => [
      ...hostOptionsOf(design),
      ...nsOptionsOf(design),
      ...(withBridges ? design.bridges.map((b) => ({ value: b.id, label: `bridge ${b.name}` })) : []),
    ],
    [design, withBridges],
  );
}

export function useHostOptions(): Option[] {
  const hosts = useEditor((s) => s.design.hosts);
  return useMemo(() => hosts.map((h) => ({ value: h.id, label: h.name })), [hosts]);
}

export function useBridgeOptions(): Option[] {
  const bridges = useEditor((s) => s.design.bridges);
  return useMemo(() => bridges.map((b) => ({ value: b.id, label: b.name })), [bridges]);
}

/** NIC names of the host element `id` belongs to. */
export function useNicOptions(id: string): Option[] {
  const nics = useEditor((s) => {
    const d = s.design;
    const host = lookup(d).byId.get(id)?.hostId;
    return d.hosts.find((h) => h.id === host)?.nics;
  });
  return useMemo(() => (nics ?? []).map((n) => ({ value: n.name, label: `${n.name}${n.management ? ' (management)' : ''}` })), [nics]);
}

/** The kernel name Wireplan derives when `ifname` is left empty. */
export function useDerivedIfname(element: string, end?: 'a' | 'b'): string | undefined {
  return useEditor((s) => derivedNames(s.design).get(end ? `${element}.${end}` : element));
}

const derivedCache = new WeakMap<Design, Map<string, string>>();
function derivedNames(d: Design): Map<string, string> {
  let m = derivedCache.get(d);
  if (!m) {
    m = new Map();
    try {
      for (const r of resolveNames(d)) m.set(r.end ? `${r.element}.${r.end}` : r.element, r.ifname);
    } catch {
      // a half-edited design may not resolve; the placeholder just stays empty
    }
    derivedCache.set(d, m);
  }
  return m;
}

/** ifname, addresses, mac, mtu, up — the fields every created interface has. */
export function InterfaceFields({ id, base = [], end, addresses = true }: { id: string; base?: Path; end?: 'a' | 'b'; addresses?: boolean }) {
  const derived = useDerivedIfname(id, end);
  return (
    <>
      <TextField id={id} path={[...base, 'ifname']} label="Kernel name" optional placeholder={derived ? `${derived} (derived)` : 'derived from name'} hint="At most 15 bytes; unique in its namespace" />
      {addresses && <StringListField id={id} path={[...base, 'addresses']} label="Addresses" placeholder="10.0.0.2/24" addLabel="address" />}
      <TextField id={id} path={[...base, 'mac']} label="MAC" optional placeholder="random" />
      <NumberField id={id} path={[...base, 'mtu']} label="MTU" optional />
      <CheckField id={id} path={[...base, 'up']} label="Up" fallback />
    </>
  );
}

export function RoutesField({ id, path }: { id: string; path: Path }) {
  const routes = useValue<{ to?: string; via?: string; note?: string }[]>(id, path) ?? [];
  const set = useEditor((s) => s.setField);
  const addRoute = () => {
    const d = useEditor.getState().design;
    const gw = gatewayFor(d, id);
    const hasDefault = routes.some((r) => r.to === 'default');
    set(id, path, [...routes, { to: hasDefault ? '' : 'default', ...(gw ? { via: gw.via } : {}) }]);
  };
  return (
    <Section title={`Routes (${routes.length})`}>
      {routes.map((r, i) => (
        <div className="row-card" key={i}>
          {r.note && (
            <p className="inferred" data-testid="route-inferred">
              <span>{r.note[0]!.toUpperCase() + r.note.slice(1)}.</span>{' '}
              <button type="button" className="small" data-testid="route-inferred-undo" onClick={() => set(id, path, routes.filter((__, j) => j !== i))}>
                Remove it
              </button>
            </p>
          )}
          <TextField id={id} path={[...path, i, 'to']} label="To" placeholder="default or 10.1.0.0/16" />
          <TextField id={id} path={[...path, i, 'via']} label="Via" optional placeholder="gateway" />
          <TextField id={id} path={[...path, i, 'dev']} label="Device" optional placeholder="kernel name" />
          <NumberField id={id} path={[...path, i, 'metric']} label="Metric" optional />
          <CheckField
            id={id}
            path={[...path, i, 'takeOver']}
            label="Take over"
            hint="A route with this destination and metric already on the host is replaced, and put back on down and rollback. Without it, such a route is refused as foreign."
          />
          <button type="button" className="small danger" onClick={() => set(id, path, routes.filter((__, j) => j !== i))}>
            Remove route
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={addRoute}>
        + route
      </button>
    </Section>
  );
}

/** Under a name field: the derived names (link names, kernel names) that follow a rename. */
export function FollowingNames({ id }: { id: string }) {
  const list = useEditor((s) => followingNames(s.design, id).join('\u0000'));
  if (!list) return null;
  return (
    <p className="hint following-names" data-testid="following-names">
      A new name also renames {list.split('\u0000').join(', ')} (they were made from it).
    </p>
  );
}
