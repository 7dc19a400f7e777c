// Shared steps for the designer's end-to-end specs: everything goes through the real UI
// (palette drag and drop, handle-to-handle drags, the inspector, keyboard shortcuts);
// the store is only read, to compare designs.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export interface DesignJson {
  hosts: { id: string; name: string; nics: { name: string }[] }[];
  namespaces: { id: string; name: string; host: string; routes: { to: string; via?: string }[] }[];
  bridges: { id: string; name: string; at: string; addresses: string[] }[];
  veths: { id: string; name: string; a: { at: string; ifname?: string; addresses: string[] }; b: { at: string; ifname?: string; addresses: string[] } }[];
  layout: { nodes: Record<string, { x: number; y: number }>; frames: Record<string, unknown> };
  [key: string]: unknown;
}

export async function openApp(page: Page): Promise<void> {
  // Turn on file-chooser interception now (it is enabled asynchronously); a spec that
  // later waits for a chooser then cannot race the page opening a native one.
  page.on('filechooser', () => undefined);
  // "Discard unsaved changes?" is answered yes; specs that care check the dialog themselves.
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

/** The design exactly as Save would write it. */
export function serialized(page: Page): Promise<string> {
  return page.evaluate(() => window.__wireplan!.serialized());
}

export async function design(page: Page): Promise<DesignJson> {
  return JSON.parse(await serialized(page)) as DesignJson;
}

export function canvas(page: Page): Locator {
  return page.getByTestId('canvas');
}

/** Drags a palette item onto the canvas at a point relative to the canvas. */
export async function drop(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${kind}`).dragTo(canvas(page), { targetPosition: { x, y } });
}

export function node(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

export function port(page: Page, id: string): Locator {
  return node(page, id).locator('.react-flow__handle').first();
}

/** Resolves once `locator` stays put for two animation frames (a view still panning moves it). */
export async function settled(page: Page, locator: Locator): Promise<void> {
  let prev = await locator.boundingBox();
  for (let i = 0; i < 100; i++) {
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    const box = await locator.boundingBox();
    if (prev && box && Math.abs(box.x - prev.x) < 0.5 && Math.abs(box.y - prev.y) < 0.5) return;
    prev = box;
  }
}

/** Drags from one node's port to another's (what the connection means depends on the kinds). */
export async function dragPort(page: Page, from: string, to: string): Promise<void> {
  // Adding an element pans to it: wait for the view to stop before grabbing a port.
  await settled(page, port(page, from));
  await settled(page, port(page, to));
  await port(page, from).dragTo(port(page, to));
}

/** Connects two containers with a veth by dragging from one's port to the other's port. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const before = (await design(page)).veths.length;
  await dragPort(page, from, to);
  await expect.poll(async () => (await design(page)).veths.length).toBe(before + 1);
}

/** Selects a node by clicking its name (the frame header for hosts). */
export async function select(page: Page, id: string, additive = false): Promise<void> {
  const target = node(page, id).locator('.el-name, .frame-name').first();
  await target.click({ modifiers: additive ? ['Control'] : [] });
  if (!additive) await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', id);
}

/** Types into the field named `name` inside `root` (a form, a card), replacing its value. */
export async function fillIn(root: Locator, name: string, value: string): Promise<void> {
  const input = root.locator(`[name="${name}"]`);
  await input.click();
  await input.press('Control+a');
  await input.pressSequentially(value);
  await input.press('Tab');
}

/** Types into an inspector field (by its path, e.g. "name" or "addresses[0]"), replacing the value. */
export function fill(page: Page, path: string, value: string): Promise<void> {
  return fillIn(page.getByTestId('inspector'), path, value);
}

/**
 * Clicks a link on a point of its line that nothing else covers, once the view stands still:
 * a label or badge may sit on the midpoint, so this walks the path and takes the first point
 * whose topmost element is this link's line.
 */
export async function clickEdge(page: Page, id: string, button: 'left' | 'right' = 'left'): Promise<void> {
  const edge = page.locator(`.react-flow__edge[data-id="${id}"]`);
  await settled(page, edge); // a view still moving (Problems reveals what it selects) would move the point
  const at = await edge.evaluate((g) => {
    const path = g.querySelector('.react-flow__edge-interaction') as SVGPathElement;
    const m = path.getScreenCTM()!;
    const length = path.getTotalLength();
    for (const f of [0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.9, 0.1]) {
      const p = path.getPointAtLength(length * f);
      const x = p.x * m.a + p.y * m.c + m.e;
      const y = p.x * m.b + p.y * m.d + m.f;
      const hit = document.elementFromPoint(x, y);
      if (hit instanceof SVGPathElement && g.contains(hit)) return { x, y }; // the line, not a label on it
    }
    throw new Error(`no uncovered point on link ${g.getAttribute('data-id')}`);
  });
  await page.mouse.click(at.x, at.y, { button });
}

export async function showTab(page: Page, tab: 'inspector' | 'diagnostics' | 'plan'): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
}

/** Clicks empty canvas (clears the selection) so keyboard shortcuts reach the app. */
export async function clickBlank(page: Page): Promise<void> {
  await canvas(page).click({ position: { x: 20, y: 20 } });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('e2e/artifacts', { recursive: true });
  await page.screenshot({ path: `e2e/artifacts/${name}.png` });
}

/** ns1, ns2 and bridge br0 on one host, both namespaces linked to the bridge. */
export async function buildTwoNamespacesOnBridge(page: Page): Promise<void> {
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'namespace', 260, 380);
  await drop(page, 'bridge', 600, 290);
  await expect(node(page, 'ns1')).toBeVisible();
  await expect(node(page, 'ns2')).toBeVisible();
  await expect(node(page, 'br0')).toBeVisible();
  await connect(page, 'ns1', 'br0');
  await connect(page, 'ns2', 'br0');
}
