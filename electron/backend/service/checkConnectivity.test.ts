// checkConnectivity through the service: 'not available' without a check engine; with
// one, the engine gets the parsed design, the service's shared executor per host and an
// abort signal, and its report comes back as plain data through dispatch; bad requests
// are refused before the engine is asked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../shared/reach/report';
import { headlessDialogs } from './dialogs';
import { dispatch } from './dispatch';
import { NOT_AVAILABLE, type CheckJob } from './engines';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const examplesDir = join(repoResourcesDir(), 'examples');
const exampleText = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');

let dir: string;
let services: BackendService[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-check-svc-'));
});
afterEach(async () => {
  await Promise.all(services.map((s) => s.close()));
  services = [];
  rmSync(dir, { recursive: true, force: true });
});

function service(engines: ConstructorParameters<typeof BackendService>[0]['engines'] = {}): BackendService {
  const s = new BackendService({ configDir: join(dir, 'config'), examplesDir, dialogs: headlessDialogs(dir), userKnownHostsPath: null, engines });
  services.push(s);
  return s;
}

const report: CheckReport = { design: { name: 'x', tag: 'twons' }, rows: [], hosts: [], notes: ['stub'], summary: { probes: 0, agree: 0, disagree: 0, expectedReach: 0, expectedBlocked: 0 } };

describe('checkConnectivity', () => {
  it('says it is not available without a check engine', async () => {
    expect(await service().checkConnectivity({ designText: exampleText })).toEqual({ ok: false, error: NOT_AVAILABLE.check });
  });

  it('hands the engine the design, the hosts and an abort signal; the report comes back through dispatch', async () => {
    const jobs: CheckJob[] = [];
    const s = service({
      check: {
        run: async (job) => {
          jobs.push(job);
          return { ok: true, report };
        },
      },
    });
    const out = await dispatch(s, 'checkConnectivity', [{ designText: exampleText, hostIds: ['lab'], maxProbes: 50 }]);
    expect(out).toEqual({ ok: true, value: { ok: true, report } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.design.tag).toBe('twons');
    expect(jobs[0]!.hostIds).toEqual(['lab']);
    expect(jobs[0]!.maxProbes).toBe(50);
    expect(jobs[0]!.signal.aborted).toBe(false);
    await expect(jobs[0]!.executor('nope')).rejects.toThrow(/no host nope/);
  });

  it('refuses bad requests before the engine runs', async () => {
    let ran = 0;
    const s = service({ check: { run: async () => (ran++, { ok: true, report }) } });
    expect(await dispatch(s, 'checkConnectivity', [{ designText: exampleText, maxProbes: 0 }])).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await dispatch(s, 'checkConnectivity', [{ designText: exampleText, extra: 1 }])).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await s.checkConnectivity({ designText: exampleText, hostIds: ['ghost'] })).toEqual({ ok: false, error: 'the design has no host "ghost"' });
    expect(await s.checkConnectivity({ designText: '{' })).toMatchObject({ ok: false });
    expect(ran).toBe(0);
  });

  it('an engine that throws is reported as an error, not a crash', async () => {
    const s = service({
      check: {
        run: async () => {
          throw new Error('probe script exploded');
        },
      },
    });
    expect(await s.checkConnectivity({ designText: exampleText })).toEqual({ ok: false, error: 'probe script exploded' });
  });
});
