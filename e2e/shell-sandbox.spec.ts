// A shell in a namespace, in the app (issue 14), on the local sandbox host through
// `wireplan serve`: apply the two-namespaces example, double-click namespace app1 and type
// `ip -br addr` (app1's address shows, app2's does not); the shell follows the panel's
// size; paste goes in; a second tab (the host's root namespace) keeps its own screen;
// closing a tab hangs its shell up (no process left in the namespace); reopening works
// from the context menu; `exit` leaves the end line on the screen; when the backend goes
// away an open tab ends and says so. No Content-Security-Policy violation is recorded.
import { expect, test } from '@playwright/test';
import { recordCspViolations } from './csp';
import { screenshot } from './helpers';
import { applyFromPlan, openServed } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';
import { activeScreen, expectOnScreen, screenText, shellFromMenu, terminalTabs, typeLine } from './terminal';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

/** The pids in namespace app1 of the sandbox (the shells running there). */
const pidsInApp1 = () => inSandbox(serve.pid, 'ip netns pids app1').trim();

test('shell in a namespace on the sandbox host: type, resize, paste, tabs, close, reopen, exit', async ({ page, context }) => {
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const csp = await recordCspViolations(page);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(page.getByTestId('title')).toContainText('Two namespaces');
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await page.getByRole('button', { name: 'Close the console' }).click();

  // ---- double-click the namespace: a tab with a shell inside it
  await page.locator('.react-flow__node[data-id="app1"]').dblclick({ position: { x: 12, y: 12 } });
  await expect(terminalTabs(page)).toHaveCount(1);
  await expect(terminalTabs(page).first()).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
  await expect(terminalTabs(page).first()).toContainText('app1 on lab');
  await typeLine(page, 'ip -br addr');
  await expectOnScreen(page, /eth0@\S+\s+UP\s+10\.0\.0\.2\/24/);
  expect(await screenText(page)).not.toContain('10.0.0.3');
  await screenshot(page, 'terminal-namespace');

  // ---- resize: the shell's terminal follows the panel (stty asks the pty itself)
  await typeLine(page, 'echo "size=$(stty size)"');
  await expectOnScreen(page, /size=\d+ \d+/);
  const sizeNow = async () => [...(await screenText(page)).matchAll(/size=(\d+) (\d+)/g)].map((m) => `${m[1]} ${m[2]}`).at(-1);
  const before = await sizeNow();
  await page.setViewportSize({ width: 1000, height: 850 });
  await expect.poll(async () => {
    await typeLine(page, 'echo "size=$(stty size)"');
    return sizeNow();
  }, { timeout: 30_000 }).not.toBe(before);

  // ---- paste (Ctrl+Shift+V) goes to the shell
  await page.evaluate(() => navigator.clipboard.writeText('echo "pasted-$((40+2))"'));
  await activeScreen(page).click();
  await page.keyboard.press('Control+Shift+V');
  await expectOnScreen(page, 'echo "pasted-$((40+2))"'); // the clipboard is read asynchronously
  await page.keyboard.press('Enter');
  await expectOnScreen(page, /^pasted-42\s*$/m);
  expect((await screenText(page)).match(/pasted-\$\(\(40\+2\)\)/g), 'pasted once, not also by the browser').toHaveLength(1);

  // ---- the terminal owns its keys: Ctrl+Z reaches the shell and suspends the job (the
  // designer's undo shortcut used to swallow it), and Escape leaves the focus in the terminal
  await typeLine(page, 'sleep 300');
  await page.keyboard.press('Control+z');
  await expectOnScreen(page, /Stopped\s+sleep 300/);
  await page.keyboard.press('Escape');
  await page.keyboard.type('kill %1; echo "still-$((3*3))"');
  await page.keyboard.press('Enter');
  await expectOnScreen(page, 'still-9');

  // ---- a second tab on the host frame (root namespace); the first keeps its screen
  await shellFromMenu(page, 'lab', 'Open shell on lab (root namespace)');
  await typeLine(page, 'echo "root=[$(ip netns identify)]"; ip netns list');
  await expectOnScreen(page, /root=\[\][\s\S]*app1/);
  await terminalTabs(page).first().getByRole('tab').click();
  await expectOnScreen(page, 'pasted-42');

  // ---- close the namespace tab: its shell is hung up, nothing left running in app1
  expect(pidsInApp1()).not.toBe('');
  await page.getByRole('button', { name: 'Close terminal app1 on lab' }).click();
  await expect(terminalTabs(page)).toHaveCount(1);
  await expect.poll(pidsInApp1, { timeout: 15_000 }).toBe('');

  // ---- reopen from the context menu; exit shows the end line and keeps the tab
  await shellFromMenu(page, 'app1', 'Open shell in app1');
  await typeLine(page, 'ip -br addr');
  await expectOnScreen(page, /10\.0\.0\.2\/24/);
  await typeLine(page, 'exit 0');
  await expect(terminalTabs(page).nth(1)).toHaveAttribute('data-state', 'ended', { timeout: 15_000 });
  await expect(page.getByTestId('terminal-status')).toHaveText('the shell on app1 on lab exited with code 0');
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-bad', 'false');
  await expectOnScreen(page, '──── the shell on app1 on lab exited with code 0 ────');
  await screenshot(page, 'terminal-ended');

  // ---- the backend goes away (serve stopped): an open tab ends and says why
  await shellFromMenu(page, 'lab', 'Open shell on lab (root namespace)');
  const stderr = serve.stderr();
  await serve.stop();
  await expect(terminalTabs(page).nth(2)).toHaveAttribute('data-state', 'ended', { timeout: 30_000 });
  await expect(page.getByTestId('terminal-status')).toContainText('The Wireplan backend is unreachable');
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-bad', 'true');

  // Nothing typed reaches the backend's log.
  expect(stderr).not.toContain('pasted');
  expect(stderr).not.toContain('ip -br addr');
  // xterm.js's styles went through constructed stylesheets, not blocked inline <style>.
  expect(await csp()).toEqual([]);
});
