// Canvas to kernel and back on the local sandbox host, through `wireplan serve` (the real
// backend in its own process): the seed design drawn from an empty canvas is applied from
// the UI with its progress streamed per step; every element turns present on the canvas;
// the connectivity check passes; a change made by hand inside the sandbox shows up as
// drift (and as a check mismatch with its cause); destroy leaves the sandbox empty. And a
// failing apply (a foreign interface holding a name the plan needs) shows the error, the
// rollback, and the true state on the canvas.
import { expect, test, type Page } from '@playwright/test';
import { bigDesign } from './fixtures/bigDesign';
import { screenshot, showTab } from './helpers';
import { applyBlockedByForeignVApp2, applyFromPlan, everyElement, openServed, runCheck, selectEdge } from './live-flow';
import { inSandbox, sandboxInits } from './sandbox';
import { drawSeedExample, drawn } from './seed';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

const open = (page: Page) => openServed(page, serve);

test('the drawn seed design: apply to the sandbox, live present, check passes, drift by hand, destroy', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page);
  await drawSeedExample(page);

  // ---- apply, with progress per step
  await applyFromPlan(page, 'apply');
  const host = page.getByTestId(`run-host-${drawn('lab')}`);
  await expect(host.getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await expect(host.getByTestId('run-result')).toContainText('Converged: 22 steps ran');
  await expect(host.locator('[data-state="ok"]')).toHaveCount(22);
  const log = await page.getByTestId('run-log').innerText();
  const order = ['[preflight]', '▶ 1/22 namespace app1', '✓ 1/22 namespace app1', '✓ 22/22 route default via 10.0.0.1 in app2', '[verifying]', '✔ converged: 22 step(s) run'].map((t) => log.indexOf(t));
  expect(order.every((i) => i >= 0), log).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);

  // ---- live overlay: watching started with the run; every element present, links up
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await everyElement(page, 'present', drawn);
  await expect(page.getByTestId('host-connection')).toHaveAttribute('data-connection', 'connected');
  for (const end of [`${drawn('link-app1')}.a`, `${drawn('link-app1')}.b`, `${drawn('link-app2')}.a`, `${drawn('link-app2')}.b`]) await expect(page.getByTestId(`end-${end}`)).toHaveAttribute('data-oper', 'up');
  await expect(page.getByTestId(`rates-${drawn('link-app1')}`)).toContainText('B/s', { timeout: 15_000 });
  await screenshot(page, 'apply-console');
  await page.getByRole('button', { name: 'Close the console' }).click();
  await screenshot(page, 'live-overlay');

  // ---- the connectivity check passes
  await runCheck(page);
  const summary = page.getByTestId('check-summary');
  await expect(summary).toHaveAttribute('data-disagree', '0');
  expect(Number(await summary.getAttribute('data-probes'))).toBeGreaterThanOrEqual(6);
  await expect(page.locator('[data-testid^="cell-"][data-state="mismatch"]')).toHaveCount(0);
  await screenshot(page, 'check-matrix');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('check-dialog')).toHaveCount(0);

  // ---- change the host by hand: the bridge port of app1's link goes down
  inSandbox(serve.pid, 'ip link set dev v-app1 down');
  await expect(page.getByTestId(`end-${drawn('link-app1')}.b`)).toHaveAttribute('data-oper', 'down', { timeout: 5_000 });
  await expect(page.getByTestId(`edge-${drawn('link-app1')}`)).toHaveAttribute('data-presence', 'drifted');
  await expect(page.getByTestId(`edge-${drawn('link-app2')}`)).toHaveAttribute('data-presence', 'present');
  await selectEdge(page, drawn('link-app1'));
  const drift = page.getByTestId('live-info').locator(`[data-element="${drawn('link-app1')}.b"]`).getByTestId('drift-details');
  await expect(drift).toContainText('admin state');
  await expect(drift.locator('td.actual').first()).toHaveText('down');
  await expect(drift.locator('td.expected').first()).toHaveText('up');
  await screenshot(page, 'live-drift');

  // The plan, narrowed to what differs from the live host.
  await showTab(page, 'plan');
  await page.getByTestId('plan-diff').locator('input').check();
  const shownSteps = page.getByTestId('plan-steps').locator('li.step');
  await expect(page.getByTestId('plan-steps').locator('li.step[data-step="link-state:root:v-app1"]')).toHaveCount(1);
  const n = await shownSteps.count();
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(22);
  await screenshot(page, 'plan-diff');
  await page.getByTestId('plan-diff').locator('input').uncheck();

  // The check now disagrees and says why.
  await runCheck(page);
  expect(Number(await summary.getAttribute('data-disagree'))).toBeGreaterThan(0);
  await expect(page.getByTestId('check-explanation')).toContainText(/down/);
  await screenshot(page, 'check-mismatch');
  await page.keyboard.press('Escape');

  // ---- delete a veth by hand: that link is missing on the canvas
  inSandbox(serve.pid, 'ip link del dev v-app2');
  await expect(page.getByTestId(`edge-${drawn('link-app2')}`)).toHaveAttribute('data-presence', 'missing', { timeout: 5_000 });

  // ---- destroy: everything gone, on the canvas and in the sandbox
  await applyFromPlan(page, 'destroy');
  await expect(page.getByTestId(`run-host-${drawn('lab')}`).getByTestId('run-result')).toHaveAttribute('data-outcome', 'removed');
  await everyElement(page, 'missing', drawn);
  await screenshot(page, 'destroyed');
  expect(inSandbox(serve.pid, 'ip netns list').trim()).toBe('');
  expect(inSandbox(serve.pid, 'ip -o link show | grep -c -E "br0|v-app" || true').trim()).toBe('0');
  expect(inSandbox(serve.pid, 'nft list tables 2>/dev/null || true')).not.toContain('wp_twons');
});

