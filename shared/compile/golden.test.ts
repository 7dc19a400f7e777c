// Golden files: the plan and script of each example, checked in under resources/golden/
// so every change to what Wireplan would run shows up in review. A golden script holds
// the plan part (header and step table) with one placeholder line where the runtime goes:
// the runtime's own text is shared/export/runtime.sh, kept in step with its embedding by
// scripts/gen-sh.test.ts. Regenerate with `npm run golden` after an intended change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFiles, exampleName, loadExample } from '../../tests/support/examples';
import { RUNTIME_SH } from '../export/runtime.generated';
import { hostScript, hostScriptWith, planText, RUNTIME_PLACEHOLDER } from '../export/script';
import { compile } from './compile';

const GOLDEN = join(__dirname, '../../resources/golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

describe('golden plans and scripts', () => {
  for (const file of exampleFiles()) {
    it(exampleName(file), () => {
      const r = compile(loadExample(file));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      for (const host of r.plan.hosts) {
        const base = join(GOLDEN, exampleName(file));
        const script = hostScriptWith(r.plan, host, RUNTIME_PLACEHOLDER);
        // The golden script is the exported one but for the runtime, which appears once.
        expect(hostScript(r.plan, host)).toBe(script.replace(RUNTIME_PLACEHOLDER, () => RUNTIME_SH.trim()));
        expect(script.split('\n').filter((l) => l === RUNTIME_PLACEHOLDER)).toHaveLength(1);
        // The design's own steps come before the runtime, near the top where a reader looks.
        const lines = script.split('\n');
        expect(lines.findIndex((l) => l.startsWith('WP_ID[1]='))).toBeLessThan(Math.min(30, lines.indexOf(RUNTIME_PLACEHOLDER)));
        const files = { [`${host.host.id}.plan.txt`]: `${planText(host)}\n`, [`${host.host.id}.sh`]: script };
        for (const [name, text] of Object.entries(files)) {
          const path = join(base, name);
          if (update) {
            mkdirSync(base, { recursive: true });
            writeFileSync(path, text);
          }
          expect(existsSync(path), `${path} missing: run npm run golden`).toBe(true);
          expect(text, `${path} differs: review and run npm run golden`).toBe(readFileSync(path, 'utf8'));
        }
      }
    });
  }
});
