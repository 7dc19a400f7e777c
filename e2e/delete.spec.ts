// Deleting a bridge takes its links with it; what is left is reported.
import { expect, test } from '@playwright/test';
import { buildTwoNamespacesOnBridge, clickEdge, design, node, openApp, screenshot, select, showTab } from './helpers';

test('deleting a bridge removes its links and shows the diagnostics that follow', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  // Both namespaces got a default route through the bridge's address with their links;
  // the host forwards for them.
  expect((await design(page)).namespaces.map((n) => n.routes)).toEqual([0, 1].map(() => [{ to: 'default', via: '10.0.0.1', note: expect.stringContaining('added because') }]));
  await select(page, 'host1');
  await page.getByTestId('inspector').locator('[name="sysctls.ipForward"]').selectOption('on');
  await showTab(page, 'diagnostics');
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();

  await node(page, 'br0').locator('.el-name').click();
  await page.keyboard.press('Delete');

  await expect(node(page, 'br0')).toHaveCount(0);
  const d = await design(page);
  expect(d.bridges).toHaveLength(0);
  expect(d.veths).toHaveLength(0);
  expect(page.locator('.react-flow__edge')).toHaveCount(0);
  // ns1's default route now points at a gateway no interface can reach.
  const diag = page.getByTestId('diagnostic').filter({ hasText: '10.0.0.1' });
  await expect(diag.first()).toBeVisible();
  await expect(diag.first()).toHaveAttribute('data-element', 'ns1');
  await expect(node(page, 'ns1').getByTestId('diag-badge')).toHaveAttribute('data-severity', 'error');
  await expect(node(page, 'ns2').getByTestId('diag-badge')).toHaveAttribute('data-severity', 'error');
  await screenshot(page, 'bridge-deleted-diagnostics');

  // Undo brings the bridge and both links back.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await design(page)).veths.length).toBe(2);
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();
});

test('a veth is selected by clicking its line, edited in the inspector, and deleted alone', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await node(page, 'ns1').locator('.el-name').click(); // deselect the new veth first
  await clickEdge(page, 'veth1');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', 'veth1');
  const ifname = page.getByTestId('inspector').locator('[name="a.ifname"]');
  await ifname.fill('uplink0');
  await ifname.press('Tab');
  await expect(page.getByTestId('edge-veth1')).toContainText('uplink0');
  expect((await design(page)).veths[0]!.a.ifname).toBe('uplink0');
  await page.getByTestId('canvas').focus();
  await clickEdge(page, 'veth1');
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await design(page)).veths.map((v) => v.id)).toEqual(['veth2']);
  expect((await design(page)).namespaces).toHaveLength(2);
  expect((await design(page)).bridges).toHaveLength(1);
});
