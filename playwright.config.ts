// End-to-end tests of the renderer in Debian's Chromium (Playwright cannot download
// browsers here). `npm run test:e2e` builds the renderer first; the web server below
// serves that build on loopback only.
import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

/**
 * The preview server's port: free when the run starts, chosen once (this file is loaded by
 * the runner and again by every worker, which inherit it through the environment). The
 * server is always our own (reuseExistingServer: false, --strictPort): a server someone
 * else left on a fixed port is never mistaken for the build under test.
 */
function freePort(): number {
  const program = "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  return Number(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' }));
}
process.env['WP_E2E_PORT'] ??= String(freePort());
const PORT = Number(process.env['WP_E2E_PORT']);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'e2e/artifacts/results',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1400, height: 850 },
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview renderer --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
