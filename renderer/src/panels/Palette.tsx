// The palette: drag a kind onto the canvas (HTML5 drag and drop), or click to add it to
// the selected host (first free slot).
import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { PALETTE_MIME } from '../canvas/dnd';
import { revealPoint } from '../canvas/reveal';
import { KindIcon } from '../canvas/icons';
import { KIND_HINT, KIND_LABEL, PALETTE_KINDS, type NodeKind } from '../model/kinds';
import { frameRect, freeSlotCentre } from '../model/layout';
import { lookup } from '../model/lookup';
import { useEditor } from '../store/designStore';

export function Palette() {
  const rf = useReactFlow();
  const onDragStart = (e: DragEvent, kind: NodeKind) => {
    e.dataTransfer.setData(PALETTE_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  const add = (kind: NodeKind) => {
    const s = useEditor.getState();
    const d = s.design;
    const host = s.selection.map((id) => lookup(d).byId.get(id)?.hostId).find(Boolean) ?? d.hosts[0]?.id;
    let point;
    if (kind === 'host') {
      const right = Math.max(0, ...d.hosts.map((h) => frameRect(d, h.id).x + frameRect(d, h.id).width + 60));
      point = { x: right + 180, y: 17 };
      if (d.hosts.length === 0) {
        const el = document.querySelector('.react-flow');
        const r = el?.getBoundingClientRect();
        point = rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 800) / 2, y: (r?.top ?? 0) + 120 });
      }
    } else if (host) point = freeSlotCentre(d, host, kind);
    else {
      const r = document.querySelector('.react-flow')?.getBoundingClientRect();
      point = rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 800) / 2, y: (r?.top ?? 0) + (r?.height ?? 600) / 2 });
    }
    const id = s.addNode(kind, point, host);
    if (kind === 'host' || !host) void rf.fitView({ nodes: [{ id: lookup(useEditor.getState().design).byId.get(id)?.hostId ?? id }], duration: 200, maxZoom: 1.2 });
    else revealPoint(rf, point);
  };
  return (
    <nav className="palette" aria-label="Palette" data-testid="palette">
      {PALETTE_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          className={`palette-item kind-${kind}`}
          draggable
          onDragStart={(e) => onDragStart(e, kind)}
          onClick={() => add(kind)}
          title={`${KIND_HINT[kind]} — drag onto the canvas or click to add`}
          data-testid={`palette-${kind}`}
        >
          <KindIcon kind={kind} size={22} />
          <span>{KIND_LABEL[kind]}</span>
        </button>
      ))}
    </nav>
  );
}
