// Auto-layout as data: the design -> an ELK graph (one compound node per host), and the
// ELK result -> a new design.layout. Pure; the ELK run itself happens in a Web Worker.
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk-api';
import type { Design } from '../../../shared/model/schema';
import { FRAME_HEADER, FRAME_MIN, FRAME_PAD, NODE_SIZE, type NodeKind } from '../model/kinds';
import { lookup } from '../model/lookup';
import { relations } from '../model/relations';

/**
 * A veth's end labels ("eth0 10.0.0.2/24") as ELK edge labels at its head and tail, sized
 * like the canvas draws them, so the layered layout leaves room for them between layers
 * (where they used to pile up on short edges). Their positions are not used: the canvas
 * places labels itself (canvas/labelPlacement.ts).
 */
const LABEL_CHAR_PX = 6.6;
const LABEL_HEIGHT = 16;

export function endLabels(design: Design, edgeId: string): ElkLabel[] {
  const v = design.veths.find((x) => x.id === edgeId);
  if (!v) return [];
  return (['a', 'b'] as const).map((side) => {
    const end = v[side];
    const text = [end.ifname ?? 'eth0', ...end.addresses.slice(0, 1)].join(' ');
    return {
      id: `${edgeId}:${side}`,
      text,
      width: Math.ceil(text.length * LABEL_CHAR_PX) + 8,
      height: LABEL_HEIGHT,
      layoutOptions: { 'elk.edgeLabels.placement': side === 'a' ? 'TAIL' : 'HEAD' },
    };
  });
}

const LAYOUT_OPTIONS = {
  'elk.edgeLabels.inline': 'false',
  'elk.spacing.edgeLabel': '4',
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
        .map((r) => {
          const labels = endLabels(design, r.id);
          return { id: r.id, sources: [r.source], targets: [r.target], ...(labels.length ? { labels } : {}) };
        });
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
