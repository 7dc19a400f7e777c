// Copy, paste and duplicate. A copy is a design fragment: the selected elements, what they
// contain (a host's elements, a namespace's interfaces) and the veths among them. Pasting
// gives everything new ids and names, rewires the references among the copied elements,
// moves each copied segment to a free subnet (addresses keep their host part) and offsets
// the drawing.
import type { Design, Host, Nic } from '../../../shared/model/schema';
import { DesignIndex } from '../../../shared/model/topology';
import { resolveNames } from '../../../shared/compile/names';
import { nextFreeSubnet, subnetOf, translateAddress } from './addressing';
import { emptyDesign } from './empty';
import { parseNicNodeId, FRAME_MIN } from './kinds';
import { absolutePosition, fitFrames, frameRect, type XY } from './layout';
import { lookup } from './lookup';
import { distinctName, freshId, ifnameFragment, ifnameWithSuffix, nextFree, stem } from './names';
import { removalSet } from './remove';

export interface Clip {
  /** Copied elements as a design fragment (hosts only when a whole host was copied). */
  fragment: Design;
  /** Host id each copied non-host element came from. */
  fromHost: Record<string, string>;
  /** Absolute positions (elements) and frames (hosts) at copy time. */
  positions: Record<string, XY>;
  /** Frame origin of every host something was copied from, at copy time. */
  origins: Record<string, XY>;
  /** NICs copied on their own: host id -> NICs. */
  nics: { hostId: string; nic: Nic; position: XY }[];
}

const PLACED = ['bridges', 'macvlans', 'vlans', 'vxlans', 'masquerades', 'portForwards', 'policies'] as const;

export function copyElements(design: Design, ids: Iterable<string>): Clip | undefined {
  const { byId } = lookup(design);
  const chosen = [...ids].filter((id) => byId.has(id));
  const set = removalSet(design, chosen.filter((id) => !parseNicNodeId(id)));
  // The containment closure adds veths attached to any copied container; keep only those
  // whose both ends are copied, or that go to the root of the (uncopied) host.
  const inside = (at: string) => set.has(at) || byId.get(at)?.kind === 'host';
  const hosts = design.hosts.filter((h) => set.has(h.id));
  const frag: Design = {
    ...emptyDesign(design.name),
    hosts,
    namespaces: design.namespaces.filter((n) => set.has(n.id)),
    veths: design.veths.filter((v) => set.has(v.a.at) || set.has(v.b.at)).filter((v) => inside(v.a.at) && inside(v.b.at) && (set.has(v.a.at) || set.has(v.b.at))),
    ...Object.fromEntries(PLACED.map((c) => [c, (design[c] as { id: string }[]).filter((e) => set.has(e.id))])),
  };
  const fromHost: Record<string, string> = {};
  const positions: Record<string, XY> = {};
  const origins: Record<string, XY> = {};
  for (const id of set) {
    const e = byId.get(id)!;
    if (e.kind === 'veth') continue;
    if (e.kind === 'nic') {
      // NICs of a copied host travel with it.
      positions[id] = absolutePosition(design, id) ?? { x: 0, y: 0 };
      continue;
    }
    if (e.kind === 'host') positions[id] = frameRect(design, id);
    else {
      fromHost[id] = e.hostId ?? '';
      positions[id] = absolutePosition(design, id) ?? { x: 0, y: 0 };
      if (e.hostId) origins[e.hostId] = frameRect(design, e.hostId);
    }
  }
  const nics = chosen
    .map((id) => ({ id, nic: parseNicNodeId(id) }))
    .filter((x): x is { id: string; nic: { hostId: string; name: string } } => !!x.nic && !set.has(x.nic.hostId))
    .map(({ id, nic }) => {
      origins[nic.hostId] = frameRect(design, nic.hostId);
      return { hostId: nic.hostId, nic: byId.get(id)!.element as Nic, position: absolutePosition(design, id) ?? { x: 0, y: 0 } };
    });
  const count = frag.hosts.length + frag.namespaces.length + PLACED.reduce((n, c) => n + frag[c].length, 0) + nics.length;
  return count === 0 ? undefined : { fragment: frag, fromHost, positions, origins, nics };
}

function renamer(existing: Iterable<string>) {
  const taken = new Set(existing);
  return (name: string) => {
    const fresh = /\d$/.test(name) ? nextFree(stem(name), taken, 1) : distinctName(name, taken);
    taken.add(fresh);
    return fresh;
  };
}

export interface Pasted {
  design: Design;
  ids: string[];
}

