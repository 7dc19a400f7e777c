// Inference and quick fixes (issue 12, item 3): a namespace joined to a bridge with a
// gateway address gets its default route, and the inspector says why, with a way to undo
// it; problems with an obvious fix offer it as a button that resolves the problem in one
// click and undoes in one step; "+ route" starts with a valid gateway.
import { expect, test, type Page } from '@playwright/test';
import { clickBlank, connect, design, drop, fill, node, openApp, select, showTab } from './helpers';
import { selectEdge } from './live-flow';

async function problems(page: Page, rule: string): Promise<number> {
  return page.locator(`[data-testid="diagnostic"][data-rule="${rule}"]`).count();
}

async function undo(page: Page): Promise<void> {
  await clickBlank(page);
  await page.keyboard.press('Control+z');
}

test('a joined namespace gets the segment default route, said and undoable; quick fixes resolve in one click and undo in one step', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'namespace', 260, 400);
  await drop(page, 'bridge', 600, 300);
  await expect(node(page, 'br0')).toBeVisible();
  await connect(page, 'ns1', 'br0');
  await connect(page, 'ns2', 'br0');
  // The reason is part of the design (saved with it), not only of this editing session.
  const because = (ns: string) => ({ to: 'default', via: '10.0.0.1', note: `added because ${ns} joined bridge br0, whose address 10.0.0.1/24 is the segment's gateway` });
  expect((await design(page)).namespaces.map((n) => n.routes)).toEqual([[because('ns1')], [because('ns2')]]);

  // ---- the inspector says why the route is there, and removes it on request (undoable)
  await select(page, 'ns1');
  const note = page.getByTestId('inspector').getByTestId('route-inferred');
  await expect(note).toContainText('Added because ns1 joined bridge br0');
  await expect(note).toContainText('10.0.0.1/24');
  await note.getByTestId('route-inferred-undo').click();
  await expect.poll(async () => (await design(page)).namespaces[0]!.routes).toEqual([]);
  await undo(page);
  await expect.poll(async () => (await design(page)).namespaces[0]!.routes).toEqual([because('ns1')]);
  await select(page, 'ns1');
  await expect(note).toContainText('Added because ns1 joined bridge br0');

  // ---- "+ route" starts with a valid gateway: no "route-no-target" error
  await select(page, 'ns1');
  await page.getByRole('button', { name: '+ route' }).click();
  await expect.poll(async () => (await design(page)).namespaces[0]!.routes[1]).toEqual({ to: '', via: '10.0.0.1' });
  await fill(page, 'routes[1].to', '192.168.50.0/24');
  await showTab(page, 'diagnostics');
  expect(await problems(page, 'route-no-target')).toBe(0);

  // ---- ip_forward: one click fixes it, one undo brings it back
  expect(await problems(page, 'gateway-not-forwarding')).toBeGreaterThan(0);
  const fwd = page.locator('[data-testid="quick-fix"][data-rule="gateway-not-forwarding"]').first();
  await expect(fwd).toHaveText('Turn on ip_forward on host host1');
  await fwd.click();
  await expect.poll(() => problems(page, 'gateway-not-forwarding')).toBe(0);
  expect((await design(page)).hosts[0] as unknown as { sysctls: unknown }).toMatchObject({ sysctls: { ipForward: true } });
  await undo(page);
  await expect.poll(() => problems(page, 'gateway-not-forwarding')).toBeGreaterThan(0);
  await page.locator('[data-testid="quick-fix"][data-rule="gateway-not-forwarding"]').first().click();
  await expect.poll(() => problems(page, 'gateway-not-forwarding')).toBe(0);

  // ---- a duplicate address: "Use <next free>" in one click, one undo restores the clash
  const d = await design(page);
  await selectEdge(page, d.veths[1]!.id);
  await fill(page, 'a.addresses[0]', d.veths[0]!.a.addresses[0]!);
  await showTab(page, 'diagnostics');
  await expect.poll(() => problems(page, 'address-duplicate-segment')).toBeGreaterThan(0);
  const dup = page.locator('[data-testid="quick-fix"][data-rule="address-duplicate-segment"]').first();
  await expect(dup).toHaveText(/^Use 10\.0\.0\.\d+\/24$/);
  await dup.click();
  await expect.poll(() => problems(page, 'address-duplicate-segment')).toBe(0);
  await undo(page);
  await expect.poll(() => problems(page, 'address-duplicate-segment')).toBeGreaterThan(0);
  await page.locator('[data-testid="quick-fix"][data-rule="address-duplicate-segment"]').first().click();

  // ---- a 16-byte name: "Shorten" in one click
  const v = (await design(page)).veths[0]!;
  await selectEdge(page, v.id);
  await fill(page, 'b.ifname', 'v-sixteen-bytes1');
  await showTab(page, 'diagnostics');
  await expect.poll(() => problems(page, 'ifname-length')).toBeGreaterThan(0);
  await page.locator('[data-testid="quick-fix"][data-rule="ifname-length"]').first().click();
  await expect.poll(() => problems(page, 'ifname-length')).toBe(0);
  expect((await design(page)).veths[0]!.b.ifname).toBe('v-sixteen-bytes');
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();
});
