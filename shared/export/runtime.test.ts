import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedText, runtimeGenerated } from '../../scripts/gen-runtime';

describe('embedded script runtime', () => {
  it('runtime.generated.ts matches runtime.sh (run `npm run gen` after editing runtime.sh)', () => {
    expect(readFileSync(runtimeGenerated, 'utf8')).toBe(generatedText());
  });
});
