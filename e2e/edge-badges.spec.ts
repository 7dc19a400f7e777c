// Errors and warnings on links show on the canvas (issue 12, item 5): a 16-byte interface
// name or a duplicate address badges the link itself, drawn like a node's badge; the
// problem in Problems selects the link; fixing it removes the badge.
import { expect, test } from '@playwright/test';
import { buildTwoNamespacesOnBridge, design, fill, openApp, screenshot, showTab } from './helpers';
import { selectEdge } from './live-flow';

test('a link with an error carries a badge; Problems selects the link; the fix clears it', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  const v = (await design(page)).veths[0]!;
  await expect(page.getByTestId(`edge-badge-${v.id}`)).toHaveCount(0);
  await selectEdge(page, v.id);
  await fill(page, 'b.ifname', 'v-sixteen-bytes1');
  const badge = page.getByTestId(`edge-badge-${v.id}`);
  await expect(badge).toHaveAttribute('data-severity', 'error');
  await expect(page.locator(`.react-flow__edge[data-id="${v.id}"] .veth-edge`)).toHaveClass(/has-error/);
  await screenshot(page, 'edge-badge');

  // From Problems: the diagnostic selects the link.
  await page.getByTestId('canvas').click({ position: { x: 15, y: 15 } });
  await showTab(page, 'diagnostics');
  await page.locator(`[data-testid="diagnostic"][data-rule="ifname-length"][data-element="${v.id}"]`).click();
  await expect.poll(() => page.evaluate(() => window.__wireplan!.editor.getState().selection)).toEqual([v.id]);

  // A duplicate address badges the other link too.
  const w = (await design(page)).veths[1]!;
  await selectEdge(page, w.id);
  await fill(page, 'a.addresses[0]', v.a.addresses[0]!);
  await expect(page.getByTestId(`edge-badge-${w.id}`)).toHaveAttribute('data-severity', 'error');

  // Fixed: the badges go.
  await showTab(page, 'diagnostics');
  await page.locator('[data-testid="quick-fix"][data-rule="ifname-length"]').first().click();
  await page.locator('[data-testid="quick-fix"][data-rule="address-duplicate-segment"]').first().click();
  await expect(page.getByTestId(`edge-badge-${v.id}`)).toHaveCount(0);
  await expect(page.getByTestId(`edge-badge-${w.id}`)).toHaveCount(0);
});
