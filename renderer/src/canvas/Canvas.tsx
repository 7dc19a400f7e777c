// The canvas: React Flow over nodes/edges derived from the design. Everything the user
// does here becomes a named store action; a drag is one action, committed on drag stop.
import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  useStoreApi,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { connectionRefusal } from '../model/connect';
import type { NodeKind } from '../model/kinds';
import { lookup } from '../model/lookup';
import { designBounds, elementBox } from '../model/layout';
import { relations } from '../model/relations';
import { useEditor, type DragState } from '../store/designStore';
import { Deriver, withDrag, type CanvasEdge, type CanvasNode } from './derive';
import { RefEdge } from './edges/RefEdge';
import { LabelPlacer } from './edges/LabelPlacer';
import { Welcome } from './Welcome';
import { VethEdge } from './edges/VethEdge';
import { elementNodeTypes } from './nodes/ElementNode';
import { HostFrame } from './nodes/HostFrame';
import { LargeMiniMap } from './LargeMiniMap';
import { OverviewLayer } from './OverviewLayer';
import { PALETTE_MIME } from './dnd';
import { useRateClock } from '../live/rateClock';
import { openShellOn, shellLabel, useShellMenu } from '../terminal/ShellMenu';
import { canCapture, useCaptureMenu } from '../capture/CaptureMenu';

// Rate labels hold still while the user drags or pans (see live/rateClock.ts).
const busy = () => useRateClock.getState().setBusy(true);
const idle = () => useRateClock.getState().setBusy(false);

const nodeTypes = { host: HostFrame, ...elementNodeTypes };
const edgeTypes = { veth: VethEdge, ref: RefEdge };

const SNAP: [number, number] = [10, 10];

const NO_EDGES: CanvasEdge[] = [];
const NO_NODES: CanvasNode[] = [];

/** Opening a design shows all of it: padding around it, and no closer than this. */
const FIT_PADDING = 0.15;
const FIT_MAX_ZOOM = 1.2;
const MIN_ZOOM = 0.05;

/** Zoom used when jumping to one element. */
const FOCUS_ZOOM = 1.1;

/** Below this zoom a large design is drawn as an overview (one SVG) instead of nodes. */
export const OVERVIEW_BELOW_ZOOM = 0.3;

/** Above this many nodes a far zoomed-out view is drawn as an overview. */
export const LARGE_DESIGN = 300;

/** Above this many nodes only what is on screen is rendered, and the minimap is drawn from the design. */
export const VISIBLE_ONLY_ABOVE = 120;

const MINIMAP_COLORS: Partial<Record<NodeKind, string>> = {
  host: 'rgba(120,130,150,0.25)',
  namespace: '#4f7cff',
  bridge: '#1faa7a',
  nic: '#777',
};

