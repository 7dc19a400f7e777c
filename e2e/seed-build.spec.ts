// The seed example drawn from an empty canvas by mouse and keyboard: it validates clean;
// its plan preview and exported script are byte for byte what the CLI prints for the drawn
// design (`wireplan plan` / `wireplan export --host lab`); and that drawn design is the
// example file up to its ids. The user never types an id, so the drawn elements keep the
// canvas's (host1, ns1, ...). Ids are the stable ownership tags on host objects (so a rename
// never orphans what is on a host), hence they appear in the plan, in those tags only: with
// the drawn ids mapped to the example's, the CLI prints the example's plan and script exactly.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { design, openApp, screenshot, showTab } from './helpers';
import { drawSeedExample, SEED_FILE, SEED_IDS, seed } from './seed';
import { ROOT } from './serve';

/** Today's counts of user actions for the drawing (an edit that adds steps fails here). */
const MAX = { drags: 7, clicks: 10, typed: 15 };

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** Every string equal to a drawn id (values and keys, NIC node keys too) replaced by the example's id. */
function withExampleIds(value: unknown): unknown {
  const map = (s: string) => SEED_IDS[s] ?? s.replace(/^nic:([^:]+):/, (m, h: string) => (SEED_IDS[h] ? `nic:${SEED_IDS[h]}:` : m));
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map(withExampleIds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [map(k), withExampleIds(v)]));
  return value;
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

const listing = (cliPlan: string) =>
  cliPlan
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .trimEnd();

test('the seed example drawn from an empty canvas: clean, and the same plan and script as the CLI', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  const actions = await drawSeedExample(page);
  console.log(`seed build: ${actions.drags} drags, ${actions.clicks} clicks, ${actions.typed} typed values`);
  expect(actions.drags).toBeLessThanOrEqual(MAX.drags);
  expect(actions.clicks).toBeLessThanOrEqual(MAX.clicks);
  expect(actions.typed).toBeLessThanOrEqual(MAX.typed);

  const d = await design(page);
  expect(d.hosts.map((h) => h.name)).toEqual(['lab']);
  expect(d.namespaces.map((n) => n.name)).toEqual(['app1', 'app2']);
  expect(d.veths.map((v) => [v.name, v.a.at, v.a.ifname, v.a.addresses, v.b.at, v.b.ifname])).toEqual([
    ['app1 uplink', 'ns1', 'eth0', ['10.0.0.2/24'], 'br0', 'v-app1'],
    ['app2 uplink', 'ns2', 'eth0', ['10.0.0.3/24'], 'br0', 'v-app2'],
  ]);
  expect(d['tag']).toBe(seed.tag);

  await showTab(page, 'diagnostics');
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();
  await expect(page.getByTestId('diag-badge')).toHaveCount(0);
  await screenshot(page, 'seed-drawn');

  const dir = mkdtempSync(join(tmpdir(), 'wp-seed-'));
  const drawnFile = join(dir, 'drawn.wireplan.json');
  const mappedFile = join(dir, 'mapped.wireplan.json');
  writeFileSync(drawnFile, JSON.stringify(d));
  writeFileSync(mappedFile, JSON.stringify(withExampleIds(d)));

  // Plan preview == `wireplan plan` of the drawn design (hash and every step and command).
  const drawnPlan = cli('plan', drawnFile);
  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-hash')).toHaveAttribute('title', /plan sha256:([0-9a-f]+)/.exec(drawnPlan)![1]!);
  expect(await previewListing(page)).toBe(listing(drawnPlan));

  // Exported script == `wireplan export --host lab` of the drawn design, byte for byte.
  await page.getByTestId('open-export').click();
  const shown = await page.getByTestId('script-text').evaluate((el) => el.textContent);
  expect(shown).toBe(cli('export', drawnFile, '--host', 'lab'));
  await page.keyboard.press('Escape');

  // Up to ids, the drawn design is the example: the same plan (hash included) and script.
  const examplePlan = cli('plan', SEED_FILE);
  expect(cli('plan', mappedFile)).toBe(examplePlan);
  expect(cli('export', mappedFile, '--host', 'lab')).toBe(cli('export', SEED_FILE, '--host', 'lab'));
  // And ids reach the plan only inside ownership tags ("wireplan:<tag>:<id>").
  const ex = listing(examplePlan).split('\n');
  const differing = listing(drawnPlan)
    .split('\n')
    .filter((line, i) => line !== ex[i]);
  expect(differing.length).toBeGreaterThan(0);
  for (const line of differing) expect(line).toMatch(/wireplan:twons:/);
});
