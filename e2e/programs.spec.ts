// Programs in namespaces through the app (docs/programs.md), against `wireplan serve` with
// the local sandbox host: the seed design gets a web server in app1 from the inspector
// (behind its port forward to app1:80), the apply starts it, the namespace node shows it
// running, the connectivity check is answered by it, and destroy stops it.
import { expect, test } from '@playwright/test';
import { design, fillIn, node, select, showTab } from './helpers';
import { applyFromPlan, openServed, runCheck } from './live-flow';
import { drawSeedExample, drawn } from './seed';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

test('a program added in the inspector runs after apply, shows running on its namespace, answers the check, and stops on destroy', async ({ page }) => {
  test.setTimeout(240_000);
  await openServed(page, serve);
  await drawSeedExample(page);

  // ---- the inspector: add a program to app1 and type its command line
  await select(page, drawn('app1'));
  await showTab(page, 'inspector');
  await page.getByTestId('add-program').click();
  const card = page.getByTestId('program-card');
  await expect(card).toHaveCount(1);
  await fillIn(card, 'programs[0].name', 'web');
  // An unterminated quote is reported on the field, and the design keeps the last good value.
  await fillIn(card, 'programs[0].command', "python3 -m 'http.server");
  await expect(card.getByTestId('field-message').first()).toContainText("unterminated '");
  await fillIn(card, 'programs[0].command', 'python3 -m http.server 80');
  await fillIn(card, 'programs[0].ports', '80');
  const app1 = (await design(page)).namespaces.find((n: { id: string }) => n.id === drawn('app1'));
  expect(app1.programs).toEqual([{ name: 'web', command: ['python3', '-m', 'http.server', '80'], env: {}, restart: false, ports: [80] }]);
  await expect(page.getByTestId('inspector').getByTestId('field-message')).toHaveCount(0);

  // ---- apply: one more step than the seed design, the program last in app1's group
  await applyFromPlan(page, 'apply');
  const host = page.getByTestId(`run-host-${drawn('lab')}`);
  await expect(host.getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await expect(host.getByTestId('run-result')).toContainText('Converged: 23 steps ran');
  expect(await page.getByTestId('run-log').innerText()).toContain('program web in app1: python3 -m http.server 80');
  await page.getByRole('button', { name: 'Close the console' }).click();

  // ---- live: the namespace node shows its program running
  const chip = node(page, drawn('app1')).getByTestId('program-chip');
  await expect(chip).toHaveAttribute('data-state', 'running', { timeout: 20_000 });
  await expect(chip).toHaveAttribute('title', /^web: running \(pid \d+\)$/);

  // ---- the check: the probes through the forward are answered by the program
  await runCheck(page);
  await expect(page.getByTestId('check-summary')).toHaveAttribute('data-disagree', '0');
  await page.keyboard.press('Escape');

  // ---- destroy stops it: the namespace is gone, and with it the program's chip
  await applyFromPlan(page, 'destroy');
  await expect(page.getByTestId(`run-host-${drawn('lab')}`).getByTestId('run-result')).toHaveAttribute('data-outcome', 'removed');
  await expect(node(page, drawn('app1')).getByTestId('live-badge')).toHaveAttribute('data-presence', 'missing', { timeout: 20_000 });
  await expect(node(page, drawn('app1')).getByTestId('program-chip')).toHaveCount(0);
});
