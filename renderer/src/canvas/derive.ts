// Design -> React Flow nodes and edges. Pure and incremental: a node object is reused
// (same identity) while its inputs are unchanged, so React Flow and React skip it. Node
// data carries nothing but the kind; components read their element from the store.
import type { Edge, Node } from '@xyflow/react';
import type { Design } from '../../../shared/model/schema';
import { KIND_LABEL, NODE_SIZE, type NodeKind } from '../model/kinds';
import { childPosition, frameRect } from '../model/layout';
import type { DragState } from '../store/designStore';
import { lookup } from '../model/lookup';
import { relations, type RelationType } from '../model/relations';

export type CanvasNode = Node<{ kind: NodeKind }, NodeKind>;
export type CanvasEdge = Edge<{ relation: RelationType }, 'veth' | 'ref'>;

interface Cached<T> {
  sig: string;
  value: T;
}

export class Deriver {
  private nodeCache = new Map<string, Cached<CanvasNode>>();
  private edgeCache = new Map<string, Cached<CanvasEdge>>();
  private lastNodes: CanvasNode[] = [];
  private lastEdges: CanvasEdge[] = [];

  nodes(design: Design, selection: ReadonlySet<string>, drag: Record<string, DragState> | null): CanvasNode[] {
    const { byId, childrenOf } = lookup(design);
    const out: CanvasNode[] = [];
    const seen = new Map<string, Cached<CanvasNode>>();
    const emit = (id: string, sig: string, make: () => CanvasNode) => {
      const old = this.nodeCache.get(id);
      const c = old && old.sig === sig ? old : { sig, value: make() };
      seen.set(id, c);
      out.push(c.value);
    };
    for (const h of design.hosts) {
      const stored = frameRect(design, h.id);
      const p = drag?.[h.id] ?? stored;
      const r = { width: p.width ?? stored.width, height: p.height ?? stored.height };
      const sel = selection.has(h.id);
      emit(h.id, `host|${p.x}|${p.y}|${r.width}|${r.height}|${sel}|${h.name}`, () => ({
        id: h.id,
        ariaLabel: `Host ${h.name}`,
        type: 'host',
        data: { kind: 'host' },
        position: { x: p.x, y: p.y },
        width: r.width,
        height: r.height,
        measured: { width: r.width, height: r.height },
        selected: sel,
        // Frames at -2, edges at -1 (see below), elements at 0: edges are clickable over a
        // frame and never cover an element's port.
        zIndex: -2,
        dragHandle: '.frame-drag',
      }));
      for (const id of childrenOf.get(h.id) ?? []) {
        const e = byId.get(id)!;
        const kind = e.kind as Exclude<NodeKind, 'host'>;
        const size = NODE_SIZE[kind];
        const q = drag?.[id] ?? childPosition(design, id);
        const s = selection.has(id);
        // An accessible name: what the node is, by the names the user gave.
        const ariaLabel = `${KIND_LABEL[kind]} ${(e.element as { name?: string }).name ?? id} on ${h.name}`;
        emit(id, `${kind}|${h.id}|${q.x}|${q.y}|${s}|${ariaLabel}`, () => ({
          id,
          ariaLabel,
          type: kind,
          data: { kind },
          position: { x: q.x, y: q.y },
          parentId: h.id,
          width: size.width,
          height: size.height,
          measured: { ...size },
          selected: s,
        }));
      }
    }
    this.nodeCache = seen;
    if (out.length === this.lastNodes.length && out.every((n, i) => n === this.lastNodes[i])) return this.lastNodes;
    this.lastNodes = out;
    return out;
  }

  edges(design: Design, selection: ReadonlySet<string>): CanvasEdge[] {
    const out: CanvasEdge[] = [];
    const seen = new Map<string, Cached<CanvasEdge>>();
    const byId = lookup(design).byId;
    const nameOf = (id: string) => (byId.get(id)?.element as { name?: string } | undefined)?.name ?? '';
    for (const r of relations(design)) {
      const sel = selection.has(r.id);
      // Named by names, not ids (React Flow's default label says "Edge from <id> to <id>").
      const ariaLabel = r.type === 'veth' ? `Link ${nameOf(r.id)}: ${nameOf(r.source)} to ${nameOf(r.target)}` : `${nameOf(r.source)} to ${nameOf(r.target)}`;
      const sig = `${r.type}|${r.source}|${r.target}|${sel}|${ariaLabel}`;
      const old = this.edgeCache.get(r.id);
      const c =
        old && old.sig === sig
          ? old
          : {
              sig,
              value: {
                id: r.id,
                type: r.type === 'veth' ? ('veth' as const) : ('ref' as const),
                source: r.source,
                target: r.target,
                selected: sel,
                ariaLabel,
                data: { relation: r.type },
                // Edge z = this + the nodes' z: one below the elements, level with (and drawn over) the frame.
                zIndex: -1,
              },
            };
      seen.set(r.id, c);
      out.push(c.value);
    }
    this.edgeCache = seen;
    if (out.length === this.lastEdges.length && out.every((e, i) => e === this.lastEdges[i])) return this.lastEdges;
    this.lastEdges = out;
    return out;
  }
}

/**
 * The nodes with a drag in progress applied: only the dragged nodes get new objects (a
 * position, and for a frame being resized a size); every other node keeps its identity.
 */
export function withDrag(nodes: CanvasNode[], drag: Record<string, DragState>): CanvasNode[] {
  let out: CanvasNode[] | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const d = drag[n.id];
    if (!d) continue;
    out ??= nodes.slice();
    const width = d.width ?? n.width;
    const height = d.height ?? n.height;
    out[i] = { ...n, position: { x: d.x, y: d.y }, ...(width !== undefined && height !== undefined ? { width, height, measured: { width, height } } : {}) };
  }
  return out ?? nodes;
}
