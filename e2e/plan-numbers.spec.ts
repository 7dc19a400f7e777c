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
