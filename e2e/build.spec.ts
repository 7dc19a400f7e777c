// From an empty canvas to a validated design with a plan, by mouse and keyboard only.
import { expect, test } from '@playwright/test';
import { buildTwoNamespacesOnBridge, canvas, connect, design, drop, fill, node, openApp, screenshot, select, showTab } from './helpers';

test('two namespaces on a bridge: drawn, filled in, validated, planned', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'namespace', 260, 380);
  await drop(page, 'bridge', 600, 290);

  // Fill the inspector before linking so the links get addresses from the new subnet.
  await select(page, 'br0');
  await fill(page, 'addresses[0]', '10.20.0.1/24');
  await select(page, 'ns1');
  await fill(page, 'name', 'web');
  await select(page, 'ns2');
  await fill(page, 'name', 'db');

  await connect(page, 'ns1', 'br0');
  await connect(page, 'ns2', 'br0');

  const d = await design(page);
  expect(d.hosts).toHaveLength(1);
  expect(d.namespaces.map((n) => n.name)).toEqual(['web', 'db']);
  expect(d.bridges[0]!.addresses).toEqual(['10.20.0.1/24']);
  expect(d.veths).toHaveLength(2);
  const [v1, v2] = d.veths;
  expect(v1!.a).toMatchObject({ at: 'ns1', ifname: 'eth0', addresses: ['10.20.0.2/24'] });
  expect(v1!.b).toMatchObject({ at: 'br0', ifname: 'v-web' });
  expect(v2!.a).toMatchObject({ at: 'ns2', ifname: 'eth0', addresses: ['10.20.0.3/24'] });
  expect(v2!.b).toMatchObject({ at: 'br0', ifname: 'v-db' });
  // The bridge's address is the segment's gateway: each namespace got its default route via it.
  expect(d.namespaces.map((n) => n.routes)).toEqual([0, 1].map(() => [{ to: 'default', via: '10.20.0.1', note: expect.stringContaining('added because') }]));
  // Every element and frame has a stored position: the file round-trips the drawing.
  expect(Object.keys(d.layout.nodes).sort()).toEqual(['br0', 'ns1', 'ns2']);
  expect(Object.keys(d.layout.frames)).toEqual(['host1']);

  await showTab(page, 'diagnostics');
  // The host does not forward yet: Problems says so and turns it on in one click.
  await page.getByTestId('quick-fix').and(page.locator('[data-rule="gateway-not-forwarding"]')).first().click();
  await expect(page.getByTestId('diagnostics-clean')).toBeVisible();
  await expect(page.getByTestId('diag-badge')).toHaveCount(0);
  await screenshot(page, 'designer-two-namespaces');

  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-steps')).toBeVisible();
  const commands = await page.getByTestId('plan-command').allInnerTexts();
  expect(commands.length).toBeGreaterThan(4);
  expect(commands.join('\n')).toContain('web');
  expect(commands.join('\n')).toContain('10.20.0.2/24');
  await expect(page.getByTestId('name-mapping')).toContainText('v-web');
  await screenshot(page, 'plan-preview');

  await page.getByTestId('open-export').click();
  await expect(page.getByTestId('script-text')).toContainText('#!');
  await screenshot(page, 'export-dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);
  await expect(node(page, 'br0')).toBeVisible();
});

test('connecting a namespace to the host root and namespace to namespace', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 260, 200);
  await drop(page, 'namespace', 560, 200);
  await connect(page, 'ns1', 'ns2');
  await connect(page, 'ns1', 'host1');
  const d = await design(page);
  expect(d.veths[0]!.a).toMatchObject({ at: 'ns1', ifname: 'eth0' });
  expect(d.veths[0]!.b).toMatchObject({ at: 'ns2', ifname: 'eth0' });
  expect(d.veths[1]!.a).toMatchObject({ at: 'ns1', ifname: 'eth1' });
  expect(d.veths[1]!.b).toMatchObject({ at: 'host1', ifname: 'v-ns1' });
});

