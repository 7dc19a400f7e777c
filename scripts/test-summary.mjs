// Prints one closing line, "N passed, N failed, N skipped", over every test runner's JSON
// report (vitest, Playwright), so a CI log says plainly how many tests ran.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;

for (const project of ['unit', 'kernel', 'ssh']) {
  const file = `.tsbuild/test-results/vitest-${project}.json`;
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

const playwright = '.tsbuild/test-results/playwright.json';
if (existsSync(playwright)) {
  const s = JSON.parse(readFileSync(playwright, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
