// The packaging configuration, checked as far as this machine allows: electron-builder's
// own schema check, the targets, the icons, the fuse hook on stand-in Electron binaries of
// each platform, and a real electron-builder run of the Linux "dir" target with a stand-in
// Electron distribution (the real one cannot be downloaded here, so AppImage, deb, dmg and
// NSIS — which also download their tools — are not built by this test).
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const run = promisify(execFile);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;

interface BuilderModule {
  default: Record<string, unknown> & { linux: { target: string[]; executableName: string; icon: string }; mac: { target: string[]; icon: string }; win: { target: string[]; icon: string } };
  flipReleaseFuses(context: unknown): Promise<void>;
  electronBinaryPath(context: unknown): string;
}
const load = async (): Promise<BuilderModule> => (await import(pathToFileURL(join(ROOT, 'electron-builder.js')).href)) as BuilderModule;

const dir = mkdtempSync(join(tmpdir(), 'wp-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file that carries Electron's fuse wire like the real binary does (8 fuses, all enabled). */
function fakeElectron(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat([Buffer.from('#!/bin/sh\necho stand-in electron\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.alloc(8, ENABLE), Buffer.from('\n')]));
  chmodSync(path, 0o755);
}

function fuses(path: string): number[] {
  const b = readFileSync(path);
  const at = b.indexOf(SENTINEL) + SENTINEL.length;
  return [...b.subarray(at + 2, at + 2 + b[at + 1]!)];
}

// RunAsNode, CookieEncryption, NODE_OPTIONS, --inspect, asar integrity, only asar, browser V8 snapshot, file: privileges
const RELEASE_WIRE = [DISABLE, ENABLE, DISABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE];

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema check", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const { default: config } = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, notAnOption: true } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('builds AppImage + deb, dmg and NSIS, with icons that exist at the sizes each needs', async () => {
    const { default: c } = await load();
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
    expect(pngSize(join(ROOT, c.mac.icon))).toEqual([1024, 1024]);
    expect(pngSize(join(ROOT, c.win.icon))).toEqual([256, 256]);
    const linuxIcons = readdirSync(join(ROOT, c.linux.icon)).filter((n) => /^\d+x\d+\.png$/.test(n));
    for (const n of linuxIcons) {
      const size = Number(n.split('x')[0]);
      expect(pngSize(join(ROOT, c.linux.icon, n))).toEqual([size, size]);
    }
    expect(linuxIcons).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']));
  });

  it('package.json points Electron at what electron-vite builds, and has the dist script', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('out/main/main.js');
    // First the Electron-zip precheck (a clear message where it is not cached), then the app, the installers' CLI, the installers.
    expect(pkg.scripts['dist']).toBe('node scripts/dist-precheck.mjs && electron-vite build && tsx scripts/build-cli.ts --standalone && electron-builder --publish never');
    expect(readFileSync(join(ROOT, 'electron.vite.config.ts'), 'utf8')).toMatch(/input: \{ main: .*electron\/shell\/main\.ts/);
  });

  it("the .deb's scripts are electron-builder's own plus the /usr/bin/wireplan link", async () => {
    const { default: config } = await load();
    const deb = config['deb'] as { afterInstall: string; afterRemove: string };
    for (const [ours, theirs] of [[deb.afterInstall, 'after-install.tpl'], [deb.afterRemove, 'after-remove.tpl']] as const) {
      const text = readFileSync(join(ROOT, ours), 'utf8');
      const original = readFileSync(require.resolve(`app-builder-lib/templates/linux/${theirs}`), 'utf8');
      // Every line of electron-builder's template is kept, in order (an upgrade that changes it shows here).
      const lines = text.split('\n');
      let at = 0;
      for (const line of original.split('\n').filter((l) => l.trim() && !l.startsWith('#!'))) {
        at = lines.indexOf(line, at);
        expect(at, line).toBeGreaterThanOrEqual(0);
      }
    }
    expect(readFileSync(join(ROOT, deb.afterInstall), 'utf8')).toContain("ln -sf '/opt/${sanitizedProductName}/resources/cli/wireplan' '/usr/bin/wireplan'");
    expect(readFileSync(join(ROOT, deb.afterRemove), 'utf8')).toContain("rm -f '/usr/bin/wireplan'");
  });

  it.each([
    ['linux', (out: string) => join(out, 'wireplan-desktop')],
    ['win32', (out: string) => join(out, 'Wireplan.exe')],
    ['darwin', (out: string) => join(out, 'Wireplan.app', 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework')],
  ])('the afterPack hook flips the release fuses (%s)', async (platform, binaryIn) => {
    const { flipReleaseFuses } = await load();
    const out = join(dir, platform);
    fakeElectron(binaryIn(out));
    await flipReleaseFuses({ appOutDir: out, electronPlatformName: platform, arch: 1, packager: { executableName: 'wireplan-desktop', appInfo: { productFilename: 'Wireplan' } } });
    expect(fuses(binaryIn(out))).toEqual(RELEASE_WIRE);
  });

  it(
    'electron-builder packs the Linux app directory: out/, backend modules only, examples, fuses flipped',
    async () => {
      const dist = join(dir, 'electron-dist');
      fakeElectron(join(dist, 'electron'));
      writeFileSync(join(dist, 'LICENSE'), 'stand-in');
      writeFileSync(join(dist, 'version'), '0.0.0');
      const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
      await run(bin('electron-vite'), ['build'], { cwd: ROOT, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
      await run(bin('tsx'), ['scripts/build-cli.ts', '--standalone'], { cwd: ROOT });
      const output = join(dir, 'installers');
      await run(bin('electron-builder'), ['--linux', 'dir', '--publish', 'never', `--config.electronDist=${dist}`, '--config.npmRebuild=false', `--config.directories.output=${output}`], {
        cwd: ROOT,
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      });
      const app = join(output, 'linux-unpacked');
      expect(fuses(join(app, 'wireplan-desktop'))).toEqual(RELEASE_WIRE);
      expect(readdirSync(join(app, 'resources', 'examples')).sort()).toEqual(readdirSync(join(ROOT, 'resources', 'examples')).filter((n) => n.endsWith('.wireplan.json')).sort());
      const asar = require('@electron/asar') as { listPackage(p: string): string[] };
      const files = asar.listPackage(join(app, 'resources', 'app.asar'));
      for (const f of ['/package.json', '/out/main/main.js', '/out/preload/preload.cjs', '/out/renderer/index.html']) expect(files).toContain(f);
      const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
      for (const m of ['ssh2', 'zod']) expect(modules.has(m), m).toBe(true);
      for (const m of ['react', 'react-dom', '@xyflow', 'elkjs', 'zustand', 'electron']) expect(modules.has(m), m).toBe(false);
      expect(files.some((f) => f.endsWith('.map'))).toBe(false);
      expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'ssh2'))).toBe(true);
      // The licences, and the `wireplan` CLI the .deb links as /usr/bin/wireplan: it runs from
      // the packed app with plain node and nothing else of the checkout.
      for (const f of ['LICENSE', 'THIRD-PARTY-NOTICES']) expect(readFileSync(join(app, 'resources', f), 'utf8')).toBe(readFileSync(join(ROOT, f), 'utf8'));
      const cli = join(app, 'resources', 'cli', 'wireplan');
      expect((await run(cli, ['--version'], { cwd: dir })).stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
      const example = join(app, 'resources', 'examples', 'two-namespaces-nat.wireplan.json');
      expect((await run(cli, ['validate', example], { cwd: dir })).stdout).toContain('valid');
    },
    120_000,
  );
});
