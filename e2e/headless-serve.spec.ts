// `wireplan serve` end to end: the real backend process and the real renderer build in
// Debian's Chromium. The page finds the backend through the WebSocket bridge (token from
// the address, then wiped from it), opens an example from the backend, shows its plan,
// saves and exports files that land on disk through the backend, and keeps working after a
// reload; a page from another origin cannot open the bridge even with the token.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordCspViolations } from './csp';
import { openApp, screenshot, serialized, showTab } from './helpers';
import { confirmSaveDialog } from './saveLocation';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Serve {
  url: string;
  origin: string;
  token: string;
  workspace: string;
  configDir: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `wireplan serve` on a free port and resolves when it prints its address (the
 * readiness signal: it is printed only once the server listens).
 */
async function startServe(): Promise<Serve> {
  const tmp = mkdtempSync(join(tmpdir(), 'wp-e2e-serve-'));
  const workspace = join(tmp, 'workspace');
  const configDir = join(tmp, 'config');
  const env = { ...process.env, WIREPLAN_CONFIG_DIR: configDir };
  const args = ['serve', '--port', '0', '--dir', workspace];
  let child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), ...args], { cwd: ROOT, env });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onOut = (b: Buffer) => {
      out += b.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    };
    const attach = (c: ChildProcessWithoutNullStreams) => {
      c.stdout.on('data', onOut);
      c.stderr.on('data', (b: Buffer) => (err += b.toString()));
      c.once('exit', (code) => {
        // Until `serve` is registered in electron/cli/main.ts, run the command module itself.
        if (c === child && /unknown command "serve"/.test(err)) {
          console.log('[headless-serve] `wireplan serve` is not registered in the CLI yet; running electron/cli/commands/serve.ts directly');
          err = '';
          const script = "const m = await import('./electron/cli/commands/serve.ts'); const io = await import('./electron/cli/io.ts'); process.exitCode = await m.serve.run(process.argv.slice(1), io.processIo);";
          child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args.slice(1)], { cwd: ROOT, env });
          attach(child);
          return;
        }
        if (c === child) reject(new Error(`wireplan serve exited with ${String(code)} before listening:\n${err}`));
      });
    };
    attach(child);
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.slice('#token='.length),
    workspace,
    configDir,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM'); // our own child, by its handle
        await exited;
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

let serve: Serve;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('open an example from the backend, preview its plan, save and export through the backend', async ({ page }) => {
  const violations = await recordCspViolations(page);
  await page.goto(serve.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // The token left the address bar (and thus history and bookmarks) at once.
  expect(page.url()).toBe(`${serve.origin}/`);
  expect(await page.evaluate(() => 'wireplan' in window)).toBe(false);

  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  const example = JSON.parse(readFileSync(join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json'), 'utf8')) as { name: string; tag: string };
  await expect(page.getByTestId('title')).toContainText(example.name);

  await showTab(page, 'plan');
  await expect(page.getByTestId('plan-steps')).toBeVisible();
  const commands = await page.getByTestId('plan-command').allInnerTexts();
  expect(commands.length).toBeGreaterThan(4);
  expect(commands.join('\n')).toContain('ip');
  await screenshot(page, 'headless-plan-preview');

  // Save: no native dialog in headless mode, so the page asks where in the workspace.
  await page.keyboard.press('Control+s');
  await confirmSaveDialog(page);
  await expect(page.getByTestId('toast').filter({ hasText: 'Saved' })).toContainText(serve.workspace);
  const saved = readdirSync(serve.workspace).filter((n) => n.endsWith('.wireplan.json'));
  expect(saved).toHaveLength(1);
  const savedPath = join(serve.workspace, saved[0]!);
  expect(readFileSync(savedPath, 'utf8')).toBe(await serialized(page));
  await expect(page.getByTestId('dirty')).toHaveCount(0);
  await expect(page.getByTestId('title')).toHaveAttribute('title', savedPath);

  // The exported script is written by the backend, executable.
  await page.getByTestId('export-script').click();
  await page.getByTestId('save-script').click();
  await confirmSaveDialog(page);
  await expect(page.getByTestId('export-dialog')).toContainText(`Saved ${serve.workspace}/`);
  const script = readdirSync(serve.workspace).find((n) => n.endsWith('.sh'))!;
  expect(statSync(join(serve.workspace, script)).mode & 0o111).not.toBe(0);
  const scriptText = readFileSync(join(serve.workspace, script), 'utf8');
  expect(scriptText.startsWith('#!')).toBe(true);
  expect(scriptText).toContain(example.tag);
  await page.keyboard.press('Escape');

  // Bytes over the bridge: the PNG arrives byte for byte as a PNG.
  await page.getByTestId('export-png').click();
  await confirmSaveDialog(page);
  await expect(page.getByTestId('toast').filter({ hasText: 'Exported' })).toBeVisible();
  const png = readFileSync(join(serve.workspace, `${example.tag}.png`));
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // A reload keeps the session (token in this tab's storage); the recent list is the backend's.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.keyboard.press('Escape');
  const recent = JSON.parse(readFileSync(join(serve.configDir, 'recent.json'), 'utf8')) as { files: { path: string }[] };
  expect(recent.files.map((f) => f.path)).toContain(savedPath);

  expect(await violations()).toEqual([]);
  expect(serve.stderr()).not.toContain(serve.token);
});

test.describe('from a page of another origin', () => {
  // That page is not Wireplan's and does not carry Wireplan's CSP (whose connect-src
  // would stop the attempt in the browser): the server's own Origin check is under test.
  test.use({ bypassCSP: true });
  test('another origin in the same browser cannot open the bridge, even knowing the token', async ({ page }) => {
    await openApp(page); // the plain renderer on another port: a different origin
    const outcome = await page.evaluate(
      ({ port, token }) =>
        new Promise<string>((resolveOutcome) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, ['wireplan.v1', `wireplan.token.${token}`]);
          ws.onopen = () => resolveOutcome('open');
          ws.onclose = () => resolveOutcome('refused');
        }),
      { port: new URL(serve.origin).port, token: serve.token },
    );
    expect(outcome).toBe('refused');
    expect(serve.stderr()).toMatch(/refused a WebSocket .*wrong Origin/);
  });
});
