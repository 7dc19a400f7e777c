// Golden files: the plan and script of each example, checked in under resources/golden/
// so every change to what Wireplan would run shows up in review.
// Regenerate with `npm run golden` after an intended change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFiles, exampleName, loadExample } from '../../tests/support/examples';
import { hostScript, planText } from '../export/script';
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
        const files = { [`${host.host.id}.plan.txt`]: `${planText(host)}\n`, [`${host.host.id}.sh`]: hostScript(r.plan, host) };
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
