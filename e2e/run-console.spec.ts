// The apply console tells the truth about a failing run (issue 12, item 8). The macvlan
// example needs a NIC eth1: the sandbox makes a stand-in for it, which the test deletes by
// hand first. The runtime announces a whole ip batch of steps before it runs it, the batch
// fails at its first macvlan ("Cannot find device eth1"), and the run rolls back. The console must show ✓ only for steps the host reported done (those before the
// failing one), "not run" for every step after it, and the rollback's undos as such.
import { expect, test } from '@playwright/test';
import { screenshot, showTab } from './helpers';
import { applyFromPlan, badge, openServed } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

test('a failing apply in the sandbox: ✓ only for steps the host reported done, the rest "not run", rollback listed as such', async ({ page }) => {
  test.setTimeout(120_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-macvlan-shim').click();
  // Watching starts the sandbox host (with its stand-in eth1), which the test then breaks.
  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await expect(badge(page, 'm1')).toHaveAttribute('data-presence', 'missing', { timeout: 30_000 });
  inSandbox(serve.pid, 'ip link del eth1');
  await applyFromPlan(page, 'apply');
  const host = page.getByTestId('run-steps-host');
  const result = page.getByTestId('run-result');
  await expect(result).toHaveAttribute('data-outcome', 'rolled-back');
  await expect(result.getByTestId('result-output')).toContainText('eth1');

  const failed = host.locator('[data-state="failed"]');
  await expect(failed).toHaveCount(1);
  const at = Number(await failed.getAttribute('data-index'));
  await expect(failed).toContainText('failed');

  const steps = await host.locator('li.run-step').evaluateAll((els) => els.map((el) => ({ index: Number(el.getAttribute('data-index')), state: el.getAttribute('data-state')!, icon: el.querySelector('.step-icon')?.textContent ?? '' })));
  expect(steps.length).toBeGreaterThan(at);
  for (const s of steps) {
    // Done (and then undone by the rollback, or already there) only before the failing step.
    if (s.index < at) expect(['rolled-back', 'covered', 'skipped'], `step ${s.index}`).toContain(s.state);
    // Never claimed after it: not run (or already there, which the host probed).
    if (s.index > at) expect(['not-run', 'skipped'], `step ${s.index}`).toContain(s.state);
    expect(s.icon === '✓' ? s.index : 0, `step ${s.index} shows ✓ after a failed run`).toBe(0);
  }
  expect(steps.filter((s) => s.state === 'not-run').length).toBeGreaterThan(0);
  await expect(host.locator('[data-state="not-run"]').first()).toContainText('not run');

  const log = (await page.getByTestId('run-log').innerText()).split('\n');
  const numbers = (mark: string) => log.flatMap((l) => (l.includes(mark) ? [Number(/ (\d+)\/\d+ /.exec(l.slice(l.indexOf(mark)))?.[1])] : []));
  // The host announced steps after the failing one (one ip batch) ...
  expect(numbers('▶ ').some((n) => n > at), log.join('\n')).toBe(true);
  // ... but reported done only those before it.
  expect(numbers('✓ ').every((n) => n < at), log.join('\n')).toBe(true);
  expect(log.some((l) => l.includes(`✘ ${at}/`))).toBe(true);
  // Every step that the rollback undid is listed as a rollback step, after the failure.
  const undid = numbers('⟲ rollback: undid ');
  expect(undid.every((n) => n < at)).toBe(true);
  const firstUndo = log.findIndex((l) => l.includes('⟲ rollback: undid'));
  if (undid.length) expect(firstUndo).toBeGreaterThan(log.findIndex((l) => l.includes(`✘ ${at}/`)));
  expect(log.some((l) => l.includes('– not run:'))).toBe(true);
  await screenshot(page, 'apply-console-failed');

  // After the rollback, the host's routes (via the shim that was never created) are missing, not drifted.
  await page.getByRole('button', { name: 'Close the console' }).click();
  await showTab(page, 'inspector');
  await page.getByTestId('node-host').locator('.frame-name').click();
  const hostLive = page.getByTestId('live-info').locator('[data-element="host"]');
  await expect(hostLive).toHaveAttribute('data-presence', 'missing', { timeout: 15_000 });
  await expect(hostLive).toContainText('mv-shim does not exist');
});