/** Ctrl+0: the view at 100% around its centre (labels are sized for reading there). */
function ActualSizeKey() {
  const rf = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key !== '0') return;
      e.preventDefault();
      void rf.zoomTo(1, { duration: 0 });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [rf]);
  return null;
}

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
  const [fittedSerial, setFittedSerial] = useState(docSerial);
  const refitting = docSerial !== fittedSerial && docSerial > 0;
  const rf = useReactFlow<CanvasNode, CanvasEdge>();
  const flowStore = useStoreApi();

  const selected = useMemo(() => new Set(selection), [selection]);
  // The design's nodes change when the design or the selection does; a drag in progress
  // only swaps the dragged nodes' objects in (no re-derivation of thousands of nodes per move).
  const baseNodes = useMemo(() => deriver.nodes(design, selected, null), [deriver, design, selected]);
  const allNodes = useMemo(() => (drag ? withDrag(baseNodes, drag) : baseNodes), [baseNodes, drag]);
  const allEdges = useMemo(() => deriver.edges(design, selected), [deriver, design, selected]);
  // Large and zoomed far out: elements are drawn by one overview SVG, frames stay nodes.
  const zoomedOut = useFlowStore((s) => s.transform[2] < OVERVIEW_BELOW_ZOOM);
  const overview = zoomedOut && allNodes.length > LARGE_DESIGN;
  const frameNodes = useMemo(() => allNodes.filter((n) => n.type === 'host'), [allNodes]);
  const nodes = refitting ? NO_NODES : overview ? frameNodes : allNodes;
  const edges = overview || refitting ? NO_EDGES : allEdges;

  // Pointer moves can come faster than frames: positions are gathered and given to the
  // store once per animation frame (a drag never enters history; see designStore).
  const pendingDrag = useRef<Record<string, DragState> | null>(null);
  const frame = useRef(0);
  const flushDrag = useCallback(() => {
    frame.current = 0;
    const moved = pendingDrag.current;
    pendingDrag.current = null;
    // A drag that ended meanwhile was committed (and the drag state cleared) already.
    if (moved && dragging.current) useEditor.getState().setDrag(moved);
  }, []);
  const dragging = useRef(false);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    let moved: Record<string, DragState> | undefined;
    const base = () => ({ ...(pendingDrag.current ?? useEditor.getState().drag ?? {}) });
    for (const c of changes) {
      if (c.type === 'position' && c.dragging && c.position) (moved ??= base())[c.id] = c.position;
      // A frame being resized (bottom-right control): keep its live size until the resize ends.
      if (c.type === 'dimensions' && c.resizing && c.dimensions) {
        moved ??= base();
        const n = rf.getInternalNode(c.id);
        const at = moved[c.id] ?? n?.position ?? { x: 0, y: 0 };
        moved[c.id] = { x: at.x, y: at.y, width: c.dimensions.width, height: c.dimensions.height };
      }
    }
    // A drag or resize that ended: nothing pending may land after its commit.
    if (changes.some((c) => (c.type === 'position' && c.dragging === false) || (c.type === 'dimensions' && c.resizing === false))) {
      dragging.current = false;
      pendingDrag.current = null;
      moved = undefined;
    }
    if (moved) {
      dragging.current = true;
      pendingDrag.current = moved;
      if (!frame.current) frame.current = requestAnimationFrame(flushDrag);
    }
    applySelection(changes as { id: string; type: string; selected?: boolean }[]);
  }, [rf, flushDrag]);

  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => {
    applySelection(changes as { id: string; type: string; selected?: boolean }[]);
  }, []);

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, _node, dragged) => {
      idle();
      dragging.current = false;
      const moved = pendingDrag.current ?? useEditor.getState().drag;
      pendingDrag.current = null;
      const moves = dragged.map((n) => {
        const parent = n.parentId ? rf.getInternalNode(n.parentId) : undefined;
        const base = parent ? parent.internals.positionAbsolute : { x: 0, y: 0 };
        return { id: n.id, absolute: { x: base.x + n.position.x, y: base.y + n.position.y } };
      });
      // A click without movement is not a move.
      if (!moved) return;
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

  // Zoom to an element when asked (diagnostics, search). Bounds come from the design, so
  // this works even when the element is not a rendered node (overview, off-screen).
  useEffect(() => {
    if (!focus) return;
    const d = useEditor.getState().design;
    const entry = lookup(d).byId.get(focus.id);
    const rel = !entry || entry.kind === 'veth' ? relations(d).find((r) => r.id === focus.id) : undefined;
    const ids = rel ? [rel.source, rel.target] : [focus.id];
    const boxes = ids.map((id) => elementBox(d, id)).filter((b): b is NonNullable<typeof b> => !!b);
    if (boxes.length === 0) return;
    const x1 = Math.min(...boxes.map((b) => b.x));
    const y1 = Math.min(...boxes.map((b) => b.y));
    const x2 = Math.max(...boxes.map((b) => b.x + b.width));
    const y2 = Math.max(...boxes.map((b) => b.y + b.height));
    if (boxes.length === 1 && entry?.kind !== 'host') void rf.setCenter((x1 + x2) / 2, (y1 + y2) / 2, { zoom: FOCUS_ZOOM, duration: 250 });
    else void rf.fitBounds({ x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, { padding: 0.3, duration: 250 });
  }, [focus, rf]);

  // A different document: show all of it. The view is fitted to the design's bounds before
  // its nodes are first drawn: drawing thousands of nodes at the old view only to replace
  // them by the overview a frame later was most of the time it took to open a big design.
  useLayoutEffect(() => {
    if (!refitting) return;
    const b = designBounds(useEditor.getState().design);
    const { width, height } = flowStore.getState();
    if (b && width > 0 && height > 0) {
      const pad = 1 + 2 * FIT_PADDING;
      const zoom = Math.max(MIN_ZOOM, Math.min(FIT_MAX_ZOOM, width / (b.width * pad), height / (b.height * pad)));
      void rf.setViewport({ x: width / 2 - (b.x + b.width / 2) * zoom, y: height / 2 - (b.y + b.height / 2) * zoom, zoom });
    }
    setFittedSerial(docSerial);
  }, [refitting, docSerial, rf, flowStore]);

  // A shell on a namespace (double-click, or the context menu) or a host frame (context menu).
  const onNodeDoubleClick = useCallback((_e: ReactMouseEvent, node: CanvasNode) => {
    if (node.type === 'namespace') openShellOn(node.id);
  }, []);
  const onNodeContextMenu = useCallback((e: ReactMouseEvent, node: CanvasNode) => {
    if (shellLabel(node.id)) {
      e.preventDefault();
      useShellMenu.getState().show(e.clientX, e.clientY, node.id);
    } else if (canCapture(node.id)) {
      // Bridges and interfaces: capture packets on them.
      e.preventDefault();
      useCaptureMenu.getState().show(e.clientX, e.clientY, node.id);
    }
  }, []);
  // A veth link: capture on either of its ends.
  const onEdgeContextMenu = useCallback((e: ReactMouseEvent, edge: CanvasEdge) => {
    if (!canCapture(edge.id)) return;
    e.preventDefault();
    useCaptureMenu.getState().show(e.clientX, e.clientY, edge.id);
  }, []);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={busy}
        onNodeDragStop={onNodeDragStop}
        onMoveStart={busy}
        onMoveEnd={idle}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        isValidConnection={isValidConnection}
        connectionMode={ConnectionMode.Loose}
        connectionRadius={28}
        snapToGrid
        snapGrid={SNAP}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        onlyRenderVisibleElements={nodes.length > VISIBLE_ONLY_ABOVE}
        elevateNodesOnSelect={false}
        minZoom={MIN_ZOOM}
        maxZoom={3}
        colorMode={theme}
        defaultViewport={{ x: 40, y: 40, zoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1.2} />
        {overview && <OverviewLayer />}
        {allNodes.length === 0 ? null : allNodes.length > VISIBLE_ONLY_ABOVE ? <LargeMiniMap /> : <MiniMap pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.type as NodeKind] ?? '#d08a2c'} />}
        <Controls showInteractive={false} />
        <LabelPlacer />
        <ActualSizeKey />
      </ReactFlow>
      <Welcome />
    </div>
  );
}
