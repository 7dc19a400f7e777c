// The plan numbers what it counts (issue 12, item 10): "N steps" and the numbers beside the
// commands agree (a step's further commands are N.2, N.3), the same numbers the run
// console uses; commands wrap between words, not inside them.
import { expect, test } from '@playwright/test';
import { openApp, showTab } from './helpers';

test('plan numbering follows the steps; commands do not wrap mid-word', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await showTab(page, 'plan');
  const steps = page.getByTestId('plan-steps').locator('li.step');
  const count = await steps.count();
  await expect(page.getByTestId('plan-hash').locator('..')).toContainText(`${count} steps`);
  const numbers = await steps.evaluateAll((lis) => lis.map((li) => Array.from(li.querySelectorAll('pre.cmd .n')).map((n) => n.textContent)));
  numbers.forEach((ns, i) => {
    expect(ns[0]).toBe(String(i + 1));
    ns.slice(1).forEach((n, j) => expect(n).toBe(`${i + 1}.${j + 2}`));
  });
  const wrap = await page.locator('pre.cmd').first().evaluate((el) => getComputedStyle(el).wordBreak);
  expect(wrap).not.toBe('break-all');
});

test('the side panel widens by its edge, with the mouse or the keyboard, and keeps its width after a reload', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await showTab(page, 'plan');
  const side = page.getByTestId('side-panel');
  const handle = page.getByTestId('side-resizer');
  const before = (await side.boundingBox())!.width;
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + 200);
  await page.mouse.down();
  await page.mouse.move(h.x + h.width / 2 - 100, h.y + 200, { steps: 4 });
  await page.mouse.move(h.x + h.width / 2 - 200, h.y + 200, { steps: 4 });
  await page.mouse.up();
  const dragged = (await side.boundingBox())!.width;
  expect(dragged - before).toBeGreaterThan(190);
  expect(dragged - before).toBeLessThan(210);
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  const keyed = (await side.boundingBox())!.width;
  expect(keyed - dragged).toBeCloseTo(20, 0);
  await expect(handle).toHaveAttribute('aria-valuenow', String(Math.round(keyed)));
  await page.reload();
  await expect.poll(async () => Math.round((await page.getByTestId('side-panel').boundingBox())!.width)).toBe(Math.round(keyed));
  // Never wider than its share of the window, whatever is asked.
  await page.getByTestId('side-resizer').focus();
  for (let i = 0; i < 60; i++) await page.keyboard.press('Shift+ArrowLeft');
  const widest = (await page.getByTestId('side-panel').boundingBox())!.width;
  expect(widest).toBeLessThanOrEqual(Math.floor(page.viewportSize()!.width * 0.7) + 1);
});
