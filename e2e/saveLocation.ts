// The page's own Save dialog under `wireplan serve` (renderer/src/panels/SaveLocationDialog.tsx).
import { expect, type Page } from '@playwright/test';

/** Confirms the open Save dialog, with another name and folder when given. */
export async function confirmSaveDialog(page: Page, opts: { name?: string; folder?: string } = {}): Promise<void> {
  const dialog = page.getByTestId('save-location');
  await expect(dialog).toBeVisible();
  // The folder list has arrived once the hint names the target.
  await expect(page.getByTestId('save-where')).toContainText('Saves to');
  if (opts.folder !== undefined) await page.getByTestId('save-folder').selectOption(opts.folder);
  if (opts.name !== undefined) await page.getByTestId('save-name').fill(opts.name);
  await page.getByTestId('save-confirm').click();
}
