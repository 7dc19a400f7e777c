// Field edits from the inspector: set a value at a path inside one element, immutably.
// Paths are the same as validation's `field` (e.g. ["a", "addresses", 0]).
import type { Design, Nic } from '../../../shared/model/schema';
import { KIND_COLLECTION, parseNicNodeId, nicNodeId } from './kinds';
import { lookup } from './lookup';

export type Path = readonly (string | number)[];

/** Sets (or, with undefined, removes) the value at `path` inside `obj`. */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(obj)) {
    const copy = [...obj];
    const i = head as number;
    if (rest.length === 0 && value === undefined) copy.splice(i, 1);
    else copy[i] = setIn(copy[i], rest, value);
    return copy as T;
  }
  const copy = { ...(obj as Record<string, unknown>) };
  const key = head as string;
  if (rest.length === 0 && value === undefined) delete copy[key];
  else copy[key] = setIn(copy[key] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  return copy as T;
}

export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Sets a field of element `id` (a NIC node id edits the host's NIC entry). */
export function setElementField(design: Design, id: string, path: Path, value: unknown): Design {
  const nic = parseNicNodeId(id);
  if (nic) return setNicField(design, nic.hostId, nic.name, path, value);
  if (path.length === 0) return design;
  const entry = lookup(design).byId.get(id);
  if (!entry || entry.kind === 'nic') return design;
  const collection = KIND_COLLECTION[entry.kind];
  const list = design[collection] as { id: string }[];
  return { ...design, [collection]: list.map((e) => (e.id === id ? setIn(e, path, value) : e)) };
}

/** Edits a NIC; renaming it moves its layout entry and the bridges/parents that name it. */
function setNicField(design: Design, hostId: string, name: string, path: Path, value: unknown): Design {
  const hosts = design.hosts.map((h) =>
    h.id !== hostId ? h : { ...h, nics: h.nics.map((n) => (n.name === name ? setIn<Nic>(n, path, value) : n)) },
  );
  let d: Design = { ...design, hosts };
  if (path.length === 1 && path[0] === 'name' && typeof value === 'string' && value !== name) {
    const onHost = (at: string) => lookup(design).byId.get(at)?.hostId === hostId;
    const oldKey = nicNodeId(hostId, name);
    const nodes = { ...d.layout.nodes };
    if (nodes[oldKey]) {
      nodes[nicNodeId(hostId, value)] = nodes[oldKey]!;
      delete nodes[oldKey];
    }
    d = {
      ...d,
      layout: { ...d.layout, nodes },
      bridges: d.bridges.map((b) => (onHost(b.id) && b.nics.includes(name) ? { ...b, nics: b.nics.map((n) => (n === name ? value : n)) } : b)),
      macvlans: d.macvlans.map((m) => (onHost(m.id) && m.parent === name ? { ...m, parent: value } : m)),
      vlans: d.vlans.map((v) => (onHost(v.id) && v.parent === name ? { ...v, parent: value } : v)),
      vxlans: d.vxlans.map((x) => (onHost(x.id) && x.dev === name ? { ...x, dev: value } : x)),
    };
  }
  return d;
}

/** Sets a design-level field (name, tag, description). */
export function setDesignField(design: Design, key: 'name' | 'tag' | 'description', value: string | undefined): Design {
  return setIn(design, [key], value === '' && key === 'description' ? undefined : value);
}
