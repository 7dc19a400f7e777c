// Lookups over a design: element by id, and where an element lives (host + namespace).
// Validation and the compiler share this so they agree on what a reference means.
import { ELEMENT_COLLECTIONS, type Bridge, type Design, type ElementCollection, type Host, type Namespace, type Veth } from './schema';

export interface ElementRef {
  collection: ElementCollection;
  index: number;
  element: { id: string; name: string };
}

/** A place an interface can live: a host's root namespace or a named namespace on it. */
export interface Placement {
  host: Host;
  /** Undefined means the host's root namespace. */
  ns?: Namespace;
  /** Set when the reference was a bridge: the interface is enslaved to it. */
  bridge?: Bridge;
  /**
   * A veth end on a bridge whose other end is on another host: it lives in that host's
   * root namespace, as a port of the bridge's stretch there (compile/stitch.ts).
   */
  stretched?: true;
}

export class DesignIndex {
  readonly byId = new Map<string, ElementRef>();
  readonly duplicateIds: string[] = [];

  constructor(readonly design: Design) {
    for (const collection of ELEMENT_COLLECTIONS) {
      design[collection].forEach((element, index) => {
        if (this.byId.has(element.id)) this.duplicateIds.push(element.id);
        else this.byId.set(element.id, { collection, index, element });
      });
    }
  }

  get<C extends ElementCollection>(collection: C, id: string): Design[C][number] | undefined {
    const ref = this.byId.get(id);
    return ref?.collection === collection ? (ref.element as Design[C][number]) : undefined;
  }

  host(id: string): Host | undefined {
    return this.get('hosts', id);
  }

  /**
   * Resolved placements by `at`, computed once: validation and the compiler resolve the
   * same few hosts, namespaces and bridges for thousands of interfaces. Callers treat
   * the returned Placement as read-only.
   */
  private readonly placements = new Map<string, Placement | undefined>();

  /** Resolves an `at` reference (host, namespace or bridge id). */
  place(at: string): Placement | undefined {
    if (this.placements.has(at)) return this.placements.get(at);
    const p = this.resolve(at);
    this.placements.set(at, p);
    return p;
  }

  private resolve(at: string): Placement | undefined {
    const ref = this.byId.get(at);
    if (!ref) return undefined;
    if (ref.collection === 'hosts') return { host: ref.element as Host };
    if (ref.collection === 'namespaces') {
      const ns = ref.element as Namespace;
      const host = this.host(ns.host);
      return host && { host, ns };
    }
    if (ref.collection === 'bridges') {
      const bridge = ref.element as Bridge;
      const inner = this.placeNoBridge(bridge.at);
      return inner && { ...inner, bridge };
    }
    return undefined;
  }

  /**
   * Where one end of a veth lives. A veth cannot leave its host, so an end on a bridge
   * whose other end is on another host (and not on a bridge there) becomes a port of the
   * bridge's segment stretched to that host: it lives in that host's root namespace.
   */
  placeEnd(v: Veth, end: 'a' | 'b'): Placement | undefined {
    const p = this.place(v[end].at);
    if (!p?.bridge) return p;
    const other = this.place(v[end === 'a' ? 'b' : 'a'].at);
    if (!other || other.bridge || other.host.id === p.host.id) return p;
    return { host: other.host, bridge: p.bridge, stretched: true };
  }

  /** Like place(), but only hosts and namespaces (where a bridge itself may live). */
  placeNoBridge(at: string): Placement | undefined {
    const ref = this.byId.get(at);
    if (ref?.collection !== 'hosts' && ref?.collection !== 'namespaces') return undefined;
    return this.place(at);
  }
}

/** Human key of a namespace within a host: "root" or the netns name. */
export function nsKey(p: Pick<Placement, 'ns'>): string {
  return p.ns ? p.ns.name : '';
}
