// A file changed on disk behind the app's back (another editor, a git pull) is never
// silently replaced: Save shows the conflict and offers Reload from disk, Overwrite and
// Save as, each doing exactly that, through the real `wireplan serve` backend. Exports ask
// before replacing a file. Everything happens in the server's own temporary workspace.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot, serialized } from './helpers';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

async function openServed(page: Page): Promise<string[]> {
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.goto(serve.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  return asked;
}

function description(text: string): unknown {
  return (JSON.parse(text) as { description?: unknown }).description;
}

/** Another program edits the file: same design, another description. */
function editOnDisk(file: string, desc: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  doc['description'] = desc;
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(file, text);
  return text;
}

async function editOnScreen(page: Page, desc: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-inspector').click();
  await page.locator('#design-desc').fill(desc);
  await expect(page.getByTestId('dirty')).toBeVisible();
}

async function saveIntoConflict(page: Page): Promise<void> {
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-conflict')).toBeVisible();
  await expect(page.getByTestId('save-conflict-message')).toContainText('changed on disk since it was opened or last saved');
}

test('a file changed on disk: Save offers reload, overwrite and save as, and each does what it says', async ({ page }) => {
  await openServed(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('toast').filter({ hasText: 'Saved' })).toBeVisible();
  const names = readdirSync(serve.workspace).filter((n) => n.endsWith('.wireplan.json'));
  expect(names).toHaveLength(1);
  const file = join(serve.workspace, names[0]!);

  // 1. Overwrite: the design on screen replaces the edit on disk, and only then.
  await editOnScreen(page, 'edited on screen 1');
  const disk1 = editOnDisk(file, 'edited on disk 1');
  await saveIntoConflict(page);
  expect(readFileSync(file, 'utf8')).toBe(disk1);
  await expect(page.getByTestId('conflict-reload')).toBeVisible();
  await expect(page.getByTestId('conflict-overwrite')).toBeVisible();
  await expect(page.getByTestId('conflict-save-as')).toBeVisible();
  await screenshot(page, 'save-conflict');
  await page.getByTestId('conflict-overwrite').click();
  await expect(page.getByTestId('save-conflict')).toHaveCount(0);
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toBe(await serialized(page));
  expect(description(readFileSync(file, 'utf8'))).toBe('edited on screen 1');

  // 2. Reload: the file as it is on disk replaces the design on screen; the file is untouched.
  await editOnScreen(page, 'edited on screen 2');
  const disk2 = editOnDisk(file, 'edited on disk 2');
  await saveIntoConflict(page);
  await page.getByTestId('conflict-reload').click();
  await expect(page.getByTestId('save-conflict')).toHaveCount(0);
  await expect.poll(async () => description(await serialized(page))).toBe('edited on disk 2');
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toBe(disk2);
  // After the reload the app knows the new version: the next save goes through.
  await editOnScreen(page, 'edited on screen 3');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(description(readFileSync(file, 'utf8'))).toBe('edited on screen 3');
  await expect(page.getByTestId('save-conflict')).toHaveCount(0);

  // 3. Save as: the edit on disk stays, the design on screen goes to a new file.
  await editOnScreen(page, 'edited on screen 4');
  const disk4 = editOnDisk(file, 'edited on disk 4');
  await saveIntoConflict(page);
  await page.getByTestId('conflict-save-as').click();
  await expect(page.getByTestId('save-conflict')).toHaveCount(0);
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toBe(disk4);
  const others = readdirSync(serve.workspace).filter((n) => n.endsWith('.wireplan.json') && n !== names[0]);
  expect(others).toHaveLength(1);
  const copy = join(serve.workspace, others[0]!);
  expect(description(readFileSync(copy, 'utf8'))).toBe('edited on screen 4');
  await expect(page.getByTestId('title')).toHaveAttribute('title', copy);
  expect(readdirSync(serve.workspace).filter((n) => n.endsWith('.wptmp'))).toEqual([]);
});

test('exporting over an existing file asks first', async ({ page }) => {
  const asked = await openServed(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await page.getByTestId('export-script').click();
  await page.getByTestId('save-script').click();
  await expect(page.getByTestId('export-dialog')).toContainText(`Saved ${serve.workspace}/`);
  const script = readdirSync(serve.workspace).find((n) => n.endsWith('.sh'))!;
  writeFileSync(join(serve.workspace, script), '# changed by hand\n');
  expect(asked).toEqual([]);
  await page.getByTestId('save-script').click();
  await expect.poll(() => asked).toEqual([`${join(serve.workspace, script)} already exists. Replace it?`]);
  await expect(page.getByTestId('export-dialog')).toContainText(`Saved ${join(serve.workspace, script)}`);
  expect(readFileSync(join(serve.workspace, script), 'utf8').startsWith('#!')).toBe(true);
  expect(readdirSync(serve.workspace).filter((n) => n.endsWith('.sh'))).toEqual([script]);
});