test('builds the reference design used by the other specs', async ({ page }) => {
  await openApp(page);
  await buildTwoNamespacesOnBridge(page);
  expect((await design(page)).veths).toHaveLength(2);
});

test('an element dropped in a host frame belongs to that host; dragged to another, it moves there', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 200, 200); // no host yet: one is made around it
  await drop(page, 'host', 700, 150);
  const d0 = await design(page);
  expect(d0.hosts.map((h) => h.id)).toEqual(['host1', 'host2']);
  const frame = (await node(page, 'host2').boundingBox())!;
  const c = (await page.getByTestId('canvas').boundingBox())!;
  await drop(page, 'bridge', frame.x - c.x + frame.width / 2, frame.y - c.y + frame.height / 2);
  await drop(page, 'masquerade', frame.x - c.x + frame.width / 2, frame.y - c.y + frame.height - 50);
  const d1 = await design(page);
  expect(d1.bridges[0]!.at).toBe('host2');
  expect((d1['masquerades'] as { at: string }[])[0]!.at).toBe('host2');

  // Drag ns1 by its body into host2's frame.
  const ns = (await node(page, 'ns1').boundingBox())!;
  await page.mouse.move(ns.x + 60, ns.y + ns.height / 2);
  await page.mouse.down();
  await page.mouse.move(frame.x + 80, frame.y + frame.height / 2 + 40, { steps: 12 });
  await page.mouse.up();
  await expect.poll(async () => (await design(page)).namespaces[0]!.host).toBe('host2');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await design(page)).namespaces[0]!.host).toBe('host1');
});

test('a host frame resizes from its corner, never below its contents, in one undo step', async ({ page }) => {
  await openApp(page);
  await drop(page, 'namespace', 300, 250);
  const before = (await design(page)).layout.frames['host1'] as { width: number; height: number };
  const corner = node(page, 'host1').locator('.frame-resize');
  const box = (await corner.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 100, { steps: 10 });
  await page.mouse.up();
  await expect.poll(async () => ((await design(page)).layout.frames['host1'] as { width: number }).width).toBeGreaterThan(before.width + 100);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await design(page)).layout.frames['host1']).toEqual(before);
  // Shrinking to nothing stops at what the namespace needs.
  const box2 = (await corner.boundingBox())!;
  await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
  await page.mouse.down();
  await page.mouse.move(box2.x - 600, box2.y - 400, { steps: 10 });
  await page.mouse.up();
  const d = await design(page);
  const f = d.layout.frames['host1'] as { x: number; y: number; width: number; height: number };
  const n = d.layout.nodes['ns1']!;
  expect(f.x + f.width).toBeGreaterThanOrEqual(n.x + 150);
  expect(f.y + f.height).toBeGreaterThanOrEqual(n.y + 56);
});

test('a namespace on another host linked to a bridge stretches the segment: the stitch rules ask for what the tunnel needs', async ({ page }) => {
  await openApp(page);
  await drop(page, 'bridge', 220, 220); // host1 is made around it
  await drop(page, 'host', 700, 150);
  const frame = (await node(page, 'host2').boundingBox())!;
  const c = (await canvas(page).boundingBox())!;
  await drop(page, 'namespace', frame.x - c.x + frame.width / 2, frame.y - c.y + frame.height / 2);
  await connect(page, 'ns1', 'br0');
  const d = await design(page);
  expect(d.namespaces[0]!.host).toBe('host2');
  expect(d.veths[0]).toMatchObject({ a: { at: 'ns1', ifname: 'eth0' }, b: { at: 'br0', ifname: 'v-ns1' } });
  // Both hosts are sandboxes: no underlay reaches them, and the problems say so per host.
  await showTab(page, 'diagnostics');
  const stitch = page.locator('[data-rule="stitch-underlay"]');
  await expect(stitch.first()).toBeVisible();
  await expect(stitch.filter({ hasText: 'sandbox' }).first()).toBeVisible();
});
