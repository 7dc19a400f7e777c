// Link impairments compile to the right tc commands (unit), and a design with every shape
// compiles to the plan checked in under resources/golden/impaired-links (golden:
// regenerate with UPDATE_GOLDEN=1 after an intended change).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { hostScriptWith, planText, RUNTIME_PLACEHOLDER } from '../export/script';
import { compile } from './compile';
import { qdiscPlan, tbfBurst } from './impair';

const FIXTURE = join(__dirname, '../../tests/fixtures/designs/impaired-links.wireplan.json');
const GOLDEN = join(__dirname, '../../resources/golden/impaired-links');
const update = process.env['UPDATE_GOLDEN'] === '1';

function fixture(): Design {
  const r = parseDesign(readFileSync(FIXTURE, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.design;
}

describe('qdiscPlan', () => {
  it('a rate alone is a root tbf', () => {
    expect(qdiscPlan('eth0', { rateKbit: 1000 })).toEqual({
      shape: 'tbf',
      commands: [['tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'handle', '5770:', 'tbf', 'rate', '1000kbit', 'burst', '16000', 'latency', '50ms']],
    });
  });

  it('delay and loss alone are a root netem, in microseconds and plain percent', () => {
    expect(qdiscPlan('eth0', { delayMs: 50, jitterMs: 0.5, lossPct: 0.25 })).toEqual({
      shape: 'netem',
      commands: [['tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'handle', '5771:', 'netem', 'delay', '50000us', '500us', 'loss', '0.25%']],
    });
  });

  it('rate with delay puts netem under the tbf (class 5770:1)', () => {
    const q = qdiscPlan('v1', { rateKbit: 2000, delayMs: 10, duplicatePct: 1, corruptPct: 0.1, reorderPct: 5 });
    expect(q?.shape).toBe('tbf+netem');
    expect(q?.commands[1]).toEqual(['tc', 'qdisc', 'replace', 'dev', 'v1', 'parent', '5770:1', 'handle', '5772:', 'netem', 'delay', '10000us', 'duplicate', '1%', 'corrupt', '0.1%', 'reorder', '5%']);
  });

  it('zeros and an empty impairment make no qdisc', () => {
    expect(qdiscPlan('v1', {})).toBeUndefined();
    expect(qdiscPlan('v1', { rateKbit: 0, delayMs: 0, lossPct: 0 })).toBeUndefined();
    expect(qdiscPlan('v1', undefined)).toBeUndefined();
  });

  it('a tiny percentage is written without an exponent', () => {
    expect(qdiscPlan('v1', { lossPct: 0.0000001 })?.commands[0]).toContain('0%');
    expect(qdiscPlan('v1', { lossPct: 0.000123 })?.commands[0]).toContain('0.000123%');
  });

  it('the bucket holds 10 ms at high rates', () => {
    expect(tbfBurst(1000)).toBe(16000);
    expect(tbfBurst(1_000_000)).toBe(1_250_000);
  });
});

describe('compiled impairment steps', () => {
  it('a link impairment becomes one qdisc step per end, with its inverse', () => {
    const r = compile(fixture());
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const steps = r.plan.hosts[0]!.steps.filter((s) => s.kind === 'qdisc');
    expect(steps.map((s) => s.id)).toEqual(['qdisc:a:wan0', 'qdisc:b:wan0', 'qdisc:b:radio0', 'qdisc:c:up0']);
    const wanA = steps[0]!;
    expect(wanA.ns).toBe('a');
    expect(wanA.do.map((c) => c.argv[0])).toEqual(['tc', 'tc', 'wp_qdisc_record']);
    expect(wanA.undo.map((c) => c.argv)).toEqual([['tc', 'qdisc', 'del', 'dev', 'wan0', 'root'], ['wp_qdisc_forget', 'wan0']]);
    // Deleting the interface (here: its namespace) removes its qdiscs too.
    expect(wanA.coveredBy).toContain('netns:root:a');
    expect(wanA.probe).toMatchObject({ type: 'qdisc', ns: 'a', ifname: 'wan0', shape: 'tbf+netem' });
    expect(steps.map((s) => (s.probe.type === 'qdisc' ? s.probe.shape : ''))).toEqual(['tbf+netem', 'tbf+netem', 'netem', 'tbf']);
  });

  it('new values keep the step id but change its digest (the runtime replaces them in place)', () => {
    const d1 = fixture();
    const d2 = fixture();
    d2.veths[2]!.a.impair = { rateKbit: 2000 };
    const step = (d: Design) => {
      const r = compile(d);
      if (!r.ok) throw new Error('compile failed');
      return r.plan.hosts[0]!.steps.find((s) => s.id === 'qdisc:c:up0')!;
    };
    const [s1, s2] = [step(d1), step(d2)];
    expect(s2.do[0]!.argv).toContain('2000kbit');
    expect(s1.probe.type === 'qdisc' && s2.probe.type === 'qdisc' && s1.probe.digest !== s2.probe.digest).toBe(true);
  });

  it('an invalid impairment compiles to diagnostics, not a plan', () => {
    const d = fixture();
    d.veths[0]!.impair = { lossPct: 101 };
    const r = compile(d);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((x) => x.rule === 'impair-range')?.message).toBe('link "wan": lossPct 101 is more than 100%');
  });

  it('matches the golden plan and script', () => {
    const r = compile(fixture());
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const host = r.plan.hosts[0]!;
    const files = { [`${host.host.id}.plan.txt`]: `${planText(host)}\n`, [`${host.host.id}.sh`]: hostScriptWith(r.plan, host, RUNTIME_PLACEHOLDER) };
    for (const [name, text] of Object.entries(files)) {
      const path = join(GOLDEN, name);
      if (update) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, text);
      }
      expect(existsSync(path), `${path} missing: run UPDATE_GOLDEN=1 npx vitest run shared/compile/impair.test.ts`).toBe(true);
      expect(text, `${path} differs: review and regenerate`).toBe(readFileSync(path, 'utf8'));
    }
  });
});
