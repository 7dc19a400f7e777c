// Preflight knows the qdiscs link impairments need (apply/features.ts, preflight.sh): a plan
// with a rate needs tbf, one with delay or loss needs netem, and a host whose kernel lacks
// one is refused before anything changes, naming it (this machine's kernel has no netem).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { featuresOf } from '../../electron/backend/apply/features';
import { preflight } from '../../electron/backend/apply/preflight';
import { compile } from '../../shared/compile/compile';
import { parseDesign } from '../../shared/model/parse';
import { createSandbox, missingFeatures, type Sandbox } from '../support/sandbox';
import { sandboxHostExecutor } from '../support/sandbox-host-executor';

function planOf(mutate: (d: Record<string, unknown>) => void = () => {}) {
  const raw = JSON.parse(readFileSync(join(__dirname, '../fixtures/designs/impaired-links.wireplan.json'), 'utf8')) as Record<string, unknown>;
  mutate(raw);
  const loaded = parseDesign(JSON.stringify(raw));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const r = compile(loaded.design);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan.hosts[0]!;
}

describe('preflight of impaired links', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('a rate needs tbf, delay and loss need netem; a kernel without netem is refused up front', async () => {
    const all = planOf();
    expect(featuresOf(all)).toEqual(['veth', 'tbf', 'netem']);
    const rateOnly = planOf((d) => {
      const veths = d['veths'] as { impair?: unknown; a: { impair?: unknown } }[];
      veths[0]!.impair = { rateKbit: 1000 };
      delete veths[1]!.a.impair;
    });
    expect(featuresOf(rateOnly)).toEqual(['veth', 'tbf']);

    sb = await createSandbox();
    const report = await preflight(sandboxHostExecutor(sb), all);
    expect(report.tools['tc']).toMatch(/\/tc$/);
    expect(report.features.tbf).toBe('ok');
    const netemMissing = await missingFeatures(['netem']);
    if (netemMissing) {
      expect(report.features.netem).toMatch(/^missing: /);
      expect(report.refusals).toContain(`the kernel lacks netem (${report.features.netem}); the plan needs it`);
      // The rate-only plan runs here.
      expect((await preflight(sandboxHostExecutor(sb), rateOnly)).refusals).toEqual([]);
    } else {
      expect(report.features.netem).toBe('ok');
      expect(report.refusals).toEqual([]);
    }
  }, 60_000);
});
