// The canvas: React Flow over nodes/edges derived from the design. Everything the user
// does here becomes a named store action; a drag is one action, committed on drag stop.
import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { connectionRefusal } from '../model/connect';
import type { NodeKind } from '../model/kinds';
import { lookup } from '../model/lookup';
import { relations } from '../model/relations';
import { useEditor, type DragState } from '../store/designStore';
import { Deriver, type CanvasEdge, type CanvasNode } from './derive';
import { RefEdge } from './edges/RefEdge';
import { VethEdge } from './edges/VethEdge';
import { elementNodeTypes } from './nodes/ElementNode';
import { HostFrame } from './nodes/HostFrame';
import { PALETTE_MIME } from './dnd';

const nodeTypes = { host: HostFrame, ...elementNodeTypes };
const edgeTypes = { veth: VethEdge, ref: RefEdge };

const SNAP: [number, number] = [10, 10];

/** Above this many nodes only what is on screen is rendered. */
export const LARGE_DESIGN = 300;

const MINIMAP_COLORS: Partial<Record<NodeKind, string>> = {
  host: 'rgba(120,130,150,0.25)',
  namespace: '#4f7cff',
  bridge: '#1faa7a',
  nic: '#777',
};

function applySelection(changes: { id: string; type: string; selected?: boolean }[]) {
  const selects = changes.filter((c) => c.type === 'select');
  if (selects.length === 0) return;
  const { selection, select } = useEditor.getState();
  const next = new Set(selection);
  for (const c of selects) {
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  select([...next]);
}

export function Canvas() {
  const design = useEditor((s) => s.design);
  const selection = useEditor((s) => s.selection);
  const drag = useEditor((s) => s.drag);
  const focus = useEditor((s) => s.focus);
  const docSerial = useEditor((s) => s.docSerial);
  const theme = useEditor((s) => s.theme);
  const [deriver] = useState(() => new Deriver());
  const rf = useReactFlow<CanvasNode, CanvasEdge>();

  const selected = useMemo(() => new Set(selection), [selection]);
  const nodes = useMemo(() => deriver.nodes(design, selected, drag), [deriver, design, selected, drag]);
  const edges = useMemo(() => deriver.edges(design, selected), [deriver, design, selected]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    let moved: Record<string, DragState> | undefined;
    for (const c of changes) {
      if (c.type === 'position' && c.dragging && c.position) (moved ??= { ...(useEditor.getState().drag ?? {}) })[c.id] = c.position;
      // A frame being resized (bottom-right control): keep its live size until the resize ends.
      if (c.type === 'dimensions' && c.resizing && c.dimensions) {
        moved ??= { ...(useEditor.getState().drag ?? {}) };
        const n = rf.getInternalNode(c.id);
        const at = moved[c.id] ?? n?.position ?? { x: 0, y: 0 };
        moved[c.id] = { x: at.x, y: at.y, width: c.dimensions.width, height: c.dimensions.height };
      }
    }
    if (moved) useEditor.getState().setDrag(moved);
    applySelection(changes as { id: string; type: string; selected?: boolean }[]);
  }, [rf]);

  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => {
    applySelection(changes as { id: string; type: string; selected?: boolean }[]);
  }, []);

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, _node, dragged) => {
      const moves = dragged.map((n) => {
        const parent = n.parentId ? rf.getInternalNode(n.parentId) : undefined;
        const base = parent ? parent.internals.positionAbsolute : { x: 0, y: 0 };
        return { id: n.id, absolute: { x: base.x + n.position.x, y: base.y + n.position.y } };
      });
      // A click without movement is not a move.
      if (!useEditor.getState().drag) return;
      useEditor.getState().moveNodes(moves);
    },
    [rf],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c) => connectionRefusal(useEditor.getState().design, c.source, c.target) === undefined,
    [],
  );

  const onConnect = useCallback((c: { source: string; target: string }) => {
    useEditor.getState().connect(c.source, c.target);
  }, []);

  /** Dropping a connection on a node's body (not its port) connects to that node too. */
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromNode) return;
    const point = 'changedTouches' in event ? event.changedTouches[0] : event;
    if (!point) return;
    const el = document.elementFromPoint(point.clientX, point.clientY)?.closest('.react-flow__node');
    const target = el?.getAttribute('data-id');
    if (target && target !== state.fromNode.id) useEditor.getState().connect(state.fromNode.id, target);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME) as NodeKind;
      if (!kind) return;
      e.preventDefault();
      useEditor.getState().addNode(kind, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [rf],
  );

  // Zoom to an element when asked (diagnostics, search).
  useEffect(() => {
    if (!focus) return;
    const d = useEditor.getState().design;
    const rel = lookup(d).byId.has(focus.id) ? undefined : relations(d).find((r) => r.id === focus.id);
    const veth = lookup(d).byId.get(focus.id)?.kind === 'veth' ? relations(d).find((r) => r.id === focus.id) : undefined;
    const ends = rel ?? veth;
    const ids = ends ? [ends.source, ends.target] : [focus.id];
    void rf.fitView({ nodes: ids.map((id) => ({ id })), duration: 250, maxZoom: 1.25, padding: 0.6 });
  }, [focus, rf]);

  // A different document: show all of it.
  useEffect(() => {
    if (docSerial > 0) requestAnimationFrame(() => void rf.fitView({ padding: 0.15, maxZoom: 1.2 }));
  }, [docSerial, rf]);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        connectionMode={ConnectionMode.Loose}
        connectionRadius={28}
        snapToGrid
        snapGrid={SNAP}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        onlyRenderVisibleElements={nodes.length > LARGE_DESIGN}
        elevateNodesOnSelect={false}
        minZoom={0.05}
        maxZoom={3}
        colorMode={theme}
        defaultViewport={{ x: 40, y: 40, zoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1.2} />
        <MiniMap pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.type as NodeKind] ?? '#d08a2c'} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