test('a failing apply (a foreign interface holding a name the plan needs) shows the error, the rollback and the true state', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  // Watching first: the backend starts the sandbox host, where we put the foreign object.
  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await everyElement(page, 'missing');
  inSandbox(serve.pid, 'ip link add wpx0 type veth peer name wpx1 && ip link property add dev wpx0 altname v-app2');

  await applyBlockedByForeignVApp2(page);

  // The canvas shows what the host really has: nothing of the design.
  await everyElement(page, 'missing');
  await screenshot(page, 'apply-rolled-back');
  expect(inSandbox(serve.pid, 'ip netns list').trim()).toBe('');
  expect(inSandbox(serve.pid, 'ip -o link show | grep -c -E "br0|v-app1" || true').trim()).toBe('0');
  // The foreign interface was never touched.
  expect(inSandbox(serve.pid, 'ip -o link show wpx0')).toContain('wpx0');
});

test('cancel during a long apply: the console says so, the host finishes by itself, the canvas shows the truth', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  page.on('filechooser', () => undefined);
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open').click();
  await (await chooser).setFiles({ name: 'cancel.wireplan.json', mimeType: 'application/json', buffer: Buffer.from(bigDesign(150, 30)) });
  await expect(page.getByTestId('title')).toContainText('Big lab');
  await showTab(page, 'plan');
  await page.getByTestId('apply-host').click();
  await page.getByTestId('run-confirm-go').click();
  const host = page.getByTestId('run-host-h1');
  // Hold the on-host run still as soon as its runner exists (SIGSTOP to its own process
  // group, a setsid session our serve started), so Cancel lands mid-run however fast the
  // host is; the runner writes its pid file before it runs anything.
  let runner = '';
  await expect
    .poll(
      () => {
        // The sandbox itself appears with the first backend call that needs it.
        if (sandboxInits(serve.pid).length === 0) return '';
        return (runner = inSandbox(serve.pid, 'cat /run/wireplan/*/runs/*/pid 2>/dev/null || true').trim());
      },
      { timeout: 60_000, intervals: [5] },
    )
    .toMatch(/^\d+$/);
  inSandbox(serve.pid, `kill -STOP -- -${runner}`);
  try {
    await page.getByTestId('run-cancel').click();
    await expect(page.getByTestId('run-console')).toHaveAttribute('data-finished', 'true', { timeout: 60_000 });
  } finally {
    inSandbox(serve.pid, `kill -CONT -- -${runner}`);
  }
  const result = host.getByTestId('run-result');
  await expect(result).toHaveAttribute('data-outcome', 'canceled');
  await screenshot(page, 'apply-canceled');
  // The on-host run was not killed half-way: it converges, and the canvas follows it.
  await page.getByRole('button', { name: 'Close the console' }).click();
  await page.keyboard.press('Control+f');
  await page.getByLabel('Search elements').fill('n149');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node[data-id="n149"]').getByTestId('live-badge')).toHaveAttribute('data-presence', 'present', { timeout: 60_000 });
  await expect(page.getByTestId('edge-v149')).toHaveAttribute('data-presence', 'present');
  expect(inSandbox(serve.pid, 'ip netns list | wc -l').trim()).toBe('150');
});
