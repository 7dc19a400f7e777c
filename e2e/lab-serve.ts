// One `wireplan serve` and one SSH lab host per test, for specs that drive a real server
// from the designer: the lab shaped as the SSH apply tests shape it (its SSH link renamed
// mgmt0, NIC eth0 an uplink into a "world" namespace inside the lab), both stopped after
// each test, and afterAll proving nothing of them is left (see leftovers.ts). Skips, with
// the harness's reason, where lab hosts cannot run.
import { test } from '@playwright/test';
import { labHostSkipReason, startLabHost, type LabHost } from '../tests/support/labhost';
import { labExecHost, shapeLab } from '../tests/support/lab-apply';
import { snapshot, type Snapshot } from '../tests/support/sandbox';
import { Leftovers } from './leftovers';
import { startServe, type Serve } from './serve';

export interface LabAndServe {
  serve(): Serve;
  lab(): LabHost;
  /** The lab's network state, read without SSH (nsenter), as the SSH apply tests read it. */
  snapshot(): Promise<Snapshot>;
  /** Runs a bash command in the lab as root, without SSH; stdout, or throws with stderr. */
  exec(cmd: string): Promise<string>;
}

/** Call at the top of a spec file: installs the hooks, returns accessors for the running test. */
export function useLabAndServe(name: string): LabAndServe {
  const skip = labHostSkipReason();
  const leftovers = new Leftovers();
  let serve: Serve | undefined;
  let lab: LabHost | undefined;

  test.beforeEach(async () => {
    test.skip(skip !== undefined, skip ?? '');
    [serve, lab] = await Promise.all([startServe(), startLabHost({ name })]);
    leftovers.lab(lab);
    await shapeLab(lab, ['eth0']);
  });
  test.afterEach(async () => {
    if (serve) leftovers.serve(serve);
    await Promise.all([serve?.stop(), lab?.stop()]);
    leftovers.stopped();
    serve = undefined;
    lab = undefined;
  });
  test.afterAll(() => {
    test.expect(leftovers.remaining()).toEqual([]);
  });

  const running = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`no ${what}: only inside a test`);
    return v;
  };
  return {
    serve: () => running(serve, 'wireplan serve'),
    lab: () => running(lab, 'lab host'),
    snapshot: () => snapshot(labExecHost(running(lab, 'lab host')).sb),
    exec: async (cmd) => {
      const r = await running(lab, 'lab host').exec(cmd);
      if (r.code !== 0) throw new Error(`lab: ${cmd} -> ${r.code ?? r.signal}: ${r.stderr}`);
      return r.stdout;
    },
  };
}
