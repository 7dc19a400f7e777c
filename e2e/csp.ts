// Content-Security-Policy violations a page records, for specs that assert there are none.
// The listener is installed before any of the page's own scripts run (an init script), so
// a violation during start-up (an injected <style>, an eval probe) is caught too; Chromium
// also prints each one on the console, which catches policies the event misses.
import type { Page } from '@playwright/test';

export interface CspViolation {
  directive: string;
  blocked: string;
  source: string;
  sample: string;
}

declare global {
  interface Window {
    __cspViolations?: CspViolation[];
  }
}

/** Starts recording; call before page.goto. Returns a reader of everything recorded so far. */
export async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleLines: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleLines.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations!.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        sample: e.sample,
      });
    });
  });
  return async () => {
    const events = await page.evaluate(() => window.__cspViolations ?? []);
    return [...events.map((v) => `${v.directive} blocked ${v.blocked || '(inline)'} at ${v.source} ${v.sample}`), ...consoleLines];
  };
}
