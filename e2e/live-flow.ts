// Steps shared by the apply / live / check specs against a `wireplan serve` backend (the
// local sandbox host or an SSH lab host): open the page, run apply or destroy from the
// plan tab through the confirmation, wait for the live overlay, run the connectivity check.
import { expect, type Page } from '@playwright/test';
import { clickEdge, showTab } from './helpers';
import type { Serve } from './serve';

/** The seed design's elements with a live badge, and its links (edges). */
export const SEED_NODES = ['app1', 'app2', 'br0', 'nat-out', 'web'];
export const SEED_LINKS = ['link-app1', 'link-app2'];

export async function openServed(page: Page, serve: Serve): Promise<void> {
  page.on('dialog', (d) => void d.accept());
  await page.goto(serve.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

export function badge(page: Page, id: string) {
  return page.locator(`.react-flow__node[data-id="${id}"]`).getByTestId('live-badge');
}

/** Every element of the seed design shows `presence` on the canvas. */
export async function everyElement(page: Page, presence: string, idOf: (exampleId: string) => string = (id) => id): Promise<void> {
  for (const id of SEED_NODES.map(idOf)) await expect(badge(page, id), id).toHaveAttribute('data-presence', presence, { timeout: 15_000 });
  for (const v of SEED_LINKS.map(idOf)) await expect(page.getByTestId(`edge-${v}`), v).toHaveAttribute('data-presence', presence, { timeout: 15_000 });
}

/** Apply or destroy from the plan tab: the confirmation names the plan's hash; resolves when the run console says finished. */
export async function applyFromPlan(page: Page, kind: 'apply' | 'destroy'): Promise<void> {
  await showTab(page, 'plan');
  const hash = await page.getByTestId('plan-hash').getAttribute('title');
  await page.getByTestId(kind === 'apply' ? 'apply-host' : 'destroy-host').click();
  if (kind === 'apply') await expect(page.getByTestId('confirm-hash')).toHaveText(hash!.slice(0, 12));
  await page.getByTestId('run-confirm-go').click();
  await expect(page.getByTestId('run-console')).toHaveAttribute('data-kind', kind);
  await expect(page.getByTestId('run-console')).toHaveAttribute('data-finished', 'true', { timeout: 60_000 });
}

export async function selectEdge(page: Page, id: string): Promise<void> {
  await showTab(page, 'inspector');
  await clickEdge(page, id);
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', id);
}

/** Opens the check dialog and runs the connectivity check; resolves when it is done. */
export async function runCheck(page: Page): Promise<void> {
  await page.getByTestId('check-button').click();
  await page.getByTestId('run-check').click();
  await expect(page.getByTestId('run-check')).toHaveText(/Checking/);
  await expect(page.getByTestId('run-check')).toHaveText('Check again', { timeout: 90_000 });
}

/**
 * Applies the two-namespaces-nat example to host "lab" where a foreign interface already
 * holds the altname v-app2: step 5 fails with "File exists", what ran is undone (explicitly
 * or with the namespace that held it), the rest never ran, and the console says so.
 */
export async function applyBlockedByForeignVApp2(page: Page): Promise<void> {
  await applyFromPlan(page, 'apply');
  const host = page.getByTestId('run-host-lab');
  const result = host.getByTestId('run-result');
  await expect(result).toHaveAttribute('data-outcome', 'rolled-back');
  await expect(result).toContainText('Rolled back: step 5 failed');
  await expect(result).toContainText('veth v-app2 <-> eth0 (app2)');
  await expect(result.getByTestId('result-output')).toContainText('File exists');
  await expect(host.locator('[data-step="link:root:v-app2"]')).toHaveAttribute('data-state', 'failed');
  await expect(host.locator('[data-step="netns:root:app1"]')).toHaveAttribute('data-state', /rolled-back|covered/);
  await expect(host.locator('[data-step="route:app2:default"]')).toHaveAttribute('data-state', 'not-run');
  await expect(page.getByTestId('run-log')).toContainText('rolling back');
  await expect(page.getByTestId('run-log')).toContainText('RTNETLINK answers: File exists');
}
