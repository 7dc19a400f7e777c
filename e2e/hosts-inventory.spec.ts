// The Hosts panel picks a server from the inventory (hosts.json in the backend's config
// folder, as `wireplan hosts add` writes it): the entry fills the host's target and names
// it, and the connection test reaches the lab with it. And one entry added with the real
// CLI serves two designs (two pages of one backend): the first design's test trusts the
// key and records it in the entry, the second finds it known; forgetting it from the panel
// asks for confirmation (Cancel keeps it), then the next test shows the key as new again.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { labHostSkipReason, startLabHost, type LabHost } from '../tests/support/labhost';
import { buildTwoNamespacesOnBridge } from './helpers';
import { ROOT, startServe, type Serve } from './serve';

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

async function pickServer(page: Page, server: Serve, name: string): Promise<ReturnType<Page['getByTestId']>> {
  await page.goto(server.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await buildTwoNamespacesOnBridge(page);
  await page.getByTestId('hosts-button').click();
  const card = page.getByTestId('hosts-dialog').getByTestId('host-card-host1');
  await card.locator('[name="target.kind"]').selectOption('ssh');
  await card.getByTestId('inventory-server').selectOption(name);
  await expect(card.locator('[name="target.address"]')).toHaveValue(lab!.address);
  return card;
}

test('an entry added with the CLI serves two designs; its trusted key is recorded, then forgotten after confirmation', async ({ page }) => {
  test.skip(skip !== undefined, skip ?? '');
  test.setTimeout(180_000);
  // A backend of its own: the first test already trusted this lab's key in its config folder.
  const own = await startServe();
  try {
    await twoDesignsOneEntry(page, own);
  } finally {
    await own.stop();
  }
});

async function twoDesignsOneEntry(page: Page, own: Serve): Promise<void> {
  const env = { ...process.env, WIREPLAN_CONFIG_DIR: own.configDir };
  await promisify(execFile)(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), 'hosts', 'add', 'bench2', `root@${lab!.address}:${lab!.port}`, '-i', lab!.clientKeyPath, '--sudo', 'none'], { cwd: ROOT, env });
  const entry = () => (JSON.parse(readFileSync(join(own.configDir, 'hosts.json'), 'utf8')) as { hosts: { name: string; fingerprints: string[] }[] }).hosts.find((h) => h.name === 'bench2')!;
  const knownHosts = () => readFileSync(join(own.configDir, 'known_hosts'), 'utf8');
  expect(entry().fingerprints).toEqual([]);

  // Design A: trusts the key; the entry records it.
  const a = await pickServer(page, own, 'bench2');
  await expect(a.getByTestId('server-no-key')).toBeVisible();
  await a.getByTestId('test-connection').click();
  const ra = a.getByTestId('connection-result');
  await expect(ra).toHaveAttribute('data-unknown-key', 'true', { timeout: 30_000 });
  await ra.getByTestId('trust-key').click();
  await expect(ra).toHaveAttribute('data-known', 'false', { timeout: 30_000 });
  await expect(a.getByTestId('server-fingerprint')).toHaveText(lab!.hostKeySha256);
  expect(entry().fingerprints).toEqual([lab!.hostKeySha256]);
  expect(await page.evaluate(() => JSON.parse(window.__wireplan!.serialized()).hosts[0].target.server)).toBe('bench2');

  // Design B, in another page of the same backend: the same entry, its key already trusted.
  const pageB = await page.context().newPage();
  const b = await pickServer(pageB, own, 'bench2');
  await expect(b.getByTestId('server-fingerprint')).toHaveText(lab!.hostKeySha256);
  await b.getByTestId('test-connection').click();
  await expect(b.getByTestId('connection-result')).toHaveAttribute('data-known', 'true', { timeout: 30_000 });
  expect(await pageB.evaluate(() => JSON.parse(window.__wireplan!.serialized()).hosts[0].target.server)).toBe('bench2');

  // Forget, with confirmation: Cancel keeps everything.
  await b.getByTestId('forget-key').click();
  await expect(b.getByTestId('forget-key-confirm')).toContainText('Forget the host key trusted for bench2?');
  await b.getByTestId('forget-key-confirm').getByRole('button', { name: 'Cancel' }).click();
  expect(entry().fingerprints).toEqual([lab!.hostKeySha256]);
  expect(knownHosts()).toContain(lab!.address);
  await b.getByTestId('forget-key').click();
  await b.getByTestId('forget-key-go').click();
  await expect(b.getByTestId('forget-key-result')).toContainText(`Forgot 1 trusted key line(s) for ${lab!.address}:${lab!.port}`);
  await expect(b.getByTestId('server-no-key')).toBeVisible();
  expect(entry().fingerprints).toEqual([]);
  expect(knownHosts()).not.toContain(lab!.address);

  // Design A's next test shows the key as new again: nothing is trusted until approved.
  await a.getByTestId('test-connection').click();
  await expect(ra).toHaveAttribute('data-unknown-key', 'true', { timeout: 30_000 });
  await expect(ra.getByTestId('host-fingerprint')).toHaveText(lab!.hostKeySha256);
  await pageB.close();
}
