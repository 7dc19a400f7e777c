// npm run build:cli: the `wireplan` CLI as an installable npm package that needs only plain
// node and the CLI's own runtime dependencies (no tsx, no TypeScript, no devDependencies).
//
//   dist-cli/package/              the package (`npm run pack:cli` packs it into dist-cli/)
//     wireplan.mjs, lib/           the CLI bundled by esbuild (package.json bin), split so
//                                  that --version loads only the entry
//     package.json                 generated: bin, engines, and as dependencies exactly the
//                                  packages the bundle imports, at the ranges of ../package.json
//     resources/examples|schema    what the CLI reads beside itself
//     LICENSE, THIRD-PARTY-NOTICES, README.md
//
// The checkout's bin/wireplan.mjs stays as it is (TypeScript through tsx, no build step);
// this package is what `npm install -g` gets. ssh2 stays an external dependency, so its
// optional native parts (cpu-features, the sshcrypto binding) load or not exactly as they
// do in a checkout.
import { build, type Metafile } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_DIST = join(ROOT, 'dist-cli');
export const CLI_PACKAGE = join(CLI_DIST, 'package');
/**
 * The Node the installed CLI needs (its bundles target node20). The checkout's own engines
 * (package.json) are higher: building the app takes Electron 45's tooling, which wants
 * Node >= 22.12; the CLI needs none of it and keeps running on the Node users have.
 */
export const CLI_NODE = '>=20.19';

interface RootPackage {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
}

/** The package a bare import names: 'ssh2', '@scope/pkg/sub' -> '@scope/pkg'. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The npm packages (not node builtins) the bundle imports. */
export function externalPackages(meta: Metafile): string[] {
  const builtins = new Set(builtinModules);
  const out = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || builtins.has(imp.path)) continue;
      out.add(packageOf(imp.path));
    }
  }
  return [...out].sort();
}

export async function buildCli(outDir = CLI_PACKAGE): Promise<{ dependencies: Record<string, string> }> {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootPackage;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { wireplan: join(ROOT, 'electron/cli/entry.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Split at main's dynamic import: `wireplan --version` reads only the small entry chunk.
    splitting: true,
    chunkNames: 'lib/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    define: { WIREPLAN_BUNDLED: 'true' },
    banner: { js: '#!/usr/bin/env node' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const dependencies: Record<string, string> = {};
  for (const name of externalPackages(result.metafile)) {
    const range = root.dependencies[name];
    if (!range) throw new Error(`the CLI imports ${name}, which is not a dependency in package.json (a devDependency is not installed with the CLI)`);
    dependencies[name] = range;
  }
  const pkg = {
    name: root.name,
    version: root.version,
    description: 'The wireplan command line: design Linux virtual networks, compile them to exact per-host command plans, apply them over SSH.',
    license: root.license,
    type: 'module',
    bin: { wireplan: 'wireplan.mjs' },
    engines: { node: CLI_NODE },
    files: ['wireplan.mjs', 'lib', 'resources', 'LICENSE', 'THIRD-PARTY-NOTICES', 'README.md'],
    dependencies,
  };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  cpSync(join(ROOT, 'resources/examples'), join(outDir, 'resources/examples'), { recursive: true });
  if (existsSync(join(ROOT, 'resources/schema'))) cpSync(join(ROOT, 'resources/schema'), join(outDir, 'resources/schema'), { recursive: true });
  for (const file of ['LICENSE', 'THIRD-PARTY-NOTICES', 'README.md']) {
    if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(outDir, file));
  }
  return { dependencies };
}



/**
 * The CLI for the desktop installers (.deb, AppImage): one self-contained file with every
 * runtime dependency inlined, because inside the app they live in app.asar, which plain
 * node cannot read, and the packaged Electron binary does not run as node (the RunAsNode
 * fuse is off). ssh2's optional native helpers stay out: ssh2 falls back to pure
 * JavaScript when they are absent, as it does where they failed to build.
 */
export async function buildStandaloneCli(outDir = join(CLI_DIST, 'standalone')): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'wireplan.mjs');
  await build({
    entryPoints: [join(ROOT, 'electron/cli/entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['cpu-features', '*.node'],
    define: { WIREPLAN_BUNDLED: 'true' },
    // CommonJS dependencies (ssh2) call require() and read __dirname: give the ES module both.
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __wpCreateRequire } from 'node:module';",
        "import { fileURLToPath as __wpFileURLToPath } from 'node:url';",
        "import { dirname as __wpDirname } from 'node:path';",
        'const require = __wpCreateRequire(import.meta.url);',
        'const __filename = __wpFileURLToPath(import.meta.url);',
        'const __dirname = __wpDirname(__filename);',
      ].join('\n'),
    },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  cpSync(join(ROOT, 'resources/examples'), join(outDir, 'resources/examples'), { recursive: true });
  if (existsSync(join(ROOT, 'resources/schema'))) cpSync(join(ROOT, 'resources/schema'), join(outDir, 'resources/schema'), { recursive: true });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--standalone')) {
    console.log(`built ${await buildStandaloneCli()} (self-contained, for the desktop installers)`);
  } else {
    const { dependencies } = await buildCli();
    console.log(`built ${join(CLI_PACKAGE, 'wireplan.mjs')} (runtime dependencies: ${Object.keys(dependencies).join(', ')})`);
  }
}
