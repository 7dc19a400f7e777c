// Canvas benchmark (DESIGN.md §6): frame times of the real renderer in Chromium with a
// 2,000+ element design, while dragging a node and panning, with live status updates
// arriving several times a second. Not a test: prints and writes figures.
//   npm run bench:canvas   (builds the renderer first)
// Output: e2e/artifacts/bench-canvas.json
import { chromium, type Page } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bigDesign } from '../fixtures/bigDesign';

const PORT = 4175;
const URL_ = `http://127.0.0.1:${PORT}/`;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function waitForServer(deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(URL_)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('preview server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Stats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  fps: number;
}

function stats(deltas: number[]): Stats {
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  const total = deltas.reduce((a, b) => a + b, 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { frames: deltas.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1] ?? 0), fps: r((deltas.length * 1000) / (total || 1)) };
}

/** Runs `work` while recording requestAnimationFrame deltas and pushing live updates every 200 ms. */
async function measure(page: Page, work: () => Promise<void>, live: boolean): Promise<Stats> {
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  await page.evaluate(`(() => {
    const w = window;
    const deltas = [];
    w.__deltas = deltas;
    let last = performance.now();
    const tick = (t) => { deltas.push(t - last); last = t; if (w.__measuring) requestAnimationFrame(tick); };
    w.__measuring = true;
    requestAnimationFrame(tick);
    if (${live}) {
      let round = 0;
      w.__liveTimer = setInterval(() => {
        round++;
        w.__wireplan.live.getState().applyUpdate({
          hostId: 'h1',
          replace: true,
          elements: Array.from({ length: 1200 }, (_, i) => ({
            elementId: 'n' + i,
            presence: (i + round) % 17 === 0 ? 'drifted' : 'present',
            operState: 'up',
            rxRate: (i * 13 + round * 7) % 1000,
          })),
        });
      }, 200);
    }
  })()`);
  await work();
  return stats(
    await page.evaluate<number[]>(`(() => { window.__measuring = false; clearInterval(window.__liveTimer); return window.__deltas.slice(1); })()`),
  );
}

async function main(): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', 'renderer', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ARGS });
  try {
    await waitForServer(Date.now() + 30_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    page.on('filechooser', () => undefined);
    await page.goto(URL_);
    await page.getByTestId('app').and(page.locator('[data-ready=true]')).waitFor();
    const text = bigDesign(1200, 30);
    const started = Date.now();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open').click();
    await (await chooser).setFiles({ name: 'big.wireplan.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.getByTestId('overview').waitFor();
    const openMs = Date.now() - started;

    // Zoom to a working level around one namespace (what a user drags at).
    await page.keyboard.press('Control+f');
    await page.getByLabel('Search elements').fill('n615');
    await page.keyboard.press('Enter');
    const target = page.locator('.react-flow__node[data-id="n615"]');
    await target.waitFor();
    const box = (await target.boundingBox())!;

    const drag = await measure(
      page,
      async () => {
        await page.mouse.move(box.x + 70, box.y + box.height / 2);
        await page.mouse.down();
        for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + 70 + i * 4, box.y + box.height / 2 + i * 2);
        await page.mouse.up();
      },
      true,
    );
    const pane = (await page.getByTestId('canvas').boundingBox())!;
    const pan = await measure(
      page,
      async () => {
        await page.mouse.move(pane.x + 30, pane.y + pane.height - 30);
        await page.mouse.down();
        for (let i = 1; i <= 60; i++) await page.mouse.move(pane.x + 30 + i * 8, pane.y + pane.height - 30 - i * 4);
        await page.mouse.up();
      },
      true,
    );
    const fitted = await measure(
      page,
      async () => {
        await page.getByRole('button', { name: 'Fit', exact: true }).click();
        await page.getByTestId('overview').waitFor();
        await page.mouse.move(pane.x + 30, pane.y + pane.height - 30);
        await page.mouse.down();
        for (let i = 1; i <= 40; i++) await page.mouse.move(pane.x + 30 + i * 6, pane.y + pane.height - 30 - i * 2);
        await page.mouse.up();
      },
      true,
    );
    const result = {
      date: new Date().toISOString(),
      elements: 1200 + 40 + 1200,
      note: 'headless Chromium, --disable-gpu (software rendering); frame deltas in ms from requestAnimationFrame; live updates of 1,200 elements every 200 ms',
      openMs,
      dragNode: drag,
      panZoomedIn: pan,
      panZoomedOutAll: fitted,
    };
    mkdirSync('e2e/artifacts', { recursive: true });
    writeFileSync('e2e/artifacts/bench-canvas.json', `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
