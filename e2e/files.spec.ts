// Opening files: a malformed or newer file shows why and leaves the design alone;
// a good file replaces it and round-trips byte for byte.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { buildTwoNamespacesOnBridge, openApp, serialized } from './helpers';

async function openWith(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('a malformed file shows the parse error and leaves the current design intact', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  const before = await serialized(page);

  await openWith(page, 'broken.wireplan.json', '{ "wireplan": 2, "name": ');
  await expect(page.getByTestId('load-error')).toBeVisible();
  await expect(page.getByTestId('load-error')).toContainText('not valid JSON');
  await page.getByRole('button', { name: 'OK' }).click();
  expect(await serialized(page)).toBe(before);

  await openWith(page, 'future.wireplan.json', JSON.stringify({ wireplan: 99, name: 'x' }));
  await expect(page.getByTestId('load-error')).toContainText('newer Wireplan');
  await page.keyboard.press('Escape');
  expect(await serialized(page)).toBe(before);

  const bad = JSON.parse(before) as { veths: { a: { at: unknown } }[] };
  bad.veths[0]!.a.at = 42;
  await openWith(page, 'typo.wireplan.json', JSON.stringify(bad));
  await expect(page.getByTestId('load-error-item').first()).toContainText('veths[0].a.at');
  await page.keyboard.press('Escape');
  expect(await serialized(page)).toBe(before);
  await expect(page.getByTestId('dirty')).toBeVisible();
});

test('an example file opens, and what is shown serializes back to the same text', async ({ page }) => {
  await openApp(page);
  const text = readFileSync('resources/examples/two-namespaces-nat.wireplan.json', 'utf8');
  await openWith(page, 'two-namespaces-nat.wireplan.json', text);
  await expect(page.getByTestId('title')).toContainText(JSON.parse(text).name);
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  const shown = await serialized(page);
  // Everything in the file is there (the schema adds defaults), the drawing included. Only the
  // schema reference is the saver's own: examples name the shipped schema by a relative path,
  // a saved file by the schema's $id (see the README).
  const { $schema: examplesSchema, ...content } = JSON.parse(text) as Record<string, unknown>;
  expect(examplesSchema).toBe('../schema/wireplan.schema.json');
  expect(JSON.parse(shown)).toMatchObject({ ...content, $schema: expect.stringMatching(/^https:\/\/.*wireplan.*schema\.json$/) });
  // Saving and reopening what is shown changes nothing.
  await openWith(page, 'again.wireplan.json', shown);
  expect(await serialized(page)).toBe(shown);
});
