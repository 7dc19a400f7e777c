// A readable canvas layout for an imported design: one frame per host; inside it the
// root's bridges and tunnels on top, namespaces in rows below (at most eight a row),
// NAT, port forwards and policies in a column on the right. Deterministic.
import type { Design, Layout } from '../model/schema';

const COL = 180;
const ROW = 170;
const MARGIN = 60;
const PER_ROW = 8;

export function importLayout(design: Pick<Design, 'hosts' | 'namespaces' | 'bridges' | 'macvlans' | 'vlans' | 'vxlans' | 'masquerades' | 'portForwards' | 'policies'>): Layout {
  const nodes: Layout['nodes'] = {};
  const frames: Layout['frames'] = {};
  let frameX = 0;
  for (const host of design.hosts) {
    const inHost = (at: string) => at === host.id || design.namespaces.some((n) => n.id === at && n.host === host.id);
    const top = [
      ...design.bridges.filter((b) => b.at === host.id).map((b) => b.id),
      ...design.vxlans.filter((x) => x.at === host.id).map((x) => x.id),
      ...design.vlans.filter((v) => v.at === host.id).map((v) => v.id),
      ...design.macvlans.filter((m) => m.at === host.id).map((m) => m.id),
    ];
    const namespaces = design.namespaces.filter((n) => n.host === host.id);
    const side = [...design.masquerades, ...design.portForwards, ...design.policies].filter((e) => inHost(e.at)).map((e) => e.id);
    const rows: string[][] = [];
    for (let i = 0; i < top.length; i += PER_ROW) rows.push(top.slice(i, i + PER_ROW));
    // A namespace's own bridges and tunnels sit right after it in its row.
    const nsItems = namespaces.flatMap((n) => [
      n.id,
      ...design.bridges.filter((b) => b.at === n.id).map((b) => b.id),
      ...design.vxlans.filter((x) => x.at === n.id).map((x) => x.id),
      ...design.vlans.filter((v) => v.at === n.id).map((v) => v.id),
      ...design.macvlans.filter((m) => m.at === n.id).map((m) => m.id),
    ]);
    for (let i = 0; i < nsItems.length; i += PER_ROW) rows.push(nsItems.slice(i, i + PER_ROW));
    let cols = 1;
    rows.forEach((row, r) => {
      cols = Math.max(cols, row.length);
      row.forEach((id, c) => {
        nodes[id] = { x: frameX + MARGIN + c * COL, y: MARGIN + r * ROW };
      });
    });
    const sideX = frameX + MARGIN + cols * COL;
    side.forEach((id, i) => {
      nodes[id] = { x: sideX, y: MARGIN + i * 80 };
    });
    const width = Math.max(640, MARGIN * 2 + cols * COL + (side.length ? COL : 0));
    const height = Math.max(400, MARGIN * 2 + Math.max(rows.length * ROW, side.length * 80));
    frames[host.id] = { x: frameX, y: 0, width, height };
    frameX += width + 40;
  }
  return { nodes, frames };
}
