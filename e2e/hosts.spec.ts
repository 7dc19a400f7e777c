// The hosts manager through `wireplan serve`: an SSH profile for a real OpenSSH lab host
// (a root-made namespace running Debian's sshd, tests/support/labhost.ts) with a key file;
// "Test connection" shows the host key's SHA256 fingerprint, nothing is trusted until the
// user approves exactly that key, and the next test finds it known. The local sandbox host
// is offered too.
import { expect, test, type Page } from '@playwright/test';
import { labHostSkipReason, startLabHost, type LabHost } from '../tests/support/labhost';
import { fillIn as type, screenshot } from './helpers';
import { startServe, type Serve } from './serve';

const skip = labHostSkipReason();
let serve: Serve | undefined;
let lab: LabHost | undefined;

test.beforeAll(async () => {
  if (skip) return;
  [serve, lab] = await Promise.all([startServe(), startLabHost({ name: 'wp-e2e-hosts' })]);
});
test.afterAll(async () => {
  await Promise.all([serve?.stop(), lab?.stop()]);
});

async function open(page: Page): Promise<void> {
  await page.goto(serve!.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

test('an SSH profile with a key file: the host key fingerprint is shown and trusted only on approval', async ({ page }) => {
  test.skip(skip !== undefined, skip ?? '');
  console.log(`[hosts] lab host ${lab!.address}:${lab!.port}, host key ${lab!.hostKeySha256}`);
  await open(page);
  await page.getByTestId('hosts-button').click();
  const dialog = page.getByTestId('hosts-dialog');
  await dialog.getByTestId('add-ssh-host').click();
  const card = dialog.getByTestId('host-card-host1');
  await expect(card.locator('[name="target.kind"]')).toHaveValue('ssh');
  await type(card, 'target.address', lab!.address);
  await type(card, 'target.port', String(lab!.port));
  await expect(card.locator('[name="target.user"]')).toHaveValue('root');
  await card.getByRole('radio', { name: 'a key file' }).check();
  await type(card, 'target.keyPath', lab!.clientKeyPath);

  // First contact: an unknown key, shown with its fingerprint; nothing trusted yet.
  await card.getByTestId('test-connection').click();
  const result = card.getByTestId('connection-result');
  await expect(result).toHaveAttribute('data-unknown-key', 'true', { timeout: 30_000 });
  await expect(result.getByTestId('host-fingerprint')).toHaveText(lab!.hostKeySha256);
  await screenshot(page, 'hosts-trust-key');

  // The user compares and approves exactly this key: logged in, recorded.
  await result.getByTestId('trust-key').click();
  await expect(result).toHaveAttribute('data-known', 'false', { timeout: 30_000 });
  await expect(result.getByTestId('host-fingerprint')).toHaveText(lab!.hostKeySha256);
  await expect(result).toContainText('new: trusted now');

  // Testing again: the key is known.
  await card.getByTestId('test-connection').click();
  await expect(result).toHaveAttribute('data-known', 'true', { timeout: 30_000 });
  await expect(result).toContainText('trusted (matches the recorded key)');

  // The local sandbox host is one click away.
  await dialog.getByTestId('add-sandbox-host').click();
  await expect(dialog.getByTestId('host-card-host2').getByTestId('sandbox-note')).toBeVisible();
  await screenshot(page, 'hosts-manager');
});
