#!/usr/bin/env node
// Before `npm run dist` packs the app: electron-builder needs the Electron release zip
// (electron-vVERSION-PLATFORM-ARCH.zip) and downloads it from GitHub when no cache holds
// it. Where that host cannot be reached (our CI and lab machines) the download fails
// deep inside electron-builder with a network error; this says up front what is missing
// and where to put it, and exits 1.
//   node scripts/dist-precheck.mjs          checks for this machine's platform and arch
//   WIREPLAN_DIST_DOWNLOAD=1 npm run dist   skips the check (electron-builder may download)
// Plain Node, no dependencies: it runs before anything is built.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where electron-builder 26 finds the Electron zip: it asks @electron/get, whose cache is
 * $electron_config_cache, else env-paths' cache dir ($XDG_CACHE_HOME or ~/.cache, then
 * /electron), with one sub-directory per download URL.
 */
export function cacheDir(env = process.env, home = homedir()) {
  if (env.electron_config_cache) return env.electron_config_cache;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'electron');
}

/** A file named `name` in dir or up to two levels below it (@electron/get keeps one directory per URL hash). */
function find(dir, name, depth = 2) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) if (e.name === name && statSync(join(dir, e.name)).size > 0) return join(dir, e.name);
  if (depth === 0) return undefined;
  for (const e of entries) if (e.isDirectory()) {
    const hit = find(join(dir, e.name), name, depth - 1);
    if (hit) return hit;
  }
  return undefined;
}

export function precheck({ env = process.env, home = homedir(), platform = process.platform, arch = process.arch } = {}) {
  if (env.WIREPLAN_DIST_DOWNLOAD === '1') return { ok: true, message: 'dist precheck skipped (WIREPLAN_DIST_DOWNLOAD=1): electron-builder will download Electron if it is not cached' };
  const pkg = join(root, 'node_modules', 'electron', 'package.json');
  if (!existsSync(pkg)) return { ok: false, message: 'dist: the electron package is not installed (run npm ci first)' };
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  const zip = `electron-v${version}-${platform}-${arch}.zip`;
  const dir = cacheDir(env, home);
  const hit = find(dir, zip);
  if (hit) return { ok: true, message: `dist: using the cached Electron ${version} zip ${hit}` };
  return {
    ok: false,
    message: [
      `dist: the Electron ${version} release zip for ${platform}-${arch} (${zip}) is not cached, and electron-builder`,
      'would download it from github.com/electron/electron/releases. Where that host cannot be reached the',
      'installers cannot be built. Put the zip in a sub-directory of the cache electron-builder reads,',
      `  ${dir}/<any-name>/${zip}`,
      '(or point electron_config_cache at a directory laid out that way) and run npm run dist again.',
      'Where GitHub is reachable, WIREPLAN_DIST_DOWNLOAD=1 skips this check and lets electron-builder download it.',
    ].join('\n'),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = precheck();
  (r.ok ? console.log : console.error)(r.message);
  process.exit(r.ok ? 0 : 1);
}
