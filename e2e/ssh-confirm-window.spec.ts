// The confirm window in the designer, on a real SSH server through `wireplan serve`: a
// design whose bridge takes the lab host's SSH interface (mgmt0) is refused by preflight
// ("touches the management path"), the result says how to go on, and the apply dialog
// then offers "apply with a confirm window of N seconds" (off by default) and explains it.
// Applied that way, the run converges and is confirmed over a new SSH connection; destroy
// returns the server to its exact pre-apply snapshot.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MGMT_IF } from '../tests/support/lab-apply';
import { diffSnapshots } from '../tests/support/sandbox';
import { showTab } from './helpers';
import { useLabAndServe } from './lab-serve';
import { applyFromPlan, openServed } from './live-flow';
import { ROOT } from './serve';
import { pointAtLab } from './ssh-host';

const env = useLabAndServe('wp-e2e-confirm');

/** lxc-bridge with the lab's SSH interface enslaved to the bridge (as an unwary user might draw it). */
function enslavingDesign(): string {
  const d = JSON.parse(readFileSync(join(ROOT, 'resources/examples/lxc-bridge.wireplan.json'), 'utf8')) as {
    hosts: { nics: { name: string; management?: boolean }[] }[];
    bridges: { nics?: string[] }[];
  };
  d.hosts[0]!.nics.push({ name: MGMT_IF, management: false });
  d.bridges[0]!.nics = [MGMT_IF];
  return JSON.stringify(d, null, 2);
}

async function openDesign(page: Page, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open').click();
  await (await chooser).setFiles({ name: 'mgmt.wireplan.json', mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('a management-path refusal, then the confirm window offered, explained, applied and confirmed over a new connection', async ({ page }) => {
  test.setTimeout(300_000);
  await openServed(page, env.serve());
  await openDesign(page, enslavingDesign());
  await pointAtLab(page, 'host', env.lab());
  const before = await env.snapshot();

  // ---- refused: nothing changes, and the result says how to go on
  await showTab(page, 'plan');
  await page.getByTestId('apply-host').click();
  // No refusal yet: the dialog does not offer a window.
  await expect(page.getByTestId('confirm-window')).toHaveCount(0);
  await page.getByTestId('run-confirm-go').click();
  await expect(page.getByTestId('run-console')).toHaveAttribute('data-finished', 'true', { timeout: 60_000 });
  const result = page.getByTestId('run-host-host').getByTestId('run-result');
  await expect(result).toHaveAttribute('data-outcome', 'refused');
  await expect(result).toContainText('Refused: the plan touches the management path');
  await expect(result).toContainText(`enslaves management interface ${MGMT_IF}`);
  await expect(result.getByTestId('result-management-hint')).toBeVisible();
  expect(diffSnapshots(before, await env.snapshot())).toEqual([]);

  // ---- the dialog now offers the window, off by default, and explains it when chosen
  await page.getByTestId('apply-host').click();
  const offer = page.getByTestId('confirm-window');
  await expect(offer).toBeVisible();
  await expect(offer.getByTestId('confirm-window-use')).not.toBeChecked();
  await expect(offer.getByTestId('confirm-window-seconds')).toBeDisabled();
  await offer.getByTestId('confirm-window-use').check();
  await offer.getByTestId('confirm-window-seconds').fill('0');
  await expect(page.getByTestId('run-confirm-go')).toBeDisabled();
  await offer.getByTestId('confirm-window-seconds').fill('30');
  await expect(offer.getByTestId('confirm-window-explain')).toContainText('If that connection cannot be made within 30 s');
  await expect(page.getByTestId('run-confirm-go')).toContainText('(confirm within 30 s)');
  await page.getByTestId('run-confirm-go').click();
  await expect(page.getByTestId('run-console')).toHaveAttribute('data-finished', 'true', { timeout: 120_000 });
  await expect(result).toHaveAttribute('data-outcome', 'converged');
  await expect(result).toContainText('confirmed over a new connection');
  expect(await env.exec(`ip -o link show ${MGMT_IF}`)).toMatch(/master lxcbr0/);

  // ---- destroy: the server is back to its exact snapshot
  await applyFromPlan(page, 'destroy');
  await expect(result).toHaveAttribute('data-outcome', 'removed');
  expect(diffSnapshots(before, await env.snapshot())).toEqual([]);
});
