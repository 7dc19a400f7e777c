// Status pills never cover a node's title (issue 12 item 10): the seed example applied to
// the local sandbox, so every node carries its live pill (and the host its connection
// pill), with one-letter names and long ones. On every node the title's text and each
// pill (live, diagnostics, programs, connection) must not intersect.
import { expect, test, type Page } from '@playwright/test';
import { fill, node, select, showTab } from './helpers';
import { applyFromPlan, badge, openServed, SEED_NODES } from './live-flow';
import { startServe, type Serve } from './serve';

let serve: Serve;
test.beforeEach(async () => {
  serve = await startServe();
});
test.afterEach(async () => {
  await serve?.stop();
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Per node: the title text's box (its glyphs, not the stretched span) and the boxes of its pills. */
async function layout(page: Page): Promise<{ id: string; title: string; text: Box; pills: (Box & { what: string })[] }[]> {
  return page.locator('.react-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => {
      const name = n.querySelector('.el-name, .frame-name')!;
      const range = document.createRange();
      range.selectNodeContents(name);
      const r = range.getBoundingClientRect();
      const pills = Array.from(n.querySelectorAll('[data-testid="live-badge"], [data-testid="diag-badge"], [data-testid="program-chip"], [data-testid="host-connection"]')).map((p) => {
        const b = p.getBoundingClientRect();
        return { what: p.getAttribute('data-testid')!, x: b.x, y: b.y, width: b.width, height: b.height };
      });
      return { id: n.getAttribute('data-id')!, title: name.textContent ?? '', text: { x: r.x, y: r.y, width: r.width, height: r.height }, pills };
    }),
  );
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function expectNoOverlap(page: Page, when: string): Promise<void> {
  const nodes = await layout(page);
  const withPills = nodes.filter((n) => n.pills.length > 0);
  expect(withPills.length, `nodes with pills ${when}`).toBeGreaterThanOrEqual(SEED_NODES.length);
  const hits = nodes.flatMap((n) => n.pills.filter((p) => overlaps(n.text, p)).map((p) => `${n.id} "${n.title}": ${p.what}`));
  expect(hits, `pills over titles ${when}`).toEqual([]);
}

test('live, diagnostics and connection pills never overlap node titles, short or long', async ({ page }) => {
  test.setTimeout(150_000);
  await openServed(page, serve);
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(node(page, 'app1')).toBeVisible();
  // Short titles and long ones, on every node kind of the example.
  for (const [id, name] of [
    ['lab', 'h'],
    ['app1', 'a'],
    ['app2', 'a-namespace-with-a-long-name'],
    ['br0', 'b'],
    ['nat-out', 'n'],
    ['web', 'the published web port of app1'],
  ] as const) {
    await select(page, id);
    await fill(page, 'name', name);
  }
  await applyFromPlan(page, 'apply');
  await expect(page.getByTestId('run-host-lab').getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged');
  await page.getByRole('button', { name: 'Close the console' }).click();
  for (const id of SEED_NODES) await expect(badge(page, id), id).toHaveAttribute('data-presence', 'present', { timeout: 15_000 });
  await expect(page.getByTestId('host-connection')).toBeVisible();
  await expectNoOverlap(page, 'live');

  // A diagnostics pill as well (a warning or error on a node) next to the live one.
  await showTab(page, 'inspector');
  await select(page, 'nat-out');
  await fill(page, 'egress', 'eth9');
  await expect(node(page, 'nat-out').getByTestId('diag-badge')).toBeVisible();
  await expectNoOverlap(page, 'live and diagnostics');
});
