// The run contract's guarantees around the engine: a commit-confirmed window is validated
// at the door and reaches the engine; every host's final event carries a typed outcome,
// also when the engine forgets it, throws, or the run is canceled.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunProgressEvent } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import { parseDesign } from '../../../shared/model/parse';
import { InvalidArguments, parseArgs } from './args';
import { headlessDialogs } from './dialogs';
import type { RunEngine, RunJob } from './engines';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const examplesDir = join(repoResourcesDir(), 'examples');
const text = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');
const loaded = parseDesign(text);
if (!loaded.ok) throw new Error('example does not load');
const compiled = compile(loaded.design);
if (!compiled.ok) throw new Error('example does not compile');
const planHashes = Object.fromEntries(compiled.plan.hosts.map((h) => [h.host.id, h.hash]));
const hostCount = compiled.plan.hosts.length;

let dir: string;
let s: BackendService | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-runoutcome-'));
});
afterEach(async () => {
  await s?.close();
  s = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function serviceWith(apply: RunEngine): { events: RunProgressEvent[] } {
  s = new BackendService({ configDir: join(dir, 'config'), examplesDir, dialogs: headlessDialogs(dir), userKnownHostsPath: null, engines: { apply } });
  const events: RunProgressEvent[] = [];
  s.subscribe('onRunProgress', (e) => events.push(e));
  return { events };
}

describe('ApplyRequest.confirmWithinS at the door', () => {
  const base = { designText: text, planHashes };
  it('accepts whole seconds within the bounds, with or without the management override', () => {
    expect(parseArgs('apply', [{ ...base, confirmWithinS: 60 }])[0].confirmWithinS).toBe(60);
    expect(parseArgs('apply', [{ ...base, allowManagementChange: true, confirmWithinS: 1 }])[0].allowManagementChange).toBe(true);
  });
  it('refuses a bad window, and the override without one, naming the field', () => {
    for (const bad of [0, -5, 1.5, 3601, '60']) {
      expect(() => parseArgs('apply', [{ ...base, confirmWithinS: bad }])).toThrow(/argument 0\.confirmWithinS: .*(whole seconds|expected number)/);
    }
    expect(() => parseArgs('apply', [{ ...base, allowManagementChange: true }])).toThrow(InvalidArguments);
    expect(() => parseArgs('apply', [{ ...base, allowManagementChange: true }])).toThrow(/allowManagementChange needs confirmWithinS/);
  });
});

describe('final events', () => {
  it('the window reaches the engine', async () => {
    let job: RunJob | undefined;
    serviceWith({ run: async (j) => void (job = j) });
    expect((await s!.apply({ designText: text, planHashes, allowManagementChange: true, confirmWithinS: 45 })).ok).toBe(true);
    await expect.poll(() => job).toBeDefined();
    expect(job).toMatchObject({ allowManagementChange: true, confirmWithinS: 45 });
  });

  it('a host the engine left without a final event ends failed, with a typed outcome', async () => {
    const { events } = serviceWith({ run: async () => {} });
    expect((await s!.apply({ designText: text, planHashes })).ok).toBe(true);
    await expect.poll(() => events.length).toBe(hostCount);
    expect(events[0]).toMatchObject({ phase: 'failed', outcome: { kind: 'failed', error: 'the engine ended without a result for this host' } });
  });

  it('an engine that throws: failed with the error as outcome', async () => {
    const { events } = serviceWith({ run: () => Promise.reject(new Error('host exploded')) });
    expect((await s!.apply({ designText: text, planHashes })).ok).toBe(true);
    await expect.poll(() => events.length).toBe(hostCount);
    expect(events[0]).toMatchObject({ phase: 'failed', outcome: { kind: 'failed', error: 'host exploded' } });
  });

  it('a canceled run is its own phase and outcome, never a failure', async () => {
    let began = false;
    const { events } = serviceWith({
      run: (j) =>
        new Promise((_resolve, reject) => {
          began = true;
          j.signal.addEventListener('abort', () => reject(j.signal.reason as Error));
        }),
    });
    // Canceled before the engine began: nothing can have changed.
    const early = await s!.apply({ designText: text, planHashes });
    if (!early.ok) throw new Error(early.error);
    await s!.cancelRun(early.runId);
    await expect.poll(() => events.length).toBe(hostCount);
    expect(began).toBe(false);
    expect(events[0]).toMatchObject({ phase: 'canceled', outcome: { kind: 'canceled', startedOnHost: false, detail: 'canceled by the user' } });
    // Canceled while the engine ran: the host may have started the run, and the outcome says so.
    events.length = 0;
    const late = await s!.apply({ designText: text, planHashes });
    if (!late.ok) throw new Error(late.error);
    await expect.poll(() => began).toBe(true);
    await s!.cancelRun(late.runId);
    await expect.poll(() => events.length).toBe(hostCount);
    expect(events[0]).toMatchObject({ phase: 'canceled', outcome: { kind: 'canceled', startedOnHost: true } });
  });
});
