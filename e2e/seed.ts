// The seed example (resources/examples/two-namespaces-nat.wireplan.json) drawn from an
// empty canvas with mouse and keyboard only: palette drags, handle-to-handle drags, the
// inspector (names, addresses, routes, NAT egress, port forward) and the design form.
// Ids are never typed (the UI shows none): the drawn elements keep the ids the canvas gave
// them (host1, ns1, ...), so SEED_IDS maps them to the example's.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as h from './helpers';
import { ROOT } from './serve';

export const SEED_FILE = join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json');
export const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as { name: string; tag: string; description: string };

/** Drawn id -> the example file's id for the same element. */
export const SEED_IDS: Readonly<Record<string, string>> = {
  host1: 'lab',
  ns1: 'app1',
  ns2: 'app2',
  br0: 'br0',
  veth1: 'link-app1',
  veth2: 'link-app2',
  nat1: 'nat-out',
  pf1: 'web',
};

export interface Actions {
  drags: number;
  clicks: number;
  typed: number;
}

/** What the user did, counted as the drawing goes (seed-build holds an upper bound); reset by each drawing. */
const actions: Actions = { drags: 0, clicks: 0, typed: 0 };

// The helpers the drawing uses, each counting the user action it stands for.
const drop = (page: Page, kind: string, x: number, y: number) => (actions.drags++, h.drop(page, kind, x, y));
const connect = (page: Page, from: string, to: string) => (actions.drags++, h.connect(page, from, to));
const select = (page: Page, id: string) => (actions.clicks++, h.select(page, id));
const clickEdge = (page: Page, id: string) => (actions.clicks++, h.clickEdge(page, id));
const clickBlank = (page: Page) => (actions.clicks++, h.clickBlank(page));
const fill = (page: Page, path: string, value: string) => (actions.typed++, h.fill(page, path, value));
const clickButton = (page: Page, name: string) => (actions.clicks++, inspector(page).getByRole('button', { name }).click());
const choose = (page: Page, field: string, value: string) => (actions.clicks++, inspector(page).locator(`[name="${field}"]`).selectOption(value));

function inspector(page: Page) {
  return page.getByTestId('inspector');
}

async function selectEdge(page: Page, id: string): Promise<void> {
  await clickEdge(page, id);
  await expect(inspector(page)).toHaveAttribute('data-element', id);
}

/** Draws the seed example; resolves to the user actions it took. */
export async function drawSeedExample(page: Page): Promise<Actions> {
  Object.assign(actions, { drags: 0, clicks: 0, typed: 0 });
  // Two namespaces (the first drop makes the host frame around it) and a bridge.
  await drop(page, 'namespace', 220, 330);
  await drop(page, 'namespace', 440, 330);
  await drop(page, 'bridge', 330, 170);
  await expect(h.node(page, 'br0')).toBeVisible();

  // The host "lab", NIC eth0, IPv4 forwarding on (before linking, so the links get
  // default routes via the bridge).
  await select(page, 'host1');
  await fill(page, 'name', 'lab');
  await clickButton(page, '+ NIC');
  await expect(h.node(page, 'nic:host1:eth0')).toBeVisible();
  await select(page, 'host1');
  await choose(page, 'sysctls.ipForward', 'on');

  await select(page, 'ns1');
  await fill(page, 'name', 'app1');
  await select(page, 'ns2');
  await fill(page, 'name', 'app2');
  await select(page, 'br0');
  await fill(page, 'addresses[0]', '10.0.0.1/24');

  await connect(page, 'ns1', 'br0');
  await connect(page, 'ns2', 'br0');
  for (const [id, name] of [
    ['veth1', 'app1 uplink'],
    ['veth2', 'app2 uplink'],
  ] as const) {
    await selectEdge(page, id);
    await fill(page, 'name', name);
  }
  // Default routes came with the links (the host forwards); say so explicitly anyway.
  const d0 = await h.design(page);
  // (Each with its reason, a note for the designer that never reaches a host or the plan.)
  expect(d0.namespaces.map((n) => n.routes)).toEqual(['app1', 'app2'].map((ns) => [{ to: 'default', via: '10.0.0.1', note: expect.stringContaining(`added because ${ns} joined bridge br0`) }]));

  // NAT: drop a masquerade and a port forward into the host frame and fill them in.
  const frame = (await h.node(page, 'host1').boundingBox())!;
  const c = (await page.getByTestId('canvas').boundingBox())!;
  // Beside the frame: it belongs to the nearest host, whose frame grows around it.
  await drop(page, 'masquerade', frame.x - c.x + frame.width + 90, frame.y - c.y + 90);
  await expect(inspector(page)).toHaveAttribute('data-element', 'nat1');
  await fill(page, 'name', 'segment to uplink');
  await fill(page, 'source', '10.0.0.0/24');
  await fill(page, 'egress', 'eth0');

  const nat = (await h.node(page, 'nat1').boundingBox())!;
  await drop(page, 'portForward', nat.x - c.x + nat.width / 2, nat.y - c.y + nat.height / 2 + 90);
  await expect(inspector(page)).toHaveAttribute('data-element', 'pf1');
  await fill(page, 'name', 'app1 web');
  await expect(inspector(page).locator('[name="protocol"]')).toHaveValue('tcp');
  await fill(page, 'port', '8080');
  await fill(page, 'to', '10.0.0.2');
  await fill(page, 'toPort', '80');
  await expect(inspector(page).locator('[name="hostLocal"]')).toBeChecked();

  // The design's own fields: nothing selected.
  await clickBlank(page);
  await expect(inspector(page)).not.toHaveAttribute('data-element', /./);
  for (const [field, value] of [
    ['#design-name', seed.name],
    ['#design-tag', seed.tag],
  ] as const) {
    actions.typed++;
    const input = inspector(page).locator(field);
    await input.click();
    await input.press('Control+a');
    await input.pressSequentially(value);
    await input.press('Tab');
  }
  await expect(page.getByTestId('title')).toContainText(seed.name.slice(0, 10));
  return { ...actions };
}

/** The drawn id of the example's element `exampleId` (for specs written against the example). */
export function drawn(exampleId: string): string {
  const hit = Object.entries(SEED_IDS).find(([, e]) => e === exampleId);
  if (!hit) throw new Error(`no drawn element for ${exampleId}`);
  return hit[0];
}
