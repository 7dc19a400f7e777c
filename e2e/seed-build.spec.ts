// The seed example drawn from an empty canvas by mouse and keyboard: it validates clean,
// and its plan preview and exported script are byte for byte what the CLI prints for the
// example file (`wireplan plan` / `wireplan export --host lab`).
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { design, openApp, screenshot, showTab } from './helpers';
import { drawSeedExample, SEED_FILE, seed } from './seed';
import { ROOT } from './serve';

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** The plan listing as the preview shows it, in the CLI's format: "[i/N] description  (id)" and its commands. */
async function previewListing(page: Page): Promise<string> {
  return page.getByTestId('plan-steps').evaluate((ol) => {
    const steps = Array.from(ol.querySelectorAll(':scope > li.step'));
    return steps
      .map((li, i) => {
        const desc = li.querySelector('.step-desc')!.textContent;
        const cmds = Array.from(li.querySelectorAll('.cmd-text')).map((c) => `\n    ${c.textContent}`).join('');
        return `[${i + 1}/${steps.length}] ${desc}  (${li.getAttribute('data-step')})${cmds}`;
      })
      .join('\n');
  });
}

test('the seed example drawn from an empty canvas: clean, and the same plan and script as the CLI', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await drawSeedExample(page);

  const d = await design(page);
  expect(d.hosts.map((h) => h.id)).toEqual(['lab']);
  expect(d.namespaces.map((n) => n.id)).toEqual(['app1', 'app2']);
  expect(d.veths.map((v) => [v.id, v.name, v.a.at, v.a.ifname, v.a.addresses, v.b.at, v.b.ifname])).toEqual([
    ['link-app1', 'app1 uplink', 'app1', 'eth0', ['10.0.0.2/24'], 'br0', 'v-app1'],
    ['link-app2', 'app2 uplink', 'app2', 'eth0', ['10.0.0.3/24'], 'br0', 'v-app2'],
  ]);
  expect(d['tag']).toBe(seed.tag);

  await showTab(page, 'diagnostics');
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();
  await expect(page.getByTestId('diag-badge')).toHaveCount(0);
  await screenshot(page, 'seed-drawn');

  // Plan preview == `wireplan plan FILE` for the example file (hash and every step and command).
  const cliPlan = cli('plan', SEED_FILE);
  const cliHash = /plan sha256:([0-9a-f]+)/.exec(cliPlan)![1]!;
  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-hash')).toHaveAttribute('title', cliHash);
  const cliListing = cliPlan
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .trimEnd();
  expect(await previewListing(page)).toBe(cliListing);

  // Exported script == `wireplan export FILE --host lab`, byte for byte.
  const cliScript = cli('export', SEED_FILE, '--host', 'lab');
  await page.getByTestId('open-export').click();
  const shown = await page.getByTestId('script-text').evaluate((el) => el.textContent);
  expect(shown).toBe(cliScript);
  await page.keyboard.press('Escape');
});
