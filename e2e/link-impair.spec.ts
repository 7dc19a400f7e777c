// Link impairments and cut/restore in the app, against the local sandbox host through
// `wireplan serve` (the real backend): an applied example's link is cut with one click
// (ping across it fails, the canvas shows its ends down, nothing enters undo), restored
// (ping works again); impairment fields in the inspector show validation messages, and a
// rate set there shows on the link and is applied as a tbf qdisc on the host; destroy
// leaves nothing.
import { expect, test, type Page } from '@playwright/test';
import { screenshot } from './helpers';
import { applyFromPlan, everyElement, openServed, selectEdge } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

const pings = (from: string, to: string) => inSandbox(serve.pid, `ip netns exec ${from} ping -n -c 1 -W 1 ${to} >/dev/null 2>&1 && echo ok || echo fail`).trim();
const field = (page: Page, name: string) => page.getByTestId('inspector').locator(`input[name="${name}"]`);

test('cut and restore a link in one click; impairments from the inspector reach the host', async ({ page }) => {
  test.setTimeout(240_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await page.getByRole('button', { name: 'Close the console' }).click();
  await everyElement(page, 'present');
  expect(pings('app1', '10.0.0.3')).toBe('ok');
  const undoBefore = await page.getByTestId('undo').isDisabled();

  // ---- cut: both ends down on the host, the canvas shows it, the design and undo unchanged
  await selectEdge(page, 'link-app1');
  const action = page.getByTestId('link-action');
  await action.getByRole('button', { name: 'Cut link' }).click();
  await expect(page.getByTestId('link-action-result')).toHaveText('link "app1 uplink" cut on host lab: eth0 in app1, v-app1 down');
  await expect(page.getByTestId('end-link-app1.a')).toHaveAttribute('data-oper', 'down', { timeout: 10_000 });
  await expect(page.getByTestId('end-link-app1.b')).toHaveAttribute('data-oper', 'down');
  await expect(page.getByTestId('edge-link-app1')).toHaveAttribute('data-down', 'true');
  await expect(action).toHaveAttribute('data-cut', 'true');
  await expect(page.getByTestId('end-link-app2.a')).toHaveAttribute('data-oper', 'up');
  expect(pings('app1', '10.0.0.3')).toBe('fail');
  expect(await page.getByTestId('undo').isDisabled()).toBe(undoBefore);
  await screenshot(page, 'link-cut');

  // ---- restore
  await action.getByRole('button', { name: 'Restore link' }).click();
  await expect(page.getByTestId('link-action-result')).toHaveText('link "app1 uplink" restored on host lab: eth0 in app1, v-app1 up');
  await expect(page.getByTestId('end-link-app1.a')).toHaveAttribute('data-oper', 'up', { timeout: 10_000 });
  await expect(page.getByTestId('edge-link-app1')).not.toHaveAttribute('data-down', 'true');
  await expect.poll(() => pings('app1', '10.0.0.3'), { timeout: 10_000 }).toBe('ok');

  // ---- impairments in the inspector: an impossible value is named at its field
  await field(page, 'impair.delayMs').fill('-5');
  await expect(page.getByTestId('inspector').getByTestId('field-message').filter({ hasText: 'delayMs -5 is negative' })).toHaveCount(1);
  await field(page, 'impair.delayMs').fill('');
  await field(page, 'a.impair.jitterMs').fill('3');
  await expect(page.getByTestId('inspector').getByTestId('field-message').filter({ hasText: 'jitter 3 ms without a delay' })).toHaveCount(1);
  await field(page, 'a.impair.jitterMs').fill('');
  await expect(page.getByTestId('inspector').getByTestId('field-message')).toHaveCount(0);
  // A rate on what app1 sends: the plan gets a tc step, apply puts a tbf on app1's eth0.
  await field(page, 'a.impair.rateKbit').fill('2000');
  await field(page, 'a.impair.rateKbit').blur();
  // The canvas names the impairment on the link, by direction.
  await expect(page.getByTestId('impair-link-app1')).toHaveText('⏱ a→b 2000 kbit/s');
  await expect(page.getByTestId('impair-link-app2')).toHaveCount(0);
  await screenshot(page, 'link-impair-fields');
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await expect(page.getByTestId('run-log')).toContainText('impair eth0 in app1 (end a of link "app1 uplink" sends): 2000 kbit/s');
  expect(inSandbox(serve.pid, 'ip netns exec app1 tc qdisc show dev eth0')).toMatch(/^qdisc tbf 5770: root .*rate 2Mbit/m);
  await page.getByRole('button', { name: 'Close the console' }).click();

  // ---- destroy: nothing left
  await applyFromPlan(page, 'destroy');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'removed');
  expect(inSandbox(serve.pid, 'ip netns list').trim()).toBe('');
  expect(inSandbox(serve.pid, 'ls /run/wireplan/twons/qdisc 2>/dev/null | wc -l').trim()).toBe('0');
});
