// Visual regression of the main views at 1280 and 1440 px: reviewed baselines under
// e2e/visual.spec.ts-snapshots/ (regenerate with `npm run test:e2e -- e2e/visual.spec.ts
// --update-snapshots`, then look at every image before committing it). What changes from run
// to run (run ids, clock times, traffic rates, the autosave time) is hidden by visual.css; a
// small tolerance absorbs anti-aliasing. The views: the empty canvas, an example, its plan,
// dark mode (the static build), and the apply console and the connectivity check (a real
// apply to the sandbox of `wireplan serve`).
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { node, openApp, showTab } from './helpers';
import { applyFromPlan, openServed, runCheck } from './live-flow';
import { startServe } from './serve';

// visual.css reaches the page as an inline style, which Wireplan's CSP (rightly) refuses.
test.use({ bypassCSP: true });

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;

/** Hides what changes from run to run (clock times, run ids, rates; see visual.css), keeping the layout. */
const STYLE = fileURLToPath(new URL('./visual.css', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  // toHaveScreenshot retries until two shots in a row agree, so layout (fonts, the label placer) settles first.
  await expect(page).toHaveScreenshot(`${name}.png`, { maxDiffPixelRatio: 0.01, stylePath: STYLE, animations: 'disabled', caret: 'hide' });
}

async function openExample(page: Page): Promise<void> {
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
}

for (const size of WIDTHS) {
  test(`main views at ${size.width} px: empty, example, plan, dark mode`, async ({ page }) => {
    await page.setViewportSize(size);
    await openApp(page);
    await expect(page.getByTestId('welcome')).toBeVisible();
    await shot(page, `empty-${size.width}`);

    await openExample(page);
    await page.getByTestId('fit').click();
    await shot(page, `example-${size.width}`);

    await showTab(page, 'plan');
    await expect(page.getByTestId('plan-steps')).toBeVisible();
    await shot(page, `plan-${size.width}`);

    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await shot(page, `dark-${size.width}`);
  });
}

test('apply console and connectivity check at 1280 and 1440 px (real apply to the sandbox)', async ({ page }) => {
  test.setTimeout(180_000);
  const serve = await startServe();
  try {
    await page.setViewportSize(WIDTHS[0]);
    await openServed(page, serve);
    await openExample(page);
    await applyFromPlan(page, 'apply');
    await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
    await expect(page.locator('.react-flow [data-testid="live-badge"]:not([data-presence="present"])')).toHaveCount(0, { timeout: 15_000 });
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await shot(page, `apply-console-${size.width}`);
    }
    await page.getByRole('button', { name: 'Close the console' }).click();
    await runCheck(page);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await shot(page, `check-${size.width}`);
    }
  } finally {
    await serve.stop();
  }
});
