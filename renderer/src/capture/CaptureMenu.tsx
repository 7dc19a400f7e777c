// The canvas's context menu for elements a capture can run on (a veth link's two ends, a
// bridge, macvlan, VLAN or VXLAN). Elements with a shell use the shell's menu instead.
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import { useEditor } from '../store/designStore';
import { captureChoices } from './captureTargets';
import { useCaptures } from './captureStore';

interface MenuState {
  at: { x: number; y: number; elementId: string } | undefined;
  show(x: number, y: number, elementId: string): void;
  hide(): void;
}

export const useCaptureMenu = create<MenuState>((set) => ({
  at: undefined,
  show: (x, y, elementId) => set({ at: { x, y, elementId } }),
  hide: () => set({ at: undefined }),
}));

/** Whether the element has a capture menu (the canvas keeps the browser's menu otherwise). */
export function canCapture(elementId: string): boolean {
  return captureChoices(useEditor.getState().design, elementId).length > 0;
}

export function CaptureMenu() {
  const at = useCaptureMenu((s) => s.at);
  const hide = useCaptureMenu((s) => s.hide);
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
  const choices = captureChoices(useEditor.getState().design, at.elementId);
  if (choices.length === 0) return null;
  return (
    <div className="context-menu" role="menu" ref={ref} style={{ left: at.x, top: at.y }} data-testid="capture-menu">
      {choices.map((c) => (
        <button
          key={c.element}
          type="button"
          role="menuitem"
          onClick={() => {
            hide();
            void useCaptures.getState().start(c.element, c.title);
          }}
        >
          {c.menu}
        </button>
      ))}
    </div>
  );
}
