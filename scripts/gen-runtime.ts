// Embeds shared/export/runtime.sh into shared/export/runtime.generated.ts: shared/ is pure
// (no file reads at run time), yet the runtime stays a real shell file that can be read,
// linted and diffed as shell. A unit test fails if the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const runtimeSource = fileURLToPath(new URL('../shared/export/runtime.sh', import.meta.url));
export const runtimeGenerated = fileURLToPath(new URL('../shared/export/runtime.generated.ts', import.meta.url));

export function generatedText(): string {
  const sh = readFileSync(runtimeSource, 'utf8');
  return `// Generated from runtime.sh by scripts/gen-runtime.ts (npm run gen). Do not edit.\nexport const RUNTIME = ${JSON.stringify(sh)};\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(runtimeGenerated, generatedText());
  console.log(`wrote ${runtimeGenerated}`);
}
