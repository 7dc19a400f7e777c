// An overlapping subnet drawn on the canvas shows on both elements and in the panel;
// clicking the diagnostic selects the element and zooms to it.
import { expect, test } from '@playwright/test';
import { canvas, drop, fill, node, openApp, screenshot, select, showTab } from './helpers';

test('overlapping subnets badge both bridges; clicking the diagnostic focuses the element', async ({ page }) => {
  await openApp(page);
  await drop(page, 'bridge', 260, 200);
  await drop(page, 'bridge', 560, 200);
  await select(page, 'br1');
  await fill(page, 'addresses[0]', '10.0.0.129/25');
  // Inline, on the field itself.
  await expect(page.getByTestId('field-message').first()).toContainText('10.0.0.0/24');

  await expect(node(page, 'br0').getByTestId('diag-badge')).toBeVisible();
  await expect(node(page, 'br1').getByTestId('diag-badge')).toBeVisible();
  await showTab(page, 'diagnostics');
  const overlap = page.getByTestId('diagnostic').and(page.locator('[data-rule="subnet-overlap"]'));
  await expect(overlap).toHaveCount(2);
  await expect(overlap.and(page.locator('[data-element="br0"]'))).toHaveCount(1);
  await expect(overlap.and(page.locator('[data-element="br1"]'))).toHaveCount(1);

  // Pan away so focusing has to bring the bridge back into view.
  const c = (await canvas(page).boundingBox())!;
  await page.mouse.move(c.x + 50, c.y + c.height - 40);
  await page.mouse.down();
  await page.mouse.move(c.x + c.width - 20, c.y + c.height - 10, { steps: 5 });
  await page.mouse.up();
  const zoomBefore = await page.locator('.react-flow__viewport').getAttribute('style');

  await overlap.and(page.locator('[data-element="br0"]')).click();
  await expect.poll(() => page.evaluate(() => window.__wireplan!.editor.getState().selection)).toEqual(['br0']);
  await expect.poll(() => page.locator('.react-flow__viewport').getAttribute('style')).not.toBe(zoomBefore);
  // The node ends up near the middle of the canvas.
  await expect
    .poll(async () => {
      const b = (await node(page, 'br0').boundingBox())!;
      return Math.abs(b.x + b.width / 2 - (c.x + c.width / 2)) < 60 && Math.abs(b.y + b.height / 2 - (c.y + c.height / 2)) < 60;
    })
    .toBe(true);
  await expect(node(page, 'br0').locator('.el-node')).toHaveClass(/selected/);
  await screenshot(page, 'overlap-diagnostic-focused');
});
