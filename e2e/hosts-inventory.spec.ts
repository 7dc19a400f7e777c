// The Hosts panel picks a server from the inventory (hosts.json in the backend's config
// folder, as `wireplan hosts add` writes it): the entry fills the host's target and names
// it, and the connection test reaches the lab with it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labHostSkipReason, startLabHost, type LabHost } from '../tests/support/labhost';
import { startServe, type Serve } from './serve';

const skip = labHostSkipReason();
let serve: Serve | undefined;
let lab: LabHost | undefined;

test.beforeAll(async () => {
  if (skip) return;
  [serve, lab] = await Promise.all([startServe(), startLabHost({ name: 'wp-e2e-inventory' })]);
  mkdirSync(serve.configDir, { recursive: true, mode: 0o700 });
  const hosts = [{ name: 'bench1', target: lab.address, user: 'root', port: lab.port, keyPath: lab.clientKeyPath, sudo: 'none', fingerprints: [] }];
  writeFileSync(join(serve.configDir, 'hosts.json'), JSON.stringify({ version: 1, hosts }), { mode: 0o600 });
});
test.afterAll(async () => {
  await Promise.all([serve?.stop(), lab?.stop()]);
});

test('a host picked from the inventory is filled in and reaches the server', async ({ page }) => {
  test.skip(skip !== undefined, skip ?? '');
  await page.goto(serve!.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('hosts-button').click();
  const dialog = page.getByTestId('hosts-dialog');
  await dialog.getByTestId('add-ssh-host').click();
  const card = dialog.getByTestId('host-card-host1');
  await card.getByTestId('inventory-server').selectOption('bench1');
  await expect(card.locator('[name="target.address"]')).toHaveValue(lab!.address);
  await expect(card.locator('[name="target.keyPath"]')).toHaveValue(lab!.clientKeyPath);
  await card.getByTestId('test-connection').click();
  const result = card.getByTestId('connection-result');
  await expect(result).toHaveAttribute('data-unknown-key', 'true', { timeout: 30_000 });
  await expect(result.getByTestId('host-fingerprint')).toHaveText(lab!.hostKeySha256);
  await result.getByTestId('trust-key').click();
  await expect(result).toHaveAttribute('data-known', 'false', { timeout: 30_000 });
});
