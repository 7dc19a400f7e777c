// LICENSE and THIRD-PARTY-NOTICES: the licence package.json declares, and notices that
// cover exactly the runtime dependency tree as installed (stale -> npm run gen:notices).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noticesText, NOTICES_FILE, ROOT, runtimePackages } from './gen-notices';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('release hygiene', () => {
  it('LICENSE is the MIT licence package.json declares', () => {
    expect(pkg.license).toBe('MIT');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('THIRD-PARTY-NOTICES is up to date (npm run gen:notices)', () => {
    expect(readFileSync(NOTICES_FILE, 'utf8')).toBe(noticesText());
  });

  it('covers every runtime dependency and their dependencies, and no devDependency', () => {
    const names = new Set(runtimePackages().map((p) => p.name));
    for (const dep of Object.keys(pkg.dependencies)) expect(names, dep).toContain(dep);
    for (const transitive of ['asn1', 'bcrypt-pbkdf', 'tweetnacl', 'scheduler']) expect(names).toContain(transitive);
    for (const dev of ['tsx', 'typescript', 'vite', 'vitest', 'electron', 'eslint', 'esbuild']) expect(names, dev).not.toContain(dev);
  });

  it("names each package's licence and carries its licence text (elkjs: EPL-2.0 OR GPL-3.0-or-later)", () => {
    const text = readFileSync(NOTICES_FILE, 'utf8');
    const elk = runtimePackages().find((p) => p.name === 'elkjs')!;
    expect(elk.license).toBe('EPL-2.0 OR GPL-3.0-or-later');
    expect(text).toContain(`elkjs@${elk.version}\nLicense: EPL-2.0 OR GPL-3.0-or-later`);
    expect(text).toContain('Eclipse Public License');
    for (const p of runtimePackages()) expect(p.license, p.name).not.toBe('UNKNOWN');
  });

  it('the installers carry LICENSE, THIRD-PARTY-NOTICES and the design schema (electron-builder extraResources)', async () => {
    const { default: config } = (await import(pathToFileURL(join(ROOT, 'electron-builder.js')).href)) as { default: { extraResources: { from: string; to: string }[] } };
    const shipped = new Map(config.extraResources.map((r) => [r.from, r.to]));
    expect(shipped.get('LICENSE')).toBe('LICENSE');
    expect(shipped.get('THIRD-PARTY-NOTICES')).toBe('THIRD-PARTY-NOTICES');
    expect(shipped.get('resources/schema')).toBe('schema');
    for (const from of shipped.keys()) expect(existsSync(join(ROOT, from)), from).toBe(true);
  });
});
