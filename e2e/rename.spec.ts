// Renames propagate (issue 12, item 4): renaming a namespace renames the link named after
// it and the kernel name made from it, and the plan's kernel names follow; a name set by
// hand stays.
import { expect, test } from '@playwright/test';
import { buildTwoNamespacesOnBridge, design, fill, openApp, select, showTab } from './helpers';

test('renaming ns1 to netns0: the link name and the plan kernel names follow', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await select(page, 'ns1');
  // The preview names what a new name carries along.
  await expect(page.getByTestId('following-names')).toContainText('link "ns1-br0"');
  await expect(page.getByTestId('following-names')).toContainText('kernel name v-ns1');
  await fill(page, 'name', 'netns0');
  const d = await design(page);
  expect(d.veths.map((v) => [v.a.at, (v as unknown as { name: string }).name, v.b.ifname])).toEqual([
    ['ns1', 'netns0-br0', 'v-netns0'],
    ['ns2', 'ns2-br0', 'v-ns2'],
  ]);
  await showTab(page, 'plan');
  const mapping = page.getByTestId('name-mapping');
  await expect(mapping).toContainText('v-netns0');
  await expect(mapping).not.toContainText('v-ns1');
  const commands = (await page.getByTestId('plan-command').allInnerTexts()).join('\n');
  expect(commands).toContain('netns0');
  expect(commands).not.toMatch(/\bv-ns1\b/);
  // One undo puts the old names back.
  await page.getByTestId('canvas').click({ position: { x: 15, y: 15 } });
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await design(page)).veths[0]!.b.ifname).toBe('v-ns1');
});

test('renaming a namespace previews the kernel names that change, old -> new, until the edit is confirmed', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await select(page, 'ns1');
  const preview = page.getByTestId('kernel-name-preview');
  await expect(preview).toHaveCount(0);
  const input = page.getByTestId('inspector').locator('[name="name"]');
  await input.click();
  await input.press('Control+a');
  await input.pressSequentially('web');
  // Pending (the field still has focus): the netns and the bridge-side veth end change.
  await expect(preview).toBeVisible();
  const changes = page.getByTestId('kernel-name-change');
  await expect(changes.filter({ hasText: 'netns' })).toHaveText(/netns: ns1 → web/);
  await expect(changes.filter({ hasText: 'v-ns1' })).toHaveText(/v-ns1 → v-web/);
  await expect(changes.filter({ hasText: 'v-ns2' })).toHaveCount(0);
  // Confirmed (Tab leaves the field): the preview goes, the plan has the new names.
  await input.press('Tab');
  await expect(preview).toHaveCount(0);
  await showTab(page, 'plan');
  await expect(page.getByTestId('name-mapping')).toContainText('v-web');
  const commands = (await page.getByTestId('plan-command').allInnerTexts()).join('\n');
  expect(commands).toContain('ip netns add web');
  expect(commands).not.toMatch(/\bv-ns1\b/);
});
