// The first screen (issue 12, item 10): an empty canvas greets with a welcome panel (open
// an example, set up a host, how it works, or start drawing), no empty minimap; drawing
// works through it; it goes with the first element. New on an untouched example does not
// ask to discard anything.
import { expect, test } from '@playwright/test';
import { drop, node, openApp, screenshot } from './helpers';

test('welcome panel on the empty canvas; examples from it; New on an untouched example asks nothing', async ({ page }) => {
  await openApp(page);
  const welcome = page.getByTestId('welcome');
  await expect(welcome).toBeVisible();
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  await screenshot(page, 'welcome');
  // Drawing starts right through it (a drop where the panel is lands on the canvas).
  const box = (await welcome.boundingBox())!;
  const canvasBox = (await page.getByTestId('canvas').boundingBox())!;
  await drop(page, 'namespace', box.x - canvasBox.x + 20, box.y - canvasBox.y + 10);
  await expect(node(page, 'ns1')).toBeVisible();
  await expect(welcome).toHaveCount(0);
  await expect(page.locator('.react-flow__minimap')).toHaveCount(1);

  // Back to empty, then an example from the panel.
  let asked = 0;
  page.removeAllListeners('dialog');
  page.on('dialog', (d) => {
    asked++;
    void d.accept();
  });
  await page.keyboard.press('Control+Alt+n');
  await expect(welcome).toBeVisible();
  expect(asked).toBe(1); // ns1 was an edit
  await page.getByTestId('welcome-examples').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(welcome).toHaveCount(0);
  // Untouched example: New asks nothing.
  await page.keyboard.press('Control+Alt+n');
  await expect(welcome).toBeVisible();
  expect(asked).toBe(1);
});

test('example descriptions read without internal labels', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('examples-button').click();
  const texts = await page.getByTestId('examples').locator('[data-testid^="example-"] span').allInnerTexts();
  expect(texts.length).toBeGreaterThan(3);
  for (const t of texts) expect(t).not.toMatch(/^Seed /);
});
