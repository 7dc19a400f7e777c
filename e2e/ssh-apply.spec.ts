// Canvas to kernel and back on a real SSH server, through `wireplan serve` in Chromium: a
// lab host (Debian's sshd in root-made namespaces, tests/support/labhost.ts; its SSH link
// renamed mgmt0 and an eth0 uplink into a "world" namespace, as the SSH apply tests shape
// it) is the target of the seed design drawn from an empty canvas. The user points the
// host at it in the hosts manager, trusts its key after comparing the fingerprint, applies
// (progress per step), sees every element present, runs the connectivity check, changes
// the server by hand (a link down, an extra address) and sees the drift (badges and the
// inspector's field/actual/expected), destroys, and the server is back to its exact
// pre-apply snapshot. A failing apply (a foreign interface holding a name the plan needs)
// rolls back to the exact prior state and leaves the foreign object alone. The page
// records no Content-Security-Policy violation in either flow, and nothing the spec
// started is left afterwards.
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { diffSnapshots } from '../tests/support/sandbox';
import { recordCspViolations } from './csp';
import { screenshot, showTab } from './helpers';
import { useLabAndServe } from './lab-serve';
import { applyBlockedByForeignVApp2, applyFromPlan, badge, everyElement, openServed, runCheck, selectEdge } from './live-flow';
import { drawSeedExample, drawn } from './seed';
import { ROOT } from './serve';
import { pointAtLab } from './ssh-host';

/**
 * The designer with live state: written to the untracked artifacts folder (a test never
 * writes tracked files). To refresh the README's picture, copy it to docs/screenshot-live.png
 * by hand after a run.
 */
const README_SCREENSHOT = join(ROOT, 'e2e/artifacts/screenshot-live.png');

const env = useLabAndServe('wp-e2e-ssh');

async function open(page: Page): Promise<() => Promise<string[]>> {
  const csp = await recordCspViolations(page);
  await openServed(page, env.serve());
  return csp;
}

test('the drawn seed design over SSH: trust the key, apply, live present, check passes, drift by hand, destroy to the exact snapshot', async ({ page }) => {
  test.setTimeout(300_000);
  const csp = await open(page);
  await drawSeedExample(page);
  const { trustedNow } = await pointAtLab(page, drawn('lab'), env.lab());
  expect(trustedNow, 'a fresh lab host key is unknown until the user trusts it').toBe(true);
  const before = await env.snapshot();

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
  // What the host really has now (read without SSH).
  expect((await env.exec('ip netns list')).split('\n').map((l) => l.split(' ')[0]).filter(Boolean).sort()).toEqual(['app1', 'app2', 'world']);

  // ---- live overlay: every element present, links up, rates shown
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await everyElement(page, 'present', drawn);
  await expect(page.getByTestId('host-connection')).toHaveAttribute('data-connection', 'connected');
  for (const end of [`${drawn('link-app1')}.a`, `${drawn('link-app1')}.b`, `${drawn('link-app2')}.a`, `${drawn('link-app2')}.b`]) await expect(page.getByTestId(`end-${end}`)).toHaveAttribute('data-oper', 'up');
  await expect(page.getByTestId(`rates-${drawn('link-app1')}`)).toContainText('B/s', { timeout: 15_000 });
  await screenshot(page, 'ssh-apply-console');
  await page.getByRole('button', { name: 'Close the console' }).click();
  await showTab(page, 'inspector');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.locator(`.react-flow__node[data-id="${drawn('app1')}"] .el-name`).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', drawn('app1'));
  await expect(page.getByTestId('live-info')).toBeVisible();
  await page.screenshot({ path: README_SCREENSHOT });

  // ---- the connectivity check passes
  await runCheck(page);
  const summary = page.getByTestId('check-summary');
  await expect(summary).toHaveAttribute('data-disagree', '0');
  expect(Number(await summary.getAttribute('data-probes'))).toBeGreaterThanOrEqual(6);
  await expect(page.locator('[data-testid^="cell-"][data-state="mismatch"]')).toHaveCount(0);
  await screenshot(page, 'ssh-check-matrix');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('check-dialog')).toHaveCount(0);

  // ---- change the server by hand: the bridge port of app1's link goes down
  await env.exec('ip link set dev v-app1 down');
  await expect(page.getByTestId(`end-${drawn('link-app1')}.b`)).toHaveAttribute('data-oper', 'down', { timeout: 10_000 });
  await expect(page.getByTestId(`edge-${drawn('link-app1')}`)).toHaveAttribute('data-presence', 'drifted');
  await expect(page.getByTestId(`edge-${drawn('link-app2')}`)).toHaveAttribute('data-presence', 'present');
  await selectEdge(page, drawn('link-app1'));
  const drift = page.getByTestId('live-info').locator(`[data-element="${drawn('link-app1')}.b"]`).getByTestId('drift-details');
  await expect(drift).toContainText('admin state');
  await expect(drift.locator('td.actual').first()).toHaveText('down');
  await expect(drift.locator('td.expected').first()).toHaveText('up');
  await screenshot(page, 'ssh-live-drift');

  // ---- and an address the design does not have, added to the bridge: its badge says drifted
  await env.exec('ip addr add 10.9.9.9/24 dev br0');
  await expect(badge(page, 'br0')).toHaveAttribute('data-presence', 'drifted', { timeout: 10_000 });
  await expect(badge(page, drawn('app1'))).toHaveAttribute('data-presence', 'present');
  await page.locator('.react-flow__node[data-id="br0"] .el-name').click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', 'br0');
  await expect(page.getByTestId('live-info').getByTestId('drift-details')).toContainText('unexpected address 10.9.9.9/24');
  await screenshot(page, 'ssh-live-drift-address');

  // ---- destroy: everything gone on the canvas, and the server exactly as before the apply
  await applyFromPlan(page, 'destroy');
  await expect(page.getByTestId(`run-host-${drawn('lab')}`).getByTestId('run-result')).toHaveAttribute('data-outcome', 'removed');
  await everyElement(page, 'missing', drawn);
  await screenshot(page, 'ssh-destroyed');
  expect(diffSnapshots(before, await env.snapshot())).toEqual([]);
  expect(await csp()).toEqual([]);
});

test('a failing apply over SSH (a foreign interface holding a name the plan needs) shows the error, rolls back exactly, and leaves the foreign object alone', async ({ page }) => {
  test.setTimeout(180_000);
  const csp = await open(page);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await pointAtLab(page, 'lab', env.lab());
  // Made by hand, without Wireplan's tag: an interface whose altname is a name the plan needs.
  await env.exec('ip link add wpx0 type veth peer name wpx1 && ip link property add dev wpx0 altname v-app2');
  const before = await env.snapshot();

  await applyBlockedByForeignVApp2(page);

  // The canvas shows what the server really has: nothing of the design.
  await page.getByRole('button', { name: 'Close the console' }).click();
  await everyElement(page, 'missing');
  await screenshot(page, 'ssh-apply-rolled-back');
  // Exactly the prior state, foreign interface (with its altname) included.
  expect(diffSnapshots(before, await env.snapshot())).toEqual([]);
  expect(await env.exec('ip -o link show wpx0')).toContain('altname v-app2');
  expect(await csp()).toEqual([]);
});
