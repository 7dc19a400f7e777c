// The Mermaid export checked by Mermaid itself: mermaid's own parser (the npm package's
// browser build, which needs a DOM) runs in Debian's Chromium through playwright-core and
// must accept every example's flowchart, including hostile names; a broken flowchart is
// rejected, so the check is real.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { designToMermaid } from './diagram';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (Debian package chromium; scripts/setup.sh installs it)`;
if (skip) console.log(`diagram-mermaid: skipped: ${skip}`);

const examplesDir = join(__dirname, '../../resources/examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.wireplan.json'));
const load = (file: string): Design => {
  const r = parseDesign(readFileSync(join(examplesDir, file), 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.design;
};

let browser: Browser | undefined;
let page: Page;
beforeAll(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** mermaid.parse in the page: the diagram type, or the parser's error. */
async function parse(text: string): Promise<{ ok: true; type: string } | { ok: false; error: string }> {
  return page.evaluate(`(async () => {
    try { const r = await mermaid.parse(${JSON.stringify(text)}); return { ok: true, type: r.diagramType }; }
    catch (e) { return { ok: false, error: String((e && e.message) || e) }; }
  })()`);
}

describe.skipIf(skip)('Mermaid export, parsed by mermaid', () => {
  it.each(examples)('%s: a flowchart mermaid accepts', async (file) => {
    expect(await parse(designToMermaid(load(file)))).toEqual({ ok: true, type: 'flowchart-v2' });
  });

  it('hostile names stay inside their labels', async () => {
    const d = load('two-namespaces-nat.wireplan.json');
    d.name = 'evil "design" \\ } {';
    d.namespaces[0]!.name = 'a"b|c<d>\\e\nf]) --> x[';
    expect(await parse(designToMermaid(d))).toEqual({ ok: true, type: 'flowchart-v2' });
  });

  it('rejects a broken flowchart (the parser is really checking)', async () => {
    const broken = designToMermaid(load('two-namespaces-nat.wireplan.json')).replace(/\n {2}end\n/, '\n  end end ]]\n');
    const r = await parse(broken);
    expect(r.ok).toBe(false);
  });
});
