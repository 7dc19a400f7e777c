// Driving the terminal tabs in e2e specs: open a shell from the canvas, type into it, and
// read what xterm.js shows (its DOM renderer's rows, so the text is what a person sees).
import { expect, type Locator, type Page } from '@playwright/test';

export function terminalTabs(page: Page): Locator {
  return page.getByTestId('terminal-tab');
}

/** The visible terminal screen (the active tab's). */
export function activeScreen(page: Page): Locator {
  return page.locator('[data-testid^="terminal-screen-"]:not([hidden])');
}

/** The text on the active terminal's screen (the rows in view, scrollback excluded). */
export async function screenText(page: Page): Promise<string> {
  return activeScreen(page).locator('.xterm-rows').innerText();
}

export async function expectOnScreen(page: Page, pattern: RegExp | string, timeout = 30_000): Promise<void> {
  await expect.poll(() => screenText(page), { timeout }).toMatch(typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern);
}

/** Types a command line into the active terminal (focus first, as a person clicks into it). */
export async function typeLine(page: Page, line: string): Promise<void> {
  await activeScreen(page).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Opens a shell from the element's context menu and waits until the tab is connected. */
export async function shellFromMenu(page: Page, elementId: string, menuText: string): Promise<void> {
  const before = await terminalTabs(page).count();
  await page.locator(`.react-flow__node[data-id="${elementId}"]`).first().click({ button: 'right', position: { x: 12, y: 12 } });
  await page.getByTestId('context-menu').getByRole('menuitem', { name: menuText }).click();
  await expect(terminalTabs(page)).toHaveCount(before + 1);
  await expect(terminalTabs(page).nth(before)).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
}
