// A large design stays usable: only what is on screen is rendered, zoomed out the nodes
// are simplified, and live status updates reach a node without touching the design.
import { expect, test } from '@playwright/test';
import { bigDesign } from './fixtures/bigDesign';
import { canvas, design, node, openApp, serialized } from './helpers';

test('2,000+ elements: visible-only rendering, simplified when zoomed out, live status per element', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const text = bigDesign(1200, 30);
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open').click();
  await (await chooser).setFiles({ name: 'big.wireplan.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('title')).toContainText('Big lab');
  const d = await design(page);
  expect(d.namespaces.length + d.bridges.length + d.veths.length).toBeGreaterThan(2000);

  // Fit shows everything, far zoomed out: one overview drawing, only the frame is a node.
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await expect(page.locator('.overview-node')).toHaveCount(1200 + 40);
  // Live status shows in the overview too: one outline per presence state.
  await page.evaluate(() => {
    const live = (window as unknown as { __wireplan: { live: { getState(): { applyUpdate(u: unknown): void } } } }).__wireplan.live;
    live.getState().applyUpdate({
      hostId: 'h1',
      replace: true,
      elements: Array.from({ length: 1200 }, (_, i) => ({ elementId: `n${i}`, presence: i % 100 === 7 ? 'drifted' : 'present', operState: 'up' })),
    });
  });
  await expect(page.getByTestId('overview-live-present')).toHaveAttribute('data-count', '1188');
  await expect(page.getByTestId('overview-live-drifted')).toHaveAttribute('data-count', '12');
  await expect(page.getByTestId('overview-live-missing')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/artifacts/large-design-zoomed-out.png' });

  // Zooming in part-way gives real nodes again, simplified.
  const c = (await canvas(page).boundingBox())!;
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  for (let i = 0; i < 40 && (await page.locator('.el-node.simplified').count()) === 0; i++) await page.mouse.wheel(0, -100);
  await expect(page.locator('.el-node.simplified').first()).toBeVisible();
  await expect(page.getByTestId('overview')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/artifacts/large-design-simplified.png' });

  // Zoom in on one namespace: only nodes near it are in the DOM.
  await page.keyboard.press('Control+f');
  await page.getByLabel('Search elements').fill('n615');
  await page.keyboard.press('Enter');
  await expect(node(page, 'n615')).toBeVisible();
  await expect(node(page, 'n615').locator('.el-node')).not.toHaveClass(/simplified/);
  const rendered = await page.locator('.react-flow__node').count();
  expect(rendered).toBeLessThan(300);
  await page.screenshot({ path: 'e2e/artifacts/large-design-zoomed-in.png' });

  // Live status goes to its own store: the node shows it, the design and history do not change.
  const before = await serialized(page);
  const undoDepth = await page.evaluate(() => (window.__wireplan!.editor.getState() as unknown as { history: { past: unknown[] } }).history.past.length);
  await page.evaluate(() => {
    const live = (window as unknown as { __wireplan: { live: { getState(): { applyUpdate(u: unknown): void } } } }).__wireplan.live;
    for (let round = 0; round < 5; round++) {
      live.getState().applyUpdate({
        hostId: 'h1',
        replace: true,
        elements: Array.from({ length: 1200 }, (_, i) => ({ elementId: `n${i}`, presence: i === 615 ? 'missing' : 'present', operState: 'up' })),
      });
    }
  });
  await expect(node(page, 'n615').getByTestId('live-badge')).toHaveAttribute('data-presence', 'missing');
  await expect(node(page, 'n614').getByTestId('live-badge')).toHaveAttribute('data-presence', 'present');
  expect(await serialized(page)).toBe(before);
  expect(await page.evaluate(() => (window.__wireplan!.editor.getState() as unknown as { history: { past: unknown[] } }).history.past.length)).toBe(undoDepth);

  // Dragging one node in the big design is still one step.
  const box = (await node(page, 'n615').boundingBox())!;
  await page.mouse.move(box.x + 70, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 70 + i * 10, box.y + box.height / 2 + i * 3);
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => (window.__wireplan!.editor.getState() as unknown as { history: { past: unknown[] } }).history.past.length)).toBe(undoDepth + 1);
  await canvas(page).click({ position: { x: 5, y: 5 } });
});
