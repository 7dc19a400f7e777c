// Undo/redo walks back and forth through exactly the designs the user saw.
import { expect, test, type Page } from '@playwright/test';
import { clickBlank, connect, drop, fill, node, openApp, select, serialized } from './helpers';

async function snapshot(page: Page, list: string[]): Promise<void> {
  list.push(await serialized(page));
}

test('undo and redo return exactly to earlier designs; a drag is one step', async ({ page }) => {
  await openApp(page);
  const states: string[] = [];
  await snapshot(page, states); // empty
  await drop(page, 'namespace', 260, 200);
  await snapshot(page, states);
  await drop(page, 'bridge', 600, 260);
  await snapshot(page, states);
  await connect(page, 'ns1', 'br0');
  await snapshot(page, states);
  await select(page, 'ns1');
  await fill(page, 'name', 'frontend'); // one field edit = one step, however many keys
  await snapshot(page, states);

  // Drag the namespace by its body: many mouse moves, one undo step.
  const box = (await node(page, 'ns1').boundingBox())!;
  await page.mouse.move(box.x + 60, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 60 + i * 8, box.y + box.height / 2 + i * 6);
  await page.mouse.up();
  await expect.poll(() => serialized(page)).not.toBe(states[states.length - 1]);
  await snapshot(page, states);

  await clickBlank(page);
  for (let i = states.length - 2; i >= 0; i--) {
    await page.keyboard.press('Control+z');
    await expect.poll(() => serialized(page)).toBe(states[i]);
  }
  // Nothing more to undo.
  await page.keyboard.press('Control+z');
  expect(await serialized(page)).toBe(states[0]);

  for (let i = 1; i < states.length; i++) {
    await page.keyboard.press(i % 2 ? 'Control+Shift+z' : 'Control+y');
    await expect.poll(() => serialized(page)).toBe(states[i]);
  }
  await expect(page.getByTestId('redo')).toBeDisabled();
});
