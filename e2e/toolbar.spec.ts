// The toolbar fits (issue 12, item 2): at 1024, 1280 and 1440 px nothing is clipped or off
// screen; every command is either on the toolbar or in its "More" menu; texts show on the
// wide window; the minimap sits inside the canvas, clear of the zoom controls; the Help
// panel explains the elements, connecting, apply, check and live, with links to the README.
import { expect, test, type Page } from '@playwright/test';
import { openApp, screenshot } from './helpers';

const COMMANDS = ['new', 'open', 'save', 'save-as', 'recent', 'examples', 'import', 'undo', 'redo', 'auto-layout', 'fit', 'search', 'svg', 'png', 'pdf', 'script', 'hosts', 'live', 'check', 'console'];

async function fits(page: Page, width: number): Promise<{ shown: string[]; texts: boolean }> {
  const toolbar = page.getByTestId('toolbar');
  const r = await toolbar.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(r.scroll, `toolbar overflows at ${width}px`).toBeLessThanOrEqual(r.client);
  const tb = (await toolbar.boundingBox())!;
  const buttons = toolbar.locator('button');
  const n = await buttons.count();
  for (let i = 0; i < n; i++) {
    const b = (await buttons.nth(i).boundingBox())!;
    const what = `${await buttons.nth(i).getAttribute('aria-label')} at ${width}px`;
    expect(b.x, what).toBeGreaterThanOrEqual(tb.x);
    expect(b.x + b.width, what).toBeLessThanOrEqual(Math.min(tb.x + tb.width, width) + 0.5);
    // The button's own content is not cut either.
    const cut = await buttons.nth(i).evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect(cut, what).toBe(false);
  }
  const shown = await toolbar.locator('[data-command]').evaluateAll((els) => els.map((e) => e.getAttribute('data-command')!));
  const texts = (await toolbar.locator('.tb-label').count()) > 0;
  return { shown, texts };
}

async function minimapAligned(page: Page): Promise<void> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const map = (await page.locator('.react-flow__minimap').boundingBox())!;
  const controls = (await page.locator('.react-flow__controls').boundingBox())!;
  expect(map.x + map.width).toBeLessThanOrEqual(canvas.x + canvas.width + 0.5);
  expect(map.y + map.height).toBeLessThanOrEqual(canvas.y + canvas.height + 0.5);
  expect(map.x).toBeGreaterThanOrEqual(controls.x + controls.width);
  // The map's own drawing fills its frame (no offset drawing inside a larger box).
  const svg = (await page.locator('.react-flow__minimap svg').boundingBox())!;
  expect(Math.abs(svg.x - map.x) + Math.abs(svg.y - map.y) + Math.abs(svg.width - map.width) + Math.abs(svg.height - map.height)).toBeLessThan(8);
}

for (const width of [700, 1024, 1280, 1440]) {
  test(`toolbar at ${width} px: nothing clipped, every command reachable, minimap aligned`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openApp(page);
    await page.getByTestId('examples-button').or(page.getByTestId('toolbar-more')).first().click();
    if (await page.getByTestId('toolbar-menu').isVisible()) await page.getByTestId('toolbar-menu').getByTestId('examples-button').click();
    await page.getByTestId('example-two-namespaces-nat').click();
    const { shown, texts } = await fits(page, width);
    let inMenu: string[] = [];
    if (await page.getByTestId('toolbar-more').isVisible()) {
      await page.getByTestId('toolbar-more').click();
      inMenu = await page.getByTestId('toolbar-menu').locator('[data-command]').evaluateAll((els) => els.map((e) => e.getAttribute('data-command')!));
      const menu = (await page.getByTestId('toolbar-menu').boundingBox())!;
      expect(menu.x).toBeGreaterThanOrEqual(0);
      expect(menu.x + menu.width).toBeLessThanOrEqual(width);
      await screenshot(page, `toolbar-${width}-menu`);
      await page.keyboard.press('Escape');
    }
    expect([...shown, ...inMenu].sort()).toEqual([...COMMANDS].sort());
    if (width >= 1440) expect(texts, 'texts on a wide window').toBe(true);
    if (width >= 1024) await minimapAligned(page);
    await screenshot(page, `toolbar-${width}`);
  });
}

test('the help panel explains elements, connecting, apply, check and live, with README links', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('help-button').click();
  const help = page.getByTestId('help');
  await expect(help).toBeVisible();
  for (const t of ['Namespace', 'Bridge', 'veth', 'Connect', 'Apply', 'Check', 'Live', 'Ctrl+Z']) await expect(help).toContainText(t);
  expect(await help.locator('a[href*="README"]').count()).toBeGreaterThanOrEqual(3);
  await screenshot(page, 'help-panel');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});
