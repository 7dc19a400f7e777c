// The sudo password in the app, through `wireplan serve` and a real OpenSSH lab host whose
// login user needs a password for sudo: the connection test says so and the Hosts panel
// asks; a wrong password is refused on the host; the right one is accepted and kept in
// memory only. The password (a sentinel) never appears in the page, the design, the
// backend's log or its config folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { labHostSkipReason, startLabHost, type LabHost } from '../tests/support/labhost';
import { fillIn as type } from './helpers';
import { startServe, type Serve } from './serve';

const skip = labHostSkipReason();
const SENTINEL = 'sentinel-e2e-sudo-7c41b0';
let serve: Serve | undefined;
let lab: LabHost | undefined;

test.beforeAll(async () => {
  if (skip) return;
  [serve, lab] = await Promise.all([startServe(), startLabHost({ name: 'wp-e2e-sudo', user: { name: 'wpsudo', password: SENTINEL, sudo: 'password' } })]);
});
test.afterAll(async () => {
  await Promise.all([serve?.stop(), lab?.stop()]);
});

async function open(page: Page): Promise<void> {
  await page.goto(serve!.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? [...out, ...filesUnder(p)] : [...out, p];
  }
  return out;
}

test('a login that needs a sudo password: asked once, a wrong one refused, the right one kept in memory only', async ({ page }) => {
  test.skip(skip !== undefined, skip ?? '');
  await open(page);
  await page.getByTestId('hosts-button').click();
  const dialog = page.getByTestId('hosts-dialog');
  await dialog.getByTestId('add-ssh-host').click();
  const card = dialog.getByTestId('host-card-host1');
  await type(card, 'target.address', lab!.address);
  await type(card, 'target.port', String(lab!.port));
  await type(card, 'target.user', 'wpsudo');
  await card.getByRole('radio', { name: 'a key file' }).check();
  await type(card, 'target.keyPath', lab!.clientKeyPath);

  await card.getByTestId('test-connection').click();
  const result = card.getByTestId('connection-result');
  await expect(result).toHaveAttribute('data-unknown-key', 'true', { timeout: 30_000 });
  await result.getByTestId('trust-key').click();

  // Logged in; sudo wants a password: the panel asks.
  const ask = result.getByTestId('sudo-password-dialog');
  await expect(ask).toBeVisible({ timeout: 30_000 });
  await ask.getByLabel('sudo password').fill('wrong-password-1');
  await ask.getByTestId('sudo-password-submit').click();
  await expect(result).toContainText('did not accept', { timeout: 30_000 });
  await expect(result.getByTestId('sudo-password-dialog')).toBeVisible();

  await result.getByLabel('sudo password').fill(SENTINEL);
  await result.getByTestId('sudo-password-submit').click();
  await expect(card.getByTestId('sudo-mode')).toContainText('sudo password accepted', { timeout: 30_000 });

  // The sentinel is nowhere: not in the page (inputs included), the backend's log or its config folder.
  expect(await page.content()).not.toContain(SENTINEL);
  const values = await page.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(values.join('\n')).not.toContain(SENTINEL);
  expect(serve!.stderr()).not.toContain(SENTINEL);
  for (const f of filesUnder(serve!.configDir)) expect(readFileSync(f, 'utf8'), f).not.toContain(SENTINEL);
});
