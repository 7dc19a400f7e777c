// Embeds ext.sh into ext.generated.ts, so the backend needs no file next to its code at
// run time (bundlers, packaged apps). `npx tsx electron/backend/apply/gen-ext.ts` after
// editing ext.sh; ext.test.ts fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const extSource = fileURLToPath(new URL('./ext.sh', import.meta.url));
export const extGenerated = fileURLToPath(new URL('./ext.generated.ts', import.meta.url));

export function extGeneratedText(): string {
  const sh = readFileSync(extSource, 'utf8');
  return `// Generated from ext.sh by gen-ext.ts. Do not edit.\nexport const EXT_SCRIPT = ${JSON.stringify(sh)};\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(extGenerated, extGeneratedText());
  console.log(`wrote ${extGenerated}`);
}
