// Import from host… in the app, through the real `wireplan serve` backend and its local
// sandbox: the sandbox read is the open design's own running sandbox (what an apply built
// there), not a fresh empty one, and what it finds opens as a new, unsaved design.
import { expect, test } from '@playwright/test';
import { design, node, screenshot } from './helpers';
import { applyFromPlan, openServed } from './live-flow';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

test('import from the sandbox gives back the applied design\'s namespaces, bridge and links', async ({ page }) => {
  test.setTimeout(120_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
  const applied = await design(page);
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await page.getByRole('button', { name: 'Close the console' }).click();

  // From the Hosts panel: the lab host's card.
  await page.getByTestId('hosts-button').click();
  await page.getByTestId('import-host-lab').click();
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-host')).toHaveValue('lab');
  await page.getByTestId('import-read').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-counts')).toContainText(`${applied.namespaces.length} namespaces`);
  await screenshot(page, 'import-result');

  const imported = await design(page);
  expect(imported.namespaces.map((n) => n.name).sort()).toEqual(applied.namespaces.map((n) => n.name).sort());
  expect(imported.bridges.map((b) => b.name).sort()).toEqual(applied.bridges.map((b) => b.name).sort());
  expect(imported.veths).toHaveLength(applied.veths.length);
  // The namespaces' addresses came back too (each applied veth end address is somewhere in the import).
  const addresses = (d: typeof applied) => d.veths.flatMap((v) => [...v.a.addresses, ...v.b.addresses]).sort();
  expect(addresses(imported)).toEqual(addresses(applied));
  // A new design, not yet saved anywhere.
  await expect(page.getByTestId('dirty')).toBeVisible();
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);

  // From File (the toolbar): the same dialog, for the hosts of the now open design.
  await page.getByTestId('import-button').click();
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-host').locator('option')).toHaveCount(imported.hosts.length);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);

  // New: the import exists nowhere else, so New asks before discarding it, even unedited.
  const asked: string[] = [];
  page.removeAllListeners('dialog');
  page.on('dialog', (d) => {
    asked.push(d.message());
    void (asked.length === 1 ? d.dismiss() : d.accept());
  });
  await page.getByTestId('new').click();
  await expect.poll(() => asked).toEqual([expect.stringContaining('unsaved changes')]);
  expect((await design(page)).namespaces).toHaveLength(imported.namespaces.length); // declined: kept
  await page.getByTestId('new').click();
  await expect.poll(() => asked.length).toBe(2);
  await expect(page.locator('.react-flow__node')).toHaveCount(0); // accepted: discarded
});

test('import from a host that cannot be reached says why, and keeps the design', async ({ page }) => {
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
  const before = await design(page);
  // An SSH host on an address of the test's own: nothing listens there.
  await page.getByTestId('hosts-button').click();
  await page.getByTestId('add-ssh-host').click();
  const added = (await design(page)).hosts.find((h) => !before.hosts.some((b) => b.id === h.id))!;
  const card = page.getByTestId(`host-card-${added.id}`);
  await card.getByLabel('Address').fill('127.0.0.1');
  await card.getByLabel('Port').fill('1');
  await card.getByTestId(`import-host-${added.id}`).click();
  await page.getByTestId('import-read').click();
  await expect(page.getByTestId('import-error')).toContainText(`cannot read ${added.name}`);
  expect((await design(page)).namespaces.map((n) => n.name)).toEqual(before.namespaces.map((n) => n.name));
});
