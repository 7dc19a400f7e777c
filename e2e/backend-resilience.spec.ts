// Issue 11, through the real `wireplan serve` and its local sandbox host:
//  - With Live on while editing, the host's monitor channel stops answering (its processes,
//    which this test's own serve child started, are frozen with SIGSTOP). The backend
//    notices, falls back to polling, and the page says so; the user edits meanwhile, twice,
//    so Live re-watches while the previous watch's first full poll still runs (the host
//    holds 300 extra namespaces, so a full poll takes a while) and that poll is cancelled:
//    what used to end the backend on an unhandled `Cancelled`. The processes are let go.
//    Round after round the server keeps running, its API answers, nothing reached its
//    last-resort guard, and the page is back on live events.
//  - When the backend itself dies, the page shows a banner at once, and Save and Apply
//    say why they cannot run instead of doing nothing.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { showTab } from './helpers';
import { openServed } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

interface Proc {
  pid: number;
  start: string;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Field 22 of /proc/PID/stat: tells a process from a later one with a recycled PID. */
function startOf(pid: number): string {
  const stat = read(`/proc/${pid}/stat`);
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function children(pid: number): number[] {
  return read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
}

function subtree(pid: number): number[] {
  return [pid, ...children(pid).flatMap(subtree)];
}

/** The monitor channel's processes under our own serve child (nsenter ... wp-monitor, and everything below it). */
function monitorProcesses(servePid: number): Proc[] {
  const roots: number[] = [];
  const walk = (pid: number) => {
    for (const c of children(pid)) {
      if (read(`/proc/${c}/cmdline`).includes('wp-monitor')) roots.push(c);
      else walk(c);
    }
  };
  walk(servePid);
  return roots.flatMap(subtree).map((pid) => ({ pid, start: startOf(pid) }));
}

function signal(procs: readonly Proc[], sig: NodeJS.Signals): void {
  for (const p of procs) {
    if (startOf(p.pid) !== p.start) continue; // gone (the backend replaced the channel)
    try {
      process.kill(p.pid, sig);
    } catch {
      // exited meanwhile
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface LiveWindow {
  __wireplan: {
    live: {
      getState(): { hosts: Record<string, { connection?: string; updates?: string }>; watch: { state: string; key?: string } };
      subscribe(l: (s: { hosts: Record<string, { updates?: string }> }) => void): () => void;
    };
    editor: { getState(): { setField(id: string, path: readonly (string | number)[], value: unknown): void } };
  };
  __updates: string[];
}

/** Records every change of host lab's `updates` ('events' / 'polling') as the page sees it. */
async function recordUpdates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as LiveWindow;
    w.__updates = [];
    w.__wireplan.live.subscribe((s) => {
      const u = s.hosts['lab']?.updates;
      if (u !== undefined && w.__updates[w.__updates.length - 1] !== u) w.__updates.push(u);
    });
  });
}

const watchOf = (page: Page) => page.evaluate(() => (window as unknown as LiveWindow).__wireplan.live.getState().watch);
const updatesSeen = (page: Page) => page.evaluate(() => (window as unknown as LiveWindow).__updates.join(' '));
const clearUpdates = (page: Page) => page.evaluate(() => void ((window as unknown as LiveWindow).__updates.length = 0));

async function openExample(page: Page): Promise<void> {
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(page.getByTestId('title')).toContainText('Two namespaces');
}

test('Live on while editing: a monitor channel that stops answering never ends the backend, and the page recovers', async ({ page }) => {
  test.setTimeout(240_000);
  await openExample(page);
  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-state', 'on');
  await expect(page.getByTestId('host-connection')).toHaveAttribute('data-connection', 'connected', { timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as LiveWindow).__wireplan.live.getState().hosts['lab']?.updates), { timeout: 30_000 }).toBe('events');
  // A host with many namespaces: a full poll takes long enough to be cancelled in flight.
  inSandbox(serve.pid, 'for i in $(seq 300); do ip netns add wp-e2e-busy-$i; done');
  await recordUpdates(page);

  let edits = 0;
  /** Edits the design so its plan changes; resolves once Live watches the edited design. */
  const edit = async () => {
    const before = (await watchOf(page)).key;
    const address = edits++ % 2 === 0 ? '10.0.0.4/24' : '10.0.0.3/24';
    await page.evaluate((a) => (window as unknown as LiveWindow).__wireplan.editor.getState().setField('link-app2', ['a', 'addresses'], [a]), address);
    await expect.poll(async () => {
      const w = await watchOf(page);
      return w.state === 'on' && w.key !== before;
    }, { timeout: 60_000 }).toBe(true);
  };

  for (let round = 0; round < 3; round++) {
    await clearUpdates(page);
    const frozen = monitorProcesses(serve.pid);
    expect(frozen.length, 'the monitor channel runs under our serve child').toBeGreaterThan(0);
    signal(frozen, 'SIGSTOP');
    try {
      // No heartbeat: the backend gives up on the channel and falls back to polling.
      await expect.poll(() => updatesSeen(page), { timeout: 60_000 }).toContain('polling');
      // The user edits meanwhile: Live re-watches the changed design; the next edit at once
      // re-watches again while that watch's first full poll is still running.
      await edit();
      await edit();
    } finally {
      signal(frozen, 'SIGCONT');
    }
    // The host answers again: live events, connected, and the server is still the same process.
    await expect.poll(() => updatesSeen(page), { timeout: 60_000 }).toMatch(/polling.*events$/);
    await expect(page.getByTestId('host-connection')).toHaveAttribute('data-connection', 'connected', { timeout: 30_000 });
    expect(alive(serve.pid), `wireplan serve is alive after round ${round}`).toBe(true);
  }

  // Its API still answers.
  await page.getByTestId('examples-button').click();
  await expect(page.getByTestId('example-two-namespaces-nat')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('backend-unreachable')).toHaveCount(0);
  // Handled where it happened: nothing reached the process guard.
  expect(serve.stderr()).not.toContain('backend guard');
});

test('the page says so when the backend dies, and Save and Apply say why they cannot run', async ({ page }) => {
  await openExample(page);
  await expect(page.getByTestId('backend-unreachable')).toHaveCount(0);

  process.kill(serve.pid, 'SIGKILL'); // our own child, by its PID: the backend dies
  const banner = page.getByTestId('backend-unreachable');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('The Wireplan backend is unreachable');
  await expect(banner).toContainText('wireplan serve');

  // Save: a message saying why, not silence.
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-where')).toContainText('unreachable');
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('save-error')).toContainText('Could not save');
  await expect(page.getByTestId('save-error')).toContainText('unreachable');
  await page.keyboard.press('Escape');

  // Apply: refused with the same reason, nothing pretended.
  await showTab(page, 'plan');
  await page.getByTestId('apply-host').click();
  await page.getByTestId('run-confirm-go').click();
  await expect(page.getByTestId('run-refused')).toContainText('unreachable');

  // The banner stays while the backend is gone (the page keeps retrying).
  await expect(banner).toBeVisible();
});
