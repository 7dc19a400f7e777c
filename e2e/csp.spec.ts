// The renderer's Content-Security-Policy: the <meta> policy of the build is the one the
// backend serves as a header (electron/backend/service/csp.ts, used by `wireplan serve`
// and the desktop shell's app:// protocol), minus what a meta element cannot carry; it
// has no 'unsafe-inline' or 'unsafe-eval'; and the designer runs under the meta policy
// alone (the preview server sends no header) without one violation: open an example,
// auto-layout (ELK's worker), plan, diagram exports (blob: images), the script dialog.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rendererCsp } from '../electron/backend/service/csp';
import { recordCspViolations } from './csp';
import { node, openApp, serialized, showTab } from './helpers';
import { ROOT } from './serve';

/** directive name -> its sources, in order. */
function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources.join(' ')]),
  );
}

test('the meta policy of the build equals the served one (minus frame-ancestors) and allows nothing inline or evaluated', () => {
  const html = readFileSync(join(ROOT, 'renderer/dist/index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
  expect(meta, 'renderer/dist/index.html has a CSP meta element').toBeDefined();
  const served = directives(rendererCsp());
  served.delete('frame-ancestors'); // ignored (with a console error) in a meta element
  expect(directives(meta!)).toEqual(served);
  expect(meta).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
});

test('the designer under the meta policy alone records no violation', async ({ page }) => {
  const violations = await recordCspViolations(page);
  await openApp(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
  const before = await serialized(page);
  await page.getByTestId('auto-layout').click();
  await expect.poll(() => serialized(page)).not.toBe(before);
  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-steps').locator('li.step').first()).toBeVisible();
  for (const kind of ['svg', 'png']) {
    const download = page.waitForEvent('download');
    await page.getByTestId(`export-${kind}`).click();
    await download;
  }
  await page.getByTestId('export-script').click();
  await expect(page.getByTestId('save-script')).toBeVisible();
  await page.keyboard.press('Escape');
  expect(await violations()).toEqual([]);
});
