// Pointing a design host at an SSH lab host through the hosts manager, the way a user does:
// kind "SSH lab server", address, port, user, key file; "Test connection"; and, on first
// contact, trusting the host key only after checking that the SHA256 fingerprint shown is
// the lab host's own.
import { expect, type Page } from '@playwright/test';
import type { LabHost } from '../tests/support/labhost';
import { fillIn } from './helpers';

/** Returns whether the key was unknown (and so trusted now, after the fingerprint check). */
export async function pointAtLab(page: Page, hostId: string, lab: LabHost): Promise<{ trustedNow: boolean }> {
  await page.getByTestId('hosts-button').click();
  const dialog = page.getByTestId('hosts-dialog');
  const card = dialog.getByTestId(`host-card-${hostId}`);
  await card.locator('[name="target.kind"]').selectOption('ssh');
  await fillIn(card, 'target.address', lab.address);
  await fillIn(card, 'target.port', String(lab.port));
  await expect(card.locator('[name="target.user"]')).toHaveValue('root');
  await card.getByRole('radio', { name: 'a key file' }).check();
  await fillIn(card, 'target.keyPath', lab.clientKeyPath);

  await card.getByTestId('test-connection').click();
  const result = card.getByTestId('connection-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  const trustedNow = (await result.getAttribute('data-unknown-key')) === 'true';
  // Whatever the state, the key shown must be the lab host's own.
  await expect(result.getByTestId('host-fingerprint')).toHaveText(lab.hostKeySha256);
  if (trustedNow) {
    await result.getByTestId('trust-key').click();
    await expect(result).toHaveAttribute('data-known', 'false', { timeout: 30_000 });
    await expect(result).toContainText('new: trusted now');
  } else {
    await expect(result).toHaveAttribute('data-known', 'true');
  }
  await expect(result.getByTestId('host-fingerprint')).toHaveText(lab.hostKeySha256);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  return { trustedNow };
}
