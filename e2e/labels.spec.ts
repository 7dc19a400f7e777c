// Link labels never collide (issue 12, item 1), checked on the page itself: the bounding
// boxes of every end label and rate badge in the DOM intersect neither each other nor any
// element node, on every bundled example at 100% zoom and again after auto-layout, and on
// the drawing that used to print "eth0eth0 172.18.0.3/16" (a bridge above two namespaces).
import { expect, test, type Page } from '@playwright/test';
import { design, dragPort, drop, node, openApp, screenshot, serialized } from './helpers';

interface Rect {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** End labels, rate badges and element nodes as the browser lays them out. */
async function boxes(page: Page): Promise<{ labels: Rect[]; nodes: Rect[]; expected: number }> {
  return page.evaluate(() => {
    const rect = (el: Element, name: string) => {
      const r = el.getBoundingClientRect();
      return { name, x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const labels = Array.from(document.querySelectorAll('.edge-labels text.end-label, .edge-labels text.link-rates')).map((el) => rect(el, `${el.getAttribute('data-testid') ?? el.textContent}: ${el.textContent}`));
    const nodes = Array.from(document.querySelectorAll('.react-flow__node:not(.react-flow__node-host)')).map((el) => rect(el, `node ${el.getAttribute('data-id')}`));
    const d = JSON.parse(window.__wireplan!.serialized()) as { veths: { a: { ifname?: string; addresses: string[] }; b: { ifname?: string; addresses: string[] } }[] };
    const expected = d.veths.flatMap((v) => [v.a, v.b]).filter((e) => e.ifname || e.addresses.length).length;
    return { labels, nodes, expected };
  });
}

function overlap(a: Rect, b: Rect): boolean {
  // Half a pixel of anti-aliasing slack.
  return a.x + 0.5 < b.x + b.w && b.x + 0.5 < a.x + a.w && a.y + 0.5 < b.y + b.h && b.y + 0.5 < a.y + a.h;
}

async function expectNoCollisions(page: Page, what: string): Promise<void> {
  // Let the placer settle (it runs after the nodes are measured).
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const { labels, nodes, expected } = await boxes(page);
  const clashes: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) if (overlap(labels[i]!, labels[j]!)) clashes.push(`${labels[i]!.name} × ${labels[j]!.name}`);
    for (const n of nodes) if (overlap(labels[i]!, n)) clashes.push(`${labels[i]!.name} × ${n.name}`);
  }
  expect(clashes, what).toEqual([]);
  // Not by hiding them: every end with a name or an address has its label.
  expect(labels.filter((l) => !l.name.includes('rates-')).length, `${what}: labels drawn`).toBe(expected);
}

async function actualSize(page: Page): Promise<void> {
  await page.keyboard.press('Control+0');
  await expect.poll(() => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform)).toMatch(/^matrix\(1, 0, 0, 1,/);
}

test('no two link labels (or a label and a node) overlap on any example, at 100% and after auto-layout', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.getByTestId('examples-button').click();
  const ids = await page.locator('[data-testid^="example-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('example-'.length)));
  expect(ids.length).toBeGreaterThanOrEqual(5);
  await page.keyboard.press('Escape');
  for (const id of ids) {
    await page.getByTestId('examples-button').click();
    await page.getByTestId(`example-${id}`).click();
    await expect(page.getByTestId('examples')).toHaveCount(0);
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await actualSize(page);
    await expectNoCollisions(page, `${id} at 100%`);
    if (id === 'two-namespaces-nat') await screenshot(page, 'labels-example');
    const before = await serialized(page);
    await page.getByTestId('auto-layout').click();
    await expect.poll(() => serialized(page)).not.toBe(before);
    await actualSize(page);
    await expectNoCollisions(page, `${id} after auto-layout`);
  }
});

test('a bridge above two namespaces side by side: both end labels readable', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 330, 520);
  await drop(page, 'namespace', 500, 520);
  await drop(page, 'bridge', 415, 140);
  await expect(node(page, 'br0')).toBeVisible();
  await dragPort(page, 'ns1', 'br0');
  await dragPort(page, 'ns2', 'br0');
  await expect.poll(async () => (await design(page)).veths.length).toBe(2);
  await actualSize(page);
  await expectNoCollisions(page, 'bridge above two namespaces');
  await screenshot(page, 'labels-bridge-two-ns');
});
