// `npm run dist` first runs scripts/dist-precheck.mjs: without the Electron release zip in
// the cache electron-builder reads it stops with a message that names the zip and where to
// put it (exit 1); with it there it says which file will be used (exit 0). And the
// installers' `wireplan` launcher says what it needs when the machine has no Node.js.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'wp-dist-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const zip = `electron-v${electronVersion}-linux-x64.zip`;

async function precheck(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only what the check reads: no inherited cache variables from the machine.
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  try {
    const r = await run(process.execPath, [join(ROOT, 'scripts/dist-precheck.mjs')], { env: { ...base, ...env } });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('dist precheck (linux-x64)', () => {
  it('stops with the zip it needs and where to put it when the cache lacks it', async () => {
    const home = join(dir, 'empty-home');
    mkdirSync(home);
    const r = await precheck({ HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`dist: the Electron ${electronVersion} release zip for linux-x64 (${zip}) is not cached`);
    expect(r.stderr).toContain(`${home}/.cache/electron/<any-name>/${zip}`);
    expect(r.stderr).toContain('WIREPLAN_DIST_DOWNLOAD=1');
  });

  it('names the cached zip it found (in @electron/get\'s per-URL sub-directory)', async () => {
    const cache = join(dir, 'cache');
    mkdirSync(join(cache, 'electron', '4f3c2a'), { recursive: true });
    writeFileSync(join(cache, 'electron', '4f3c2a', zip), 'PK stand-in');
    const r = await precheck({ HOME: join(dir, 'empty-home'), XDG_CACHE_HOME: cache });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`dist: using the cached Electron ${electronVersion} zip ${join(cache, 'electron', '4f3c2a', zip)}`);
  });

  it('can be skipped where GitHub is reachable', async () => {
    const r = await precheck({ HOME: join(dir, 'empty-home'), WIREPLAN_DIST_DOWNLOAD: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dist precheck skipped');
  });
});

describe('the installers\' wireplan launcher', () => {
  it('says that the command-line tool needs Node.js when there is none', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // A PATH with the shell's tools but no node.
    for (const t of ['readlink', 'dirname']) symlinkSync(`/usr/bin/${t}`, join(bin, t));
    const err = await run('/bin/sh', [join(ROOT, 'resources/linux/wireplan-cli.sh'), '--version'], { env: { PATH: bin } }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in err && err.code).toBe(127);
    expect((err as { stderr: string }).stderr).toContain('wireplan: the command-line tool needs Node.js 20 or newer');
  });
});
