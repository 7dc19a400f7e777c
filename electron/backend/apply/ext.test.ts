import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extGenerated, extGeneratedText } from './gen-ext';

describe('embedded apply extension', () => {
  it('ext.generated.ts matches ext.sh (run `npx tsx electron/backend/apply/gen-ext.ts` after editing ext.sh)', () => {
    expect(readFileSync(extGenerated, 'utf8')).toBe(extGeneratedText());
  });
});
