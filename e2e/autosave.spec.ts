// Crash recovery: unsaved work survives the page being closed without saving.
import { expect, test } from '@playwright/test';
import { buildTwoNamespacesOnBridge, openApp, serialized } from './helpers';

test('autosave recovers a design after the page is closed without saving', async ({ context }) => {
  const page = await context.newPage();
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await expect(page.getByTestId('autosave-status')).toHaveAttribute('data-state', 'saved');
  const before = await serialized(page);
  await page.close({ runBeforeUnload: false });

  const again = await context.newPage();
  await openApp(again);
  await expect(again.getByTestId('recovery')).toBeVisible();
  // Nothing is overwritten while the offer is open.
  expect(JSON.parse(await serialized(again)).namespaces).toEqual([]);
  await again.getByTestId('recover').click();
  await expect(again.getByTestId('recovery')).toHaveCount(0);
  expect(await serialized(again)).toBe(before);
  await expect(again.getByTestId('dirty')).toBeVisible();
  // Recovering is itself undoable.
  await again.keyboard.press('Control+z');
  await expect.poll(async () => JSON.parse(await serialized(again)).namespaces.length).toBe(0);
});

test('discarding the recovered design clears it', async ({ context }) => {
  const page = await context.newPage();
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await expect(page.getByTestId('autosave-status')).toHaveAttribute('data-state', 'saved');
  await page.close();
  const again = await context.newPage();
  await openApp(again);
  await again.getByTestId('discard-recovery').click();
  await again.reload();
  await expect(again.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(again.getByTestId('recovery')).toHaveCount(0);
});
