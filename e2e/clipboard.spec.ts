// Copy/paste and duplicate keep the links among the copied elements.
import { expect, test } from '@playwright/test';
import { clickBlank, connect, design, drop, openApp, select } from './helpers';

test('copy/paste of a linked namespace pair keeps its link, with new ids and names', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'namespace', 560, 200);
  await connect(page, 'ns1', 'ns2');
  await select(page, 'ns1');
  await select(page, 'ns2', true);
  await expect.poll(() => page.evaluate(() => window.__wireplan!.editor.getState().selection)).toEqual(['ns1', 'ns2']);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');

  await expect.poll(async () => (await design(page)).namespaces.length).toBe(4);
  const d = await design(page);
  const [, , c1, c2] = d.namespaces;
  expect([c1!.id, c2!.id]).toEqual(['ns3', 'ns4']);
  expect([c1!.name, c2!.name]).toEqual(['ns3', 'ns4']);
  expect(d.veths).toHaveLength(2);
  const copy = d.veths[1]!;
  expect(copy.id).not.toBe(d.veths[0]!.id);
  expect(copy.a.at).toBe('ns3');
  expect(copy.b.at).toBe('ns4');
  expect(copy.a.ifname).toBe('eth0');
  expect(copy.b.ifname).toBe('eth0');
  // The pasted elements are offset, not stacked on the originals.
  expect(d.layout.nodes['ns3']).not.toEqual(d.layout.nodes['ns1']);
  expect(await page.evaluate(() => window.__wireplan!.editor.getState().selection)).toEqual(expect.arrayContaining(['ns3', 'ns4', copy.id]));

  // Duplicate does the same in one go.
  await page.keyboard.press('Control+d');
  await expect.poll(async () => (await design(page)).namespaces.length).toBe(6);
  const d2 = await design(page);
  expect(d2.veths).toHaveLength(3);
  expect(d2.veths[2]!.a.at).toBe('ns5');
  expect(d2.veths[2]!.b.at).toBe('ns6');
  await clickBlank(page);
});

test('copying namespaces on a bridge together with the bridge moves the copy to a fresh subnet', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'bridge', 560, 200);
  await connect(page, 'ns1', 'br0');
  await select(page, 'ns1');
  await select(page, 'br0', true);
  await page.keyboard.press('Control+d');
  await expect.poll(async () => (await design(page)).bridges.length).toBe(2);
  const d = await design(page);
  expect(d.bridges[1]!.addresses).toEqual(['10.0.1.1/24']);
  expect(d.veths[1]!.a.addresses).toEqual(['10.0.1.2/24']);
  expect(d.veths[1]!.b.at).toBe(d.bridges[1]!.id);
  // The bridge-side end lives in the shared root namespace: it got a fresh kernel name.
  expect(d.veths[1]!.b.ifname).not.toBe(d.veths[0]!.b.ifname);
});
