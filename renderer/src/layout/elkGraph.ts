// Auto-layout as data: the design -> an ELK graph (one compound node per host), and the
// ELK result -> a new design.layout. Pure; the ELK run itself happens in a Web Worker.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Design } from '../../../shared/model/schema';
import { FRAME_HEADER, FRAME_MIN, FRAME_PAD, NODE_SIZE, type NodeKind } from '../model/kinds';
import { lookup } from '../model/lookup';
import { relations } from '../model/relations';

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '36',
  'elk.layered.spacing.nodeNodeBetweenLayers': '150',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '40',
};

export function elkGraph(design: Design): ElkNode {
  const { byId, childrenOf } = lookup(design);
  const rels = relations(design);
  return {
    id: '__root',
    layoutOptions: { 'elk.algorithm': 'box' },
    children: design.hosts.map((h) => {
      const kids = childrenOf.get(h.id) ?? [];
      const inHost = new Set(kids);
      const edges: ElkExtendedEdge[] = rels
        .filter((r) => inHost.has(r.source) && inHost.has(r.target))
        .map((r) => ({ id: r.id, sources: [r.source], targets: [r.target] }));
      return {
        id: h.id,
        layoutOptions: LAYOUT_OPTIONS,
        children: kids.map((id) => ({ id, ...NODE_SIZE[byId.get(id)!.kind as Exclude<NodeKind, 'host'>] })),
        edges,
      };
    }),
  };
}

/** New layout from ELK's per-host results; hosts are placed left to right. */
export function layoutFromElk(design: Design, result: ElkNode): Design['layout'] {
  const nodes: Design['layout']['nodes'] = {};
  const frames: Design['layout']['frames'] = {};
  let x = 0;
  for (const host of result.children ?? []) {
    let width = FRAME_MIN.width;
    let height = FRAME_MIN.height;
    for (const c of host.children ?? []) {
      const p = { x: Math.round((c.x ?? 0) + FRAME_PAD), y: Math.round((c.y ?? 0) + FRAME_HEADER + 16) };
      nodes[c.id] = { x: x + p.x, y: p.y };
      width = Math.max(width, p.x + (c.width ?? 0) + FRAME_PAD);
      height = Math.max(height, p.y + (c.height ?? 0) + FRAME_PAD);
    }
    frames[host.id] = { x, y: 0, width, height };
    x += width + 80;
  }
  // Keep entries of anything ELK did not see (should be none).
  for (const [id, p] of Object.entries(design.layout.nodes)) if (!(id in nodes)) nodes[id] = p;
  return { nodes, frames };
}
