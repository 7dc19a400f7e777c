// A shell in a namespace on a real SSH server (issue 14), through `wireplan serve` in
// Chromium: the two-namespaces example pointed at a lab host (key trusted in the hosts
// manager), namespace app1 present on the server; double-click app1 and type `ip -br addr`
// (app1's address shows); the shell follows a resize; close and reopen from the context
// menu; then the server goes away and the tab shows a clear end-of-session line. No
// Content-Security-Policy violation is recorded (xterm.js's styles go through constructed
// stylesheets, see renderer/src/terminal/adoptedStyles.ts).
import { expect, test } from '@playwright/test';
import { recordCspViolations } from './csp';
import { screenshot } from './helpers';
import { useLabAndServe } from './lab-serve';
import { openServed } from './live-flow';
import { pointAtLab } from './ssh-host';
import { expectOnScreen, screenText, shellFromMenu, terminalTabs, typeLine } from './terminal';

const env = useLabAndServe('wp-e2e-shell');

test('shell in a namespace over SSH: type, resize, close, reopen; the host goes away and the tab says so', async ({ page }) => {
  test.setTimeout(180_000);
  const csp = await recordCspViolations(page);
  await openServed(page, env.serve());
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(page.getByTestId('title')).toContainText('Two namespaces');
  await pointAtLab(page, 'lab', env.lab());
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('hosts-dialog')).toHaveCount(0);
  await env.exec('set -e; ip netns add app1; ip -n app1 link set lo up; ip -n app1 addr add 10.0.0.2/24 dev lo');

  // ---- double-click app1: a root shell inside it on the server
  await page.locator('.react-flow__node[data-id="app1"]').dblclick({ position: { x: 12, y: 12 } });
  await expect(terminalTabs(page).first()).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
  await typeLine(page, 'ip -br addr; echo "in=$(ip netns identify) uid=$(id -u)"');
  await expectOnScreen(page, /10\.0\.0\.2\/24[\s\S]*in=app1 uid=0/);

  // ---- resize follows the panel
  await typeLine(page, 'echo "size=$(stty size)"');
  await expectOnScreen(page, /size=\d+ \d+/);
  const lastSize = async () => [...(await screenText(page)).matchAll(/size=(\d+ \d+)/g)].map((m) => m[1]).at(-1);
  const before = await lastSize();
  await page.setViewportSize({ width: 1000, height: 850 });
  await expect
    .poll(async () => {
      await typeLine(page, 'echo "size=$(stty size)"');
      return lastSize();
    }, { timeout: 30_000 })
    .not.toBe(before);

  // ---- close, then reopen from the context menu
  await page.getByRole('button', { name: 'Close terminal app1 on lab' }).click();
  await expect(terminalTabs(page)).toHaveCount(0);
  await shellFromMenu(page, 'app1', 'Open shell in app1');
  await typeLine(page, 'ip -br addr');
  await expectOnScreen(page, /10\.0\.0\.2\/24/);

  // ---- the server goes away: the tab ends with a clear line
  await env.lab().stop();
  await expect(terminalTabs(page).first()).toHaveAttribute('data-state', 'ended', { timeout: 30_000 });
  await expect(page.getByTestId('terminal-status')).toContainText('the connection to app1 on lab was lost');
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-bad', 'true');
  // (the line may wrap on a narrow screen)
  await expectOnScreen(page, /──── the connection to app1 on lab was lost: [\s\S]+ ────/);
  await screenshot(page, 'terminal-host-lost');

  expect(await csp()).toEqual([]);
});
