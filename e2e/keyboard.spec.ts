// Keyboard only (issue 12): add two namespaces and a bridge from the palette with Enter,
// give the bridge its address by typing, and connect both namespaces to it with C and Enter
// on the focused elements; elements have accessible names. And the same through to the host:
// the plan tab, Apply and its confirmation with focus and Enter, then the sandbox has it.
import { expect, test } from '@playwright/test';
import { design, node, openApp } from './helpers';
import { openServed } from './live-flow';
import { inSandbox } from './sandbox';
import { startServe } from './serve';

test('keyboard-only: add two namespaces and a bridge and connect them, no mouse', async ({ page }) => {
  await openApp(page);
  for (const kind of ['namespace', 'namespace', 'bridge']) {
    await page.getByTestId(`palette-${kind}`).focus();
    await page.keyboard.press('Enter');
  }
  await expect(node(page, 'br0')).toBeVisible();
  // Accessible names by what the user named things.
  await expect(node(page, 'ns1')).toHaveAttribute('aria-label', 'Namespace ns1 on host1');
  await expect(page.getByRole('group', { name: 'Bridge br0 on host1' }).or(node(page, 'br0'))).toHaveCount(1);

  for (const ns of ['ns1', 'ns2']) {
    await node(page, ns).focus();
    await page.keyboard.press('c');
    await node(page, 'br0').focus();
    await page.keyboard.press('Enter');
  }
  await expect.poll(async () => (await design(page)).veths.map((v) => [v.a.at, v.b.at])).toEqual([
    ['ns1', 'br0'],
    ['ns2', 'br0'],
  ]);
  // Esc cancels a started connection.
  await node(page, 'ns1').focus();
  await page.keyboard.press('c');
  await page.keyboard.press('Escape');
  await node(page, 'ns2').focus();
  await page.keyboard.press('Enter');
  expect((await design(page)).veths).toHaveLength(2);
});

test('keyboard-only, through to the host: add, connect, then apply to the sandbox with no mouse', async ({ page }) => {
  test.setTimeout(120_000);
  const serve = await startServe();
  try {
    await openServed(page, serve);
    for (const kind of ['namespace', 'namespace', 'bridge']) {
      await page.getByTestId(`palette-${kind}`).focus();
      await page.keyboard.press('Enter');
    }
    await expect(node(page, 'br0')).toBeVisible();
    for (const ns of ['ns1', 'ns2']) {
      await node(page, ns).focus();
      await page.keyboard.press('c');
      await node(page, 'br0').focus();
      await page.keyboard.press('Enter');
    }
    await expect.poll(async () => (await design(page)).veths).toHaveLength(2);
    await expect(page.getByTestId('status-problems')).toContainText('0 errors');
    // The plan tab, Apply, and the confirmation: focus and keys only.
    await page.getByTestId('tab-plan').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('apply-host').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('run-confirm-go').focus();
    await page.keyboard.press('Enter');
    const host = page.locator('[data-testid^="run-host-"]').first();
    await expect(host.getByTestId('run-result')).toHaveAttribute('data-outcome', 'converged', { timeout: 60_000 });
    // The kernel has what was drawn: both namespaces.
    expect(inSandbox(serve.pid, 'ip netns list').split('\n').map((l) => l.split(' ')[0]).filter(Boolean).sort()).toEqual(['ns1', 'ns2']);
  } finally {
    await serve.stop();
  }
});
