// Stand-in NICs in the sandbox (issue 14, item 5), from the UI through `wireplan serve`:
// the Hosts panel says the NICs of a sandbox host are stand-ins (with the addresses the
// backend gives them), and the NIC-based macvlan example applies and checks green there.
import { expect, test } from '@playwright/test';
import { screenshot } from './helpers';
import { applyFromPlan, openServed, runCheck } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

test('macvlan-shim in the sandbox: the Hosts panel names eth1 a stand-in; apply converges and the check agrees', async ({ page }) => {
  test.setTimeout(180_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-macvlan-shim').click();

  await page.getByTestId('hosts-button').click();
  const note = page.getByTestId('hosts-dialog').getByTestId('host-card-host').getByTestId('stand-in-note');
  await expect(note).toHaveAttribute('data-state', 'ok');
  await expect(note).toContainText('eth1 is a stand-in');
  await expect(note).toContainText('hidden “outside” namespace');
  await expect(note.getByTestId('stand-in-eth1')).toHaveText('eth1 100.64.0.2/24 — outside 100.64.0.1');
  await screenshot(page, 'hosts-stand-in');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('hosts-dialog')).toHaveCount(0);

  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  // The note told the truth: eth1 in the sandbox is that veth, with that address.
  expect(inSandbox(serve.pid, 'ip -br -4 addr show dev eth1')).toContain('100.64.0.2/24');
  await page.getByRole('button', { name: 'Close the console' }).click();

  await runCheck(page);
  const summary = page.getByTestId('check-summary');
  await expect(summary).toHaveAttribute('data-disagree', '0');
  expect(Number(await summary.getAttribute('data-probes'))).toBeGreaterThan(0);
  await page.keyboard.press('Escape');

  await applyFromPlan(page, 'destroy');
  await expect(page.getByTestId('run-result')).toHaveAttribute('data-outcome', 'removed');
  expect(inSandbox(serve.pid, 'ip netns list').trim()).toBe('');
});
