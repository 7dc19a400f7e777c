// The canvas's context menu for elements a shell can open on: a namespace (a shell inside
// it) and a host frame (the host's root namespace). Double-clicking a namespace opens one
// directly. Other elements keep the browser's own menu.
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import { useEditor } from '../store/designStore';
import { useTerminals } from './terminalStore';

interface MenuState {
  at: { x: number; y: number; elementId: string } | undefined;
  show(x: number, y: number, elementId: string): void;
  hide(): void;
}

export const useShellMenu = create<MenuState>((set) => ({
  at: undefined,
  show: (x, y, elementId) => set({ at: { x, y, elementId } }),
  hide: () => set({ at: undefined }),
}));

/** What a shell on this element is called, or undefined when none opens there. */
export function shellLabel(elementId: string): { label: string; menu: string } | undefined {
  const d = useEditor.getState().design;
  const ns = d.namespaces.find((n) => n.id === elementId);
  if (ns) return { label: ns.name, menu: `Open shell in ${ns.name}` };
  const host = d.hosts.find((h) => h.id === elementId);
  if (host) return { label: host.name, menu: `Open shell on ${host.name} (root namespace)` };
  return undefined;
}

export function openShellOn(elementId: string): void {
  const l = shellLabel(elementId);
  if (l) void useTerminals.getState().open(elementId, l.label);
}

export function ShellMenu() {
  const at = useShellMenu((s) => s.at);
  const hide = useShellMenu((s) => s.hide);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!at) return;
    ref.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && hide();
    const onDown = (e: PointerEvent) => !ref.current?.contains(e.target as Node) && hide();
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown, true);
    };
  }, [at, hide]);
  if (!at) return null;
  const l = shellLabel(at.elementId);
  if (!l) return null;
  return (
    <div className="context-menu" role="menu" ref={ref} style={{ left: at.x, top: at.y }} data-testid="context-menu">
      <button
        type="button"
        role="menuitem"
        onClick={() => {
          hide();
          openShellOn(at.elementId);
        }}
      >
        {l.menu}
      </button>
    </div>
  );
}
