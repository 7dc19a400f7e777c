// "Ids never show in the UI" (issue 12): the user sees and edits names only. The seed
// design drawn on the canvas keeps the canvas's ids (host1, ns1, veth1, nat1, pf1, ...) while
// its names are lab, app1, "app1 uplink", ...; no view may show one of those ids, in visible
// text, aria labels, tooltips or placeholders.
import { expect, test, type Page } from '@playwright/test';
import { clickEdge, design, fill, node, openApp, select, showTab } from './helpers';
import { drawSeedExample } from './seed';

/** Every word the user can read or hear on the page now (visible text and accessible labels). */
async function userText(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) parts.push(el.getAttribute(a) ?? '');
    }
    for (const t of Array.from(document.querySelectorAll('title'))) parts.push(t.textContent ?? '');
    for (const i of Array.from(document.querySelectorAll('input, textarea'))) parts.push((i as HTMLInputElement).value);
    return parts.join('\n');
  });
  return text;
}

/** Ids of the design that differ from their element's name. */
async function hiddenIds(page: Page): Promise<string[]> {
  const d = await design(page);
  const all = [...d.hosts, ...d.namespaces, ...d.bridges, ...d.veths, ...d['masquerades'], ...d['portForwards']] as { id: string; name: string }[];
  return all.filter((e) => e.id !== e.name).map((e) => e.id);
}

async function expectNoIds(page: Page, ids: string[], where: string): Promise<void> {
  const text = await userText(page);
  const words = new Set(text.toLowerCase().split(/[^a-z0-9_-]+/));
  const shown = ids.filter((id) => words.has(id));
  // The lines that show them, for the failure message.
  const lines = text.split('\n').filter((l) => shown.some((id) => l.toLowerCase().split(/[^a-z0-9_-]+/).includes(id)));
  expect.soft(lines, `ids ${shown.join(', ')} shown in ${where}`).toEqual([]);
}

test('no element id shows in the inspector, Problems, search, context menus or the Hosts panel', async ({ page }) => {
  test.setTimeout(150_000);
  await openApp(page);
  await drawSeedExample(page);
  const ids = await hiddenIds(page);
  expect(ids.sort()).toEqual(['host1', 'nat1', 'ns1', 'ns2', 'pf1', 'veth1', 'veth2']);

  // The inspector of every element kind of the design (NIC included), and its context menu.
  await showTab(page, 'inspector');
  for (const id of ['host1', 'ns1', 'ns2', 'br0', 'nat1', 'pf1', 'nic:host1:eth0']) {
    await select(page, id);
    await expectNoIds(page, ids, `the inspector of ${id}`);
    await node(page, id).locator('.el-name, .frame-name').first().click({ button: 'right' });
    await expectNoIds(page, ids, `the context menu of ${id}`);
    await page.keyboard.press('Escape');
  }
  for (const id of ['veth1', 'veth2']) {
    await clickEdge(page, id);
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-element', id);
    await expectNoIds(page, ids, `the inspector of ${id}`);
  }

  // Problems: a duplicate address and a NAT egress on a NIC the host lacks.
  await fill(page, 'a.addresses[0]', '10.0.0.2/24');
  await select(page, 'nat1');
  await fill(page, 'egress', 'eth9');
  await showTab(page, 'diagnostics');
  await expect(page.getByTestId('diagnostic').first()).toBeVisible();
  expect(await page.getByTestId('diagnostic').count()).toBeGreaterThan(1);
  await expectNoIds(page, ids, 'Problems');
  await page.getByTestId('diagnostic').first().click();
  await expectNoIds(page, ids, 'Problems after selecting one');

  // Search: results by name; an id matches nothing.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+f');
  const box = page.getByTestId('search').getByRole('textbox');
  await box.fill('app');
  await expect(page.getByTestId('search-result').first()).toBeVisible();
  await expectNoIds(page, ids, 'search results');
  await box.fill('ns1');
  await expect(page.getByTestId('search')).toContainText('No match');
  await page.keyboard.press('Escape');

  // The Hosts panel.
  await page.getByTestId('hosts-button').click();
  await expect(page.getByTestId('hosts-dialog')).toBeVisible();
  await expectNoIds(page, ids, 'the Hosts panel');
});
