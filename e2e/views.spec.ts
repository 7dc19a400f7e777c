// The rest of the designer's surface: examples, search, auto-layout, exports, theme,
// help, save — each checked through the UI, with screenshots of the main views.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { buildTwoNamespacesOnBridge, canvas, design, node, openApp, screenshot, serialized } from './helpers';

test('examples gallery opens an example; auto-layout is one undoable step', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('examples-button').click();
  await expect(page.getByTestId('examples')).toBeVisible();
  await screenshot(page, 'examples-gallery');
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(page.getByTestId('examples')).toHaveCount(0);
  await expect(node(page, 'app1')).toBeVisible();
  await screenshot(page, 'example-two-namespaces-nat');

  const before = await serialized(page);
  await page.getByTestId('auto-layout').click();
  await expect.poll(() => serialized(page)).not.toBe(before);
  await expect(page.getByTestId('auto-layout')).toBeEnabled();
  const laidOut = await design(page);
  // Same network, new drawing.
  expect({ ...laidOut, layout: null }).toEqual({ ...JSON.parse(before), layout: null });
  await screenshot(page, 'auto-layout');
  await canvas(page).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => serialized(page)).toBe(before);
});

test('search jumps to an element by name or address', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  await canvas(page).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+f');
  await page.getByRole('searchbox').or(page.getByLabel('Search elements')).fill('10.0.0.3');
  await expect(page.getByTestId('search-result').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('search')).toHaveCount(0);
  const selection = await page.evaluate(() => window.__wireplan!.editor.getState().selection);
  expect(selection).toEqual(['veth2']);
});

test('diagram exports as SVG, PNG and PDF; the script and the containerlab topology save; Ctrl+S saves the design', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);

  const svgDownload = page.waitForEvent('download');
  await page.getByTestId('export-svg').click();
  const svg = readFileSync(await (await svgDownload).path(), 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('>ns1<');
  expect(svg).toContain('v-ns1');

  const pngDownload = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const png = readFileSync(await (await pngDownload).path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBeGreaterThan(2000);

  // PDF beside PNG and SVG: a real PDF that poppler (pdftoppm) renders with the diagram on it.
  const pdfDownload = page.waitForEvent('download');
  await page.getByTestId('export-pdf').click();
  const pdfPath = await (await pdfDownload).path();
  expect(readFileSync(pdfPath).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  const ppm = execFileSync('pdftoppm', ['-r', '36', '-singlefile', pdfPath]);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  const pixels = ppm.subarray(header[0].length);
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 3) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) inked++;
  expect(inked, 'the page shows the diagram, not a blank page').toBeGreaterThan(100);

  await page.getByTestId('export-script').click();
  const scriptDownload = page.waitForEvent('download');
  await page.getByTestId('save-script').click();
  const script = readFileSync(await (await scriptDownload).path(), 'utf8');
  expect(script.startsWith('#!')).toBe(true);
  // The same dialog exports the host as a containerlab topology and lists what it cannot carry over.
  await page.getByTestId('export-format').selectOption('clab');
  await expect(page.getByTestId('script-text')).toContainText('kind: linux');
  await expect(page.getByTestId('clab-omitted')).toBeVisible();
  const clabDownload = page.waitForEvent('download');
  await page.getByTestId('save-script').click();
  const clab = yaml.load(readFileSync(await (await clabDownload).path(), 'utf8')) as { topology: { nodes: Record<string, { kind: string }> } };
  expect(clab.topology.nodes['ns1']).toMatchObject({ kind: 'linux' });
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('dirty')).toBeVisible();
  const saved = page.waitForEvent('download');
  await canvas(page).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+s');
  const file = readFileSync(await (await saved).path(), 'utf8');
  expect(file).toBe(await serialized(page));
  await expect(page.getByTestId('dirty')).toHaveCount(0);
});

test('dark theme and the help overlay', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await node(page, 'app1').locator('.el-name').click();
  await screenshot(page, 'dark-theme-inspector');
  await canvas(page).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('help')).toBeVisible();
  await screenshot(page, 'help-overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help')).toHaveCount(0);
  // The preference survives a reload.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
