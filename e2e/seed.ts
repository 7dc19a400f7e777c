// The seed example (resources/examples/two-namespaces-nat.wireplan.json) drawn from an
// empty canvas with mouse and keyboard only: palette drags, handle-to-handle drags, the
// inspector (ids, names, addresses, routes, NAT egress, port forward) and the design form.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clickBlank, clickEdge, connect, design, drop, fill, node, select } from './helpers';
import { ROOT } from './serve';

export const SEED_FILE = join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json');
export const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as { name: string; tag: string; description: string };

function inspector(page: Page) {
  return page.getByTestId('inspector');
}

/** Renames the selected element's id in the inspector (every reference follows). */
async function setId(page: Page, from: string, to: string): Promise<void> {
  await select(page, from);
  await fill(page, '$id', to);
  await expect(inspector(page)).toHaveAttribute('data-element', to);
}

async function selectEdge(page: Page, id: string): Promise<void> {
  await clickEdge(page, id);
  await expect(inspector(page)).toHaveAttribute('data-element', id);
}

export async function drawSeedExample(page: Page): Promise<void> {
  // Two namespaces (the first drop makes the host frame around it) and a bridge.
  await drop(page, 'namespace', 220, 330);
  await drop(page, 'namespace', 440, 330);
  await drop(page, 'bridge', 330, 170);
  await expect(node(page, 'br0')).toBeVisible();

  // The host: id and name "lab", NIC eth0, IPv4 forwarding on (before linking, so the
  // links get default routes via the bridge).
  await setId(page, 'host1', 'lab');
  await fill(page, 'name', 'lab');
  await inspector(page).getByRole('button', { name: '+ NIC' }).click();
  await expect(node(page, 'nic:lab:eth0')).toBeVisible();
  await select(page, 'lab');
  await inspector(page).locator('[name="sysctls.ipForward"]').selectOption('on');

  await setId(page, 'ns1', 'app1');
  await fill(page, 'name', 'app1');
  await setId(page, 'ns2', 'app2');
  await fill(page, 'name', 'app2');
  await select(page, 'br0');
  await fill(page, 'addresses[0]', '10.0.0.1/24');

  await connect(page, 'app1', 'br0');
  await connect(page, 'app2', 'br0');
  for (const [from, to, name] of [
    ['veth1', 'link-app1', 'app1 uplink'],
    ['veth2', 'link-app2', 'app2 uplink'],
  ] as const) {
    await selectEdge(page, from);
    await fill(page, '$id', to);
    await expect(inspector(page)).toHaveAttribute('data-element', to);
    await fill(page, 'name', name);
  }
  // Default routes came with the links (the host forwards); say so explicitly anyway.
  const d0 = await design(page);
  // (Each with its reason, a note for the designer that never reaches a host or the plan.)
  expect(d0.namespaces.map((n) => n.routes)).toEqual(['app1', 'app2'].map((ns) => [{ to: 'default', via: '10.0.0.1', note: expect.stringContaining(`added because ${ns} joined bridge br0`) }]));

  // NAT: drop a masquerade and a port forward into the host frame and fill them in.
  const frame = (await node(page, 'lab').boundingBox())!;
  const c = (await page.getByTestId('canvas').boundingBox())!;
  // Beside the frame: it belongs to the nearest host, whose frame grows around it.
  await drop(page, 'masquerade', frame.x - c.x + frame.width + 90, frame.y - c.y + 90);
  await setId(page, 'nat1', 'nat-out');
  await fill(page, 'name', 'segment to uplink');
  await fill(page, 'source', '10.0.0.0/24');
  await fill(page, 'egress', 'eth0');

  const nat = (await node(page, 'nat-out').boundingBox())!;
  await drop(page, 'portForward', nat.x - c.x + nat.width / 2, nat.y - c.y + nat.height / 2 + 90);
  await setId(page, 'pf1', 'web');
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
    const input = inspector(page).locator(field);
    await input.click();
    await input.press('Control+a');
    await input.pressSequentially(value);
    await input.press('Tab');
  }
  await expect(page.getByTestId('title')).toContainText(seed.name.slice(0, 10));
}
