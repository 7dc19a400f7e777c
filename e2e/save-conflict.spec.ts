// A file changed on disk behind the app's back (another editor, a git pull) is never
// silently replaced: Save shows the conflict and offers Reload from disk, Overwrite and
// Save as, each doing exactly that, through the real `wireplan serve` backend. Exports ask
// before replacing a file. Everything happens in the server's own temporary workspace.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { node, screenshot, serialized } from './helpers';
import { confirmSaveDialog } from './saveLocation';
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
  await confirmSaveDialog(page);
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
  await confirmSaveDialog(page, { name: 'copy.wireplan.json' });
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toBe(disk4);
  const others = readdirSync(serve.workspace).filter((n) => n.endsWith('.wireplan.json') && n !== names[0]);
  expect(others).toHaveLength(1);
  const copy = join(serve.workspace, others[0]!);
  expect(description(readFileSync(copy, 'utf8'))).toBe('edited on screen 4');
  await expect(page.getByTestId('title')).toHaveAttribute('title', copy);
  expect(readdirSync(serve.workspace).filter((n) => n.endsWith('.wptmp'))).toEqual([]);
});

test('save as and export ask in the page before replacing a file; name and folder are the user\'s', async ({ page }) => {
  const asked = await openServed(page);
  mkdirSync(join(serve.workspace, 'labs'), { recursive: true });
  mkdirSync(join(serve.workspace, '.private'), { recursive: true });
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();

  // Save As: a name and a folder of the workspace (hidden folders are not offered).
  await page.keyboard.press('Control+Shift+s');
  await expect(page.getByTestId('save-location')).toBeVisible();
  await expect(page.getByTestId('save-where')).toContainText(`Saves to ${serve.workspace}/`);
  const folders = await page.getByTestId('save-folder').locator('option').allInnerTexts();
  expect(folders).toContain('labs/');
  expect(folders.join(' ')).not.toContain('.private');
  await confirmSaveDialog(page, { name: 'mine.wireplan.json', folder: 'labs' });
  const file = join(serve.workspace, 'labs', 'mine.wireplan.json');
  await expect(page.getByTestId('title')).toHaveAttribute('title', file);
  const first = readFileSync(file, 'utf8');
  expect(first).toBe(await serialized(page));

  // Save As onto that file again: the dialog asks; keeping it writes nothing.
  await editOnScreen(page, 'second version');
  await page.keyboard.press('Control+Shift+s');
  await confirmSaveDialog(page, { name: 'mine.wireplan.json', folder: 'labs' });
  await expect(page.getByTestId('save-exists')).toContainText('labs/mine.wireplan.json already exists. Replace it?');
  await screenshot(page, 'save-as-exists');
  await page.getByTestId('save-keep').click();
  await expect(page.getByTestId('save-exists')).toHaveCount(0);
  await expect(page.getByTestId('save-location')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toBe(first);
  // A name that cannot be used says why, and writes nothing.
  await page.getByTestId('save-name').fill('.mine.json');
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('save-error')).toContainText('cannot start with "."');
  // Replace, once confirmed, writes the design on screen.
  await page.getByTestId('save-name').fill('mine.wireplan.json');
  await page.getByTestId('save-confirm').click();
  await page.getByTestId('save-replace').click();
  await expect(page.getByTestId('save-location')).toHaveCount(0);
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  expect(description(readFileSync(file, 'utf8'))).toBe('second version');

  // Export: the same dialog; an existing script is replaced only after Replace.
  await page.getByTestId('export-script').click();
  await page.getByTestId('save-script').click();
  await confirmSaveDialog(page, { folder: 'labs' });
  await expect(page.getByTestId('export-dialog')).toContainText(`Saved ${serve.workspace}/labs/`);
  const script = readdirSync(join(serve.workspace, 'labs')).find((n) => n.endsWith('.sh'))!;
  const scriptPath = join(serve.workspace, 'labs', script);
  writeFileSync(scriptPath, '# changed by hand\n');
  await page.getByTestId('save-script').click();
  await confirmSaveDialog(page, { folder: 'labs' });
  await expect(page.getByTestId('save-exists')).toContainText(`labs/${script} already exists`);
  expect(readFileSync(scriptPath, 'utf8')).toBe('# changed by hand\n');
  await page.getByTestId('save-replace').click();
  // (The dialog already said "Saved" this path after the first export: wait for the file.)
  await expect.poll(() => readFileSync(scriptPath, 'utf8').startsWith('#!')).toBe(true);
  await expect(page.getByTestId('export-dialog')).toContainText(`Saved ${scriptPath}`);
  expect(readdirSync(join(serve.workspace, 'labs')).filter((n) => n.endsWith('.sh'))).toEqual([script]);
  // Nothing was asked through the browser's own confirm().
  expect(asked).toEqual([]);
});
