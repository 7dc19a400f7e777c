// Live view without flicker, through `wireplan serve` and its local sandbox: an edit while
// Live is on re-maps the observed state onto the new design in the backend, keeping the
// host connection, so no badge goes grey 'unknown' and the host never shows 'connecting'.
// After a reload the Live button and the badges agree (both off, though the backend still
// watches for the page before the reload), and turning Live on brings the badges back.
import { expect, test, type Page } from '@playwright/test';
import { fill, node, screenshot, select, showTab } from './helpers';
import { applyFromPlan, openServed } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

interface Sample {
  presences: string[];
  connections: string[];
}

/** Every 100 ms: each live presence shown on the canvas (nodes and edges) and each host's connection. */
async function startSampling(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: Sample[]; __sampler: number };
    w.__samples = [];
    w.__sampler = window.setInterval(() => {
      const presences = [...document.querySelectorAll<HTMLElement>('.react-flow [data-presence]')].map((e) => `${e.closest('[data-id]')?.getAttribute('data-id') ?? '?'}=${e.dataset['presence']}`);
      const connections = [...document.querySelectorAll<HTMLElement>('[data-testid="host-connection"]')].map((e) => e.dataset['connection'] ?? '?');
      w.__samples.push({ presences, connections });
    }, 100);
  });
}

async function stopSampling(page: Page): Promise<Sample[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __samples: Sample[]; __sampler: number };
    window.clearInterval(w.__sampler);
    return w.__samples;
  });
}

const notPresent = (page: Page) => page.locator('.react-flow [data-testid="live-badge"]:not([data-presence="present"])');

test('an edit with Live on: no badge turns unknown, the host stays connected; after a reload badges and the Live button agree', async ({ page }) => {
  test.setTimeout(150_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await page.getByRole('button', { name: 'Close the console' }).click();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  const badges = page.locator('.react-flow [data-testid="live-badge"]');
  await expect(badges.first()).toBeVisible({ timeout: 15_000 });
  await expect(notPresent(page)).toHaveCount(0, { timeout: 15_000 });
  const shown = await badges.count();
  expect(shown).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('host-connection')).toHaveAttribute('data-connection', 'connected');

  // The edit: rename namespace app2 (its kernel namespace changes, so the plan does).
  await showTab(page, 'inspector');
  await startSampling(page);
  await select(page, 'app2');
  await fill(page, 'name', 'app9');
  // The new design is watched once app2's badge says what the host has for it now: no namespace app9.
  const app2 = page.locator('.react-flow__node[data-id="app2"]').getByTestId('live-badge');
  await expect(app2).toHaveAttribute('data-presence', 'missing', { timeout: 20_000 });
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  // The untouched elements were never anything but present meanwhile.
  await expect(page.locator('.react-flow__node[data-id="app1"]').getByTestId('live-badge')).toHaveAttribute('data-presence', 'present');
  const samples = await stopSampling(page);
  expect(samples.length).toBeGreaterThan(5);
  const unknown = samples.flatMap((s) => s.presences.filter((p) => p.endsWith('=unknown')));
  expect(unknown, 'badges that went unknown during the edit').toEqual([]);
  const notConnected = samples.flatMap((s) => s.connections.filter((c) => c !== 'connected'));
  expect(notConnected, 'host connection states during the edit').toEqual([]);
  // Every sample showed as many badges as before (none dropped and came back).
  expect(samples.every((s) => s.presences.filter((p) => !p.startsWith('?')).length >= shown)).toBe(true);
  await screenshot(page, 'live-after-edit');

  // Reload: the page starts with Live off, and no badge is shown although the backend still
  // watches: a change on the host reaches the page as a live event, which it must not show.
  let liveEvents = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => void (typeof f.payload === 'string' && f.payload.includes('"onLiveStatus"') && liveEvents++)));
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // The edited design comes back from the autosave (it was never saved).
  await page.getByTestId('recover').click();
  await expect(page.locator('.react-flow__node[data-id="app1"]')).toBeVisible();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'off');
  inSandbox(serve.pid, 'ip link set dev v-app1 down');
  await expect.poll(() => liveEvents, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(badges).toHaveCount(0);
  await expect(page.locator('.react-flow [data-presence]')).toHaveCount(0);
  // Live on: the badges come back, and agree with the button.
  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await expect(badges.first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.react-flow__node[data-id="app1"]').getByTestId('live-badge')).toHaveAttribute('data-presence', 'present', { timeout: 15_000 });
});
