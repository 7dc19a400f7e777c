// The CLI as users install it: build the package (scripts/build-cli.ts), `npm pack` it,
// `npm install -g --prefix` the tarball into an empty prefix, and run `wireplan` from
// there with plain node: no tsx, no TypeScript, no devDependencies anywhere in the prefix.
//
// The install reads the runtime dependencies (ssh2, ws, zod and theirs) from the local npm
// cache first (--offline), then from the registry (--prefer-offline). Where neither can
// serve them (an offline machine with a cold cache) the test builds the same prefix layout
// by hand from this checkout's node_modules, copying only the runtime dependency closure,
// and says so: the bundle is then still proved to run with nothing but runtime deps.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIREPLAN_VERSION } from '../shared/version';
import { buildCli, packageOf, ROOT } from './build-cli';

const EXAMPLE = join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json');
const DEV_ONLY = ['tsx', 'typescript', 'esbuild', 'vite', 'vitest', 'electron', 'electron-vite', '@types/node'];

let work: string;
let prefix: string;
let installedHow = '';
const env = (): NodeJS.ProcessEnv => ({
  PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
  HOME: work,
  WIREPLAN_CONFIG_DIR: join(work, 'config'),
  LANG: 'C.UTF-8',
});
const wireplan = (args: string[], input?: string) =>
  spawnSync('wireplan', args, { cwd: work, env: env(), encoding: 'utf8', input, timeout: 60_000 });

/** The runtime dependency closure of `names`, resolved in the checkout's hoisted node_modules. */
function closure(names: string[], seen = new Set<string>()): Set<string> {
  for (const name of names) {
    if (seen.has(name) || !existsSync(join(ROOT, 'node_modules', name, 'package.json'))) continue;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    closure([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})], seen);
  }
  return seen;
}

function npmInstall(tarball: string, mode: string): boolean {
  const r = spawnSync('npm', ['install', '-g', '--prefix', prefix, mode, '--no-audit', '--no-fund', '--loglevel', 'error', tarball], {
    cwd: work,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status === 0) return true;
  console.warn(`npm install -g ${mode} failed: ${(r.stderr || r.error?.message || '').slice(0, 400)}`);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix);
  return false;
}

/** No network and no cache: the layout `npm install -g` makes, from the checkout's runtime deps only. */
function handInstall(pkgDir: string, dependencies: Record<string, string>): void {
  const dest = join(prefix, 'lib/node_modules/wireplan');
  cpSync(pkgDir, dest, { recursive: true });
  for (const name of closure(Object.keys(dependencies))) cpSync(join(ROOT, 'node_modules', name), join(dest, 'node_modules', name), { recursive: true });
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  symlinkSync('../lib/node_modules/wireplan/wireplan.mjs', join(prefix, 'bin/wireplan'));
}

describe('the packed CLI installs with npm install -g and runs with plain node', () => {
  let dependencies: Record<string, string> = {};
  let packed: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wp-cli-pack-'));
    prefix = join(work, 'prefix');
    mkdirSync(prefix);
    const pkgDir = join(work, 'package');
    ({ dependencies } = await buildCli(pkgDir));
    const out = execFileSync('npm', ['pack', pkgDir, '--pack-destination', work, '--json', '--loglevel', 'error'], { cwd: work, encoding: 'utf8' });
    const info = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
    packed = info.files.map((f) => f.path);
    const tarball = join(work, info.filename);
    if (npmInstall(tarball, '--offline')) installedHow = 'npm install -g --offline';
    else if (npmInstall(tarball, '--prefer-offline')) installedHow = 'npm install -g --prefer-offline';
    else {
      installedHow = 'by hand (npm could not reach the registry and the cache lacks the runtime deps)';
      handInstall(pkgDir, dependencies);
    }
    console.log(`CLI tarball installed ${installedHow}`);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the bundle, its chunks, the examples, the schema, the licence and notices, and no TypeScript', () => {
    expect(packed).toContain('wireplan.mjs');
    expect(packed).toContain('package.json');
    expect(packed.some((p) => p.startsWith('lib/') && p.endsWith('.mjs'))).toBe(true);
    expect(packed.some((p) => p.startsWith('resources/examples/'))).toBe(true);
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'THIRD-PARTY-NOTICES', 'README.md', 'resources/schema/wireplan.schema.json']));
    expect(packed.filter((p) => p.endsWith('.ts'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(prefix, 'lib/node_modules/wireplan/package.json'), 'utf8')) as { bin: Record<string, string>; engines: Record<string, string> };
    expect(pkg.bin).toEqual({ wireplan: 'wireplan.mjs' });
    // The checkout needs Node 22 (Electron's tooling); the CLI keeps running on Node 20.
    expect(pkg.engines).toEqual({ node: '>=20.19' });
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: Record<string, string> }).engines).toEqual({ node: '>=22.12' });
  });

  it('its dependencies are runtime dependencies of package.json, never devDependencies', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(dependencies).length).toBeGreaterThan(0);
    for (const [name, range] of Object.entries(dependencies)) {
      expect(root.dependencies[name]).toBe(range);
      expect(root.devDependencies[name]).toBeUndefined();
    }
    expect(packageOf('@scope/pkg/sub')).toBe('@scope/pkg');
  });

  it('the prefix holds no tsx or other build tool', () => {
    const modules = join(prefix, 'lib/node_modules/wireplan/node_modules');
    const present = existsSync(modules) ? readdirSync(modules).flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n])) : [];
    expect(present).toContain('zod');
    for (const dev of DEV_ONLY) expect(present, dev).not.toContain(dev);
    expect(readdirSync(join(prefix, 'lib/node_modules'))).toEqual(['wireplan']);
  });

  it('wireplan --version', () => {
    const r = wireplan(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${WIREPLAN_VERSION}\n`);
    expect(r.status).toBe(0);
  });

  it('wireplan validate: a valid example, and an unreadable file named with exit 2', () => {
    const ok = wireplan(['validate', EXAMPLE]);
    expect(ok.stdout).toContain('valid');
    expect(ok.status).toBe(0);
    const broken = join(work, 'broken.wireplan.json');
    writeFileSync(broken, '{"format": "wireplan"');
    const bad = wireplan(['validate', broken]);
    expect(bad.stderr).toContain('broken.wireplan.json');
    expect(bad.status).toBe(2);
  });

  it('wireplan validate - reads the design from a pipe', () => {
    const r = wireplan(['validate', '-'], readFileSync(EXAMPLE, 'utf8'));
    expect(r.stdout).toBe('(standard input): valid\n');
    expect(r.status).toBe(0);
  });

  it('wireplan plan prints the ordered commands', () => {
    const r = wireplan(['plan', EXAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/# host lab \(lab\): \d+ steps, plan sha256:[0-9a-f]{64}/);
    expect(r.stdout).toContain('ip netns add');
  });

  it('wireplan export writes a script that bash parses', () => {
    const out = join(work, 'lab.sh');
    const r = wireplan(['export', EXAMPLE, '-o', out]);
    expect(r.stderr).toContain('wrote');
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^#!\/usr\/bin\/env bash|^#!\/bin\/bash/);
    expect(spawnSync('bash', ['-n', out]).status).toBe(0);
  });

  it('wireplan serve --help', () => {
    const r = wireplan(['serve', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: wireplan serve');
  });
});
