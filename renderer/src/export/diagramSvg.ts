// The diagram as a standalone SVG document, drawn from the design (not scraped from the
// DOM): host frames, elements with their icons, names and summaries, veths with their
// kernel names, references dashed.
import type { Design } from '../../../shared/model/schema';
import { ICON_ATTRS, ICON_MARKUP } from '../canvas/icons';
import { borderPoint, centre, endLabelSpot, type Box } from '../canvas/geometry';
import { summary } from '../canvas/summary';
import { FRAME_HEADER, NODE_SIZE, type NodeKind } from '../model/kinds';
import { absolutePosition, frameRect } from '../model/layout';
import { lookup } from '../model/lookup';
import { relations } from '../model/relations';

export interface SvgColors {
  background: string;
  frame: string;
  frameFill: string;
  node: string;
  nodeStroke: string;
  text: string;
  muted: string;
  edge: string;
  accent: Record<string, string>;
}

export const LIGHT_COLORS: SvgColors = {
  background: '#ffffff',
  frame: '#8a94a6',
  frameFill: '#f4f6fa',
  node: '#ffffff',
  nodeStroke: '#c5cbd6',
  text: '#1d2330',
  muted: '#5b6475',
  edge: '#3a4252',
  accent: { namespace: '#4f7cff', bridge: '#1faa7a', nic: '#6b7280', host: '#5b6475' },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function diagramSvg(design: Design, colors: SvgColors = LIGHT_COLORS): { svg: string; width: number; height: number } {
  const { byId, childrenOf } = lookup(design);
  const boxes = new Map<string, Box>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (b: Box) => {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  };
  for (const h of design.hosts) {
    const f = frameRect(design, h.id);
    grow(f);
    boxes.set(h.id, { x: f.x, y: f.y + FRAME_HEADER / 2, width: 0, height: 0 });
    for (const id of childrenOf.get(h.id) ?? []) {
      const p = absolutePosition(design, id)!;
      const b = { ...p, ...NODE_SIZE[byId.get(id)!.kind as Exclude<NodeKind, 'host'>] };
      boxes.set(id, b);
    }
  }
  if (!isFinite(minX)) {
    minX = minY = 0;
    maxX = 400;
    maxY = 200;
  }
  const pad = 24;
  const vx = minX - pad;
  const vy = minY - pad;
  const width = Math.ceil(maxX - minX + 2 * pad);
  const height = Math.ceil(maxY - minY + 2 * pad);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${vx} ${vy} ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<title>${esc(design.name)}</title>`,
    `<rect x="${vx}" y="${vy}" width="${width}" height="${height}" fill="${colors.background}"/>`,
  );
  for (const h of design.hosts) {
    const f = frameRect(design, h.id);
    out.push(
      `<g class="host"><rect x="${f.x}" y="${f.y}" width="${f.width}" height="${f.height}" rx="10" fill="${colors.frameFill}" stroke="${colors.frame}" stroke-width="1.5"/>`,
      `<line x1="${f.x}" y1="${f.y + FRAME_HEADER}" x2="${f.x + f.width}" y2="${f.y + FRAME_HEADER}" stroke="${colors.frame}" stroke-opacity="0.4"/>`,
      `<svg x="${f.x + 10}" y="${f.y + 8}" width="18" height="18" viewBox="0 0 24 24" color="${colors.accent['host']}" ${ICON_ATTRS}>${ICON_MARKUP.host}</svg>`,
      `<text x="${f.x + 34}" y="${f.y + 22}" font-size="13" font-weight="600" fill="${colors.text}">${esc(h.name)}</text></g>`,
    );
  }
  for (const r of relations(design)) {
    const a = boxes.get(r.source);
    const b = boxes.get(r.target);
    if (!a || !b) continue;
    const p1 = borderPoint(a, centre(b));
    const p2 = borderPoint(b, centre(a));
    const dash = r.type === 'veth' ? '' : ' stroke-dasharray="5 4"';
    out.push(`<line x1="${p1.x}" y1="${p1.y}" x2="${p2.x}" y2="${p2.y}" stroke="${colors.edge}" stroke-width="${r.type === 'veth' ? 2 : 1.2}"${dash}/>`);
    if (r.type === 'veth') {
      const v = design.veths.find((x) => x.id === r.id)!;
      const label = (end: typeof v.a, from: { x: number; y: number }, to: { x: number; y: number }) => {
        const spot = endLabelSpot(from, to);
        const text = [end.ifname ?? '', end.addresses[0] ?? ''].filter(Boolean).join(' ');
        return text ? `<text x="${spot.x}" y="${spot.y}" font-size="10" text-anchor="${spot.anchor}" fill="${colors.muted}" stroke="${colors.background}" stroke-width="3" paint-order="stroke">${esc(text)}</text>` : '';
      };
      out.push(label(v.a, p1, p2), label(v.b, p2, p1));
    }
  }
  for (const [id, b] of boxes) {
    const e = byId.get(id)!;
    if (e.kind === 'host' || e.kind === 'veth') continue;
    const kind = e.kind as Exclude<NodeKind, 'host'>;
    const accent = colors.accent[kind] ?? '#d08a2c';
    out.push(
      `<g class="node"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="8" fill="${colors.node}" stroke="${colors.nodeStroke}"/>`,
      `<rect x="${b.x}" y="${b.y}" width="4" height="${b.height}" rx="2" fill="${accent}"/>`,
      `<svg x="${b.x + 10}" y="${b.y + b.height / 2 - 10}" width="20" height="20" viewBox="0 0 24 24" color="${accent}" ${ICON_ATTRS}>${ICON_MARKUP[kind]}</svg>`,
      `<text x="${b.x + 36}" y="${b.y + b.height / 2 - 2}" font-size="12" font-weight="600" fill="${colors.text}">${esc((e.element as { name: string }).name)}</text>`,
      `<text x="${b.x + 36}" y="${b.y + b.height / 2 + 12}" font-size="10" fill="${colors.muted}">${esc(summary(e).slice(0, 24))}</text></g>`,
    );
  }
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}
