// The inspector edits every kind by keyboard; bad values are reported on the field itself.
import { expect, test } from '@playwright/test';
import { design, dragPort, fill, node, openApp, select, showTab } from './helpers';

test('keyboard-only: palette by Enter, inspector by typing, inline messages on the field', async ({ page }) => {
  await openApp(page);
  // Click-to-add by keyboard: focus a palette item and press Enter.
  await page.getByTestId('palette-namespace').focus();
  await page.keyboard.press('Enter');
  await expect(node(page, 'ns1')).toBeVisible();
  await page.getByTestId('palette-macvlan').focus();
  await page.keyboard.press('Enter');
  await expect(node(page, 'mv0')).toBeVisible();

  // A NIC from the host's own form.
  await select(page, 'host1');
  await page.getByRole('button', { name: '+ NIC' }).click();
  await expect(node(page, 'nic:host1:eth0')).toBeVisible();
  // The new macvlan already named eth0 as its parent: the reference edge appears by itself.
  await expect(page.locator('.react-flow__edge[data-id="parent:mv0"]')).toHaveCount(1);
  // Connecting again changes nothing and says why.
  const before = await design(page);
  await dragPort(page, 'nic:host1:eth0', 'mv0');
  await expect(page.getByTestId('toast').last()).toContainText('already uses');
  expect(await design(page)).toEqual(before);

  // Switching macvlan -> ipvlan picks a valid ipvlan mode.
  await select(page, 'mv0');
  await page.getByTestId('inspector').locator('[name="kind"]').selectOption('ipvlan');
  await expect(page.getByTestId('inspector').locator('[name="mode"]')).toHaveValue('l2');
  await page.getByRole('button', { name: '+ address' }).click();
  await fill(page, 'addresses[0]', '10.0.0.300/24');
  const message = page.getByTestId('inspector').getByTestId('field-message').first();
  await expect(message).toBeVisible();
  await expect(message).toContainText('10.0.0.300/24');
  await expect(node(page, 'mv0').getByTestId('diag-badge')).toHaveAttribute('data-severity', 'error');
  await fill(page, 'addresses[0]', '10.0.0.30/24');
  await expect(page.getByTestId('inspector').getByTestId('field-message')).toHaveCount(0);

  // Into the namespace by connecting; the inspector's "Lives in" follows.
  await dragPort(page, 'mv0', 'ns1');
  await expect.poll(async () => ((await design(page))['macvlans'] as { at: string }[])[0]!.at).toBe('ns1');
  await select(page, 'mv0');
  await expect(page.getByTestId('inspector').locator('[name="at"]')).toHaveValue('ns1');

  await showTab(page, 'diagnostics');
  await expect(page.getByTestId('status-problems')).toContainText('0 errors');
});