/** Pastes `clip` into `design`; elements whose host was not copied go to `targetHost` or back to their own host. */
export function pasteClip(design: Design, clip: Clip, offset: XY, targetHost?: string): Pasted {
  const frag = clip.fragment;
  const idMap = new Map<string, string>();
  const newIds = new Set<string>();
  const mapId = (old: string) => {
    const id = freshId(design, old, newIds);
    newIds.add(id);
    idMap.set(old, id);
  };
  for (const h of frag.hosts) mapId(h.id);
  for (const n of frag.namespaces) mapId(n.id);
  for (const c of PLACED) for (const e of frag[c]) mapId(e.id);
  for (const v of frag.veths) mapId(v.id);

  // Where an element of an uncopied host goes.
  const hostExists = (id: string) => design.hosts.some((h) => h.id === id);
  let d = design;
  let fallbackHost = targetHost && hostExists(targetHost) ? targetHost : design.hosts[0]?.id;
  if (!fallbackHost && Object.keys(clip.fromHost).length + clip.nics.length > 0) {
    const id = freshId(d, 'host', newIds);
    newIds.add(id);
    d = { ...d, hosts: [...d.hosts, { id, name: id, target: { kind: 'sandbox' }, nics: [], routes: [], sysctls: { interfaces: [] } }] };
    d = { ...d, layout: { ...d.layout, frames: { ...d.layout.frames, [id]: { x: 0, y: 0, ...FRAME_MIN } } } };
    fallbackHost = id;
  }
  const hostFor = (oldHost: string) => idMap.get(oldHost) ?? (targetHost && hostExists(targetHost) ? targetHost : hostExists(oldHost) ? oldHost : fallbackHost!);
  const ref = (old: string, oldHost: string) => idMap.get(old) ?? hostFor(oldHost);

  // New subnets for copied bridges.
  const subnets: { from: string; to: string }[] = [];
  for (const b of frag.bridges) {
    const from = b.addresses[0] && subnetOf(b.addresses[0]);
    if (!from) continue;
    const to = nextFreeSubnet(d, subnets.map((s) => s.to));
    subnets.push({ from, to: subnetOf(to)! });
  }
  const tr = (text: string) => {
    for (const s of subnets) {
      const moved = translateAddress(text, s.from, s.to);
      if (moved) return moved;
    }
    return text;
  };
  const trList = (xs: string[]) => xs.map(tr);

  const names = {
    hosts: renamer(d.hosts.map((h) => h.name)),
    namespaces: renamer(d.namespaces.map((n) => n.name)),
    veths: renamer(d.veths.map((v) => v.name)),
    ...Object.fromEntries(PLACED.map((c) => [c, renamer((d[c] as { name: string }[]).map((e) => e.name))])),
  } as Record<string, (name: string) => string>;

  const copiedNs = new Set(frag.namespaces.map((n) => n.id));
  /** Explicit interface names are kept only inside copied namespaces (fresh namespaces cannot clash). */
  const keepIfname = (at: string) => copiedNs.has(at);
  const dropIfname = <T extends { ifname?: string; at: string }>(e: T): T => {
    if (keepIfname(e.at) || e.ifname === undefined) return e;
    const copy = { ...e };
    delete copy.ifname;
    return copy;
  };

  const hosts: Host[] = frag.hosts.map((h) => ({ ...h, id: idMap.get(h.id)!, name: names['hosts']!(h.name) }));
  const namespaces = frag.namespaces.map((n) => ({
    ...n,
    id: idMap.get(n.id)!,
    name: names['namespaces']!(n.name),
    host: hostFor(n.host),
    routes: n.routes.map((r) => ({ ...r, to: tr(r.to), ...(r.via ? { via: tr(r.via) } : {}) })),
  }));
  const placed = Object.fromEntries(
    PLACED.map((c) => [
      c,
      (frag[c] as unknown as Record<string, unknown>[]).map((raw) => {
        const e = raw as { id: string; name: string; at: string; addresses?: string[]; bridge?: string };
        const oldHost = clip.fromHost[e.id] ?? '';
        const out: Record<string, unknown> = { ...dropIfname(e), id: idMap.get(e.id)!, name: names[c]!(e.name), at: ref(e.at, oldHost) };
        if (e.addresses) out['addresses'] = trList(e.addresses);
        if (e.bridge !== undefined) {
          if (idMap.has(e.bridge)) out['bridge'] = idMap.get(e.bridge);
          else delete out['bridge'];
        }
        if (c === 'masquerades') out['source'] = tr(e['source' as keyof typeof e] as string);
        if (c === 'portForwards') out['to'] = tr(e['to' as keyof typeof e] as string);
        if (c === 'policies') out['protects'] = trList(raw['protects'] as string[]);
        return out;
      }),
    ]),
  ) as unknown as Pick<Design, (typeof PLACED)[number]>;

  let next: Design = {
    ...d,
    hosts: [...d.hosts, ...hosts],
    namespaces: [...d.namespaces, ...namespaces],
    ...Object.fromEntries(PLACED.map((c) => [c, [...(d[c] as object[]), ...(placed[c] as object[])]])),
  };

  // Veths: rewire ends; ends outside copied namespaces get fresh kernel names.
  const hostOfEnd = (at: string) => {
    for (const n of frag.namespaces) if (n.id === at) return n.host;
    const fromHost = clip.fromHost[at];
    return fromHost ?? at;
  };
  for (const v of frag.veths) {
    const name = names['veths']!(v.name);
    const ends = (['a', 'b'] as const).map((k) => ({ ...v[k], at: ref(v[k].at, hostOfEnd(v[k].at)), addresses: trList(v[k].addresses) }));
    const veth = { id: idMap.get(v.id)!, name, a: ends[0]!, b: ends[1]! };
    next = { ...next, veths: [...next.veths, veth] };
    const index = new DesignIndex(next);
    const resolved = resolveNames(next, index);
    for (const k of ['a', 'b'] as const) {
      if (keepIfname(v[k].at)) continue;
      const place = index.place(veth[k].at);
      const other = veth[k === 'a' ? 'b' : 'a'].at;
      const otherName = lookup(next).byId.get(other)?.element as { name?: string } | undefined;
      const taken = new Set(resolved.filter((r) => place && r.hostId === place.host.id && r.ns === (place.ns?.name ?? '') && !(r.element === veth.id && r.end === k)).map((r) => r.ifname));
      const base = `v-${ifnameFragment(otherName?.name ?? name)}`;
      let ifname = ifnameWithSuffix(base, '');
      for (let n = 2; taken.has(ifname); n++) ifname = ifnameWithSuffix(base, `-${n}`);
      veth[k] = { ...veth[k], ifname };
      next = { ...next, veths: next.veths.map((x) => (x.id === veth.id ? veth : x)) };
    }
  }

  // Layout. Copied hosts go right of everything, their contents with them; other elements
  // keep their spot plus the paste offset (shifted into the target frame if it differs).
  const nodes = { ...next.layout.nodes };
  const frames = { ...next.layout.frames };
  const hostShift = new Map<string, XY>();
  let right = Math.max(0, ...d.hosts.map((h) => frameRect(d, h.id).x + frameRect(d, h.id).width));
  for (const h of frag.hosts) {
    const old = clip.positions[h.id] as { x: number; y: number; width?: number; height?: number };
    const width = old.width ?? FRAME_MIN.width;
    frames[idMap.get(h.id)!] = { x: right + 60, y: old.y, width, height: old.height ?? FRAME_MIN.height };
    hostShift.set(h.id, { x: right + 60 - old.x, y: 0 });
    right += 60 + width;
  }
  const place = (pos: XY, oldHost: string): XY => {
    const copied = hostShift.get(oldHost);
    if (copied) return { x: pos.x + copied.x, y: pos.y + copied.y };
    const target = hostFor(oldHost);
    const from = clip.origins[oldHost];
    const to = next.hosts.some((x) => x.id === target) ? frameRect(next, target) : undefined;
    const shift = target !== oldHost && from && to ? { x: to.x - from.x, y: to.y - from.y } : { x: 0, y: 0 };
    return { x: pos.x + shift.x + offset.x, y: pos.y + shift.y + offset.y };
  };

  // NICs copied on their own.
  const pastedNics: string[] = [];
  for (const { hostId, nic, position } of clip.nics) {
    const h = hostFor(hostId);
    const host = next.hosts.find((x) => x.id === h)!;
    const fresh = { ...nic, name: nextFree(stem(nic.name) || 'eth', new Set(host.nics.map((n) => n.name)), 0), management: false };
    next = { ...next, hosts: next.hosts.map((x) => (x.id === h ? { ...x, nics: [...x.nics, fresh] } : x)) };
    const id = `nic:${h}:${fresh.name}`;
    pastedNics.push(id);
    nodes[id] = place(position, hostId);
  }
  for (const h of frag.hosts) {
    for (const nic of h.nics) {
      const pos = clip.positions[`nic:${h.id}:${nic.name}`];
      if (pos) nodes[`nic:${idMap.get(h.id)!}:${nic.name}`] = place(pos, h.id);
    }
  }
  for (const [old, id] of idMap) {
    const pos = clip.positions[old];
    if (!pos || frag.hosts.some((h) => h.id === old)) continue;
    nodes[id] = place(pos, clip.fromHost[old] ?? '');
  }
  next = { ...next, layout: { nodes, frames } };
  const touchedHosts = new Set([...next.hosts.map((h) => h.id)].filter((h) => !design.hosts.some((x) => x.id === h) || Object.values(clip.fromHost).some((o) => hostFor(o) === h) || clip.nics.some((n) => hostFor(n.hostId) === h)));
  next = fitFrames(next, touchedHosts);
  return { design: next, ids: [...idMap.values(), ...pastedNics] };
}
