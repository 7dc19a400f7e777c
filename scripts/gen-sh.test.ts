import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, generatedText, leftoverGenerated, programs } from './gen-sh';

describe('embedded on-host programs (scripts/gen-sh.ts)', () => {
  const all = programs();

  it('finds the runtime and the backend programs', () => {
    const sources = all.map((p) => p.source);
    expect(sources).toContain(join('shared', 'export', 'runtime.sh'));
    expect(sources).toContain(join('electron', 'backend', 'apply', 'ext.sh'));
  });

  for (const p of all) {
    it(`${p.generated} matches ${p.source} (run \`npm run gen\` after editing it)`, () => {
      const path = join(ROOT, p.generated);
      expect(existsSync(path), `${p.generated} missing: run npm run gen`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${p.generated} is stale: run npm run gen`).toBe(generatedText(p));
    });
  }

  it('no generated file outlives its program', () => {
    expect(leftoverGenerated()).toEqual([]);
  });
});
