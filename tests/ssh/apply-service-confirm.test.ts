// Commit-confirmed from the app: the backend service (the same object behind the IPC and
// WebSocket doors) applies a plan that enslaves the lab host's SSH interface. Without a
// confirm window it is refused (typed: managementPath); with one it runs and is confirmed
// over a FRESH SSH connection; and when no fresh connection can be made (the lab's sshd
// listener stopped, the session already open stays) the host undoes the run by itself
// and the run's final event says 'reverted-by-timer'.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyRequest, RunOutcome, RunProgressEvent } from '../../shared/api/contract';
import { serializeDesign } from '../../shared/model/parse';
import type { Design } from '../../shared/model/schema';
import { applyEngine, destroyEngine, remotePaths, runDir } from '../../electron/backend/apply';
import { headlessDialogs } from '../../electron/backend/service/dialogs';
import { configFiles, repoResourcesDir } from '../../electron/backend/service/paths';
import { BackendService } from '../../electron/backend/service/service';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { MGMT_IF, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-service-confirm');
let scope: LabScope | undefined;
let service: BackendService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
  await scope?.cleanup();
  scope = undefined;
});

/** lxc-bridge on the lab over SSH, with the lab's SSH interface enslaved to the bridge. */
function enslavingDesign(lab: LabHost): Design {
  const d = structuredClone(loadExample('lxc-bridge.wireplan.json'));
  d.hosts[0]!.target = { kind: 'ssh', address: lab.address, port: lab.port, user: 'root', keyPath: lab.clientKeyPath };
  d.hosts[0]!.nics.push({ name: MGMT_IF, management: false });
  d.bridges[0]!.nics = [MGMT_IF];
  return d;
}

async function setup() {
  scope = new LabScope();
  const lab = await scope.lab();
  const { host } = await shapeLab(lab, ['eth0']);
  // The app's own config dir, whose known_hosts already trusts the lab (the connection test's job).
  const configDir = join(scope.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(configFiles(configDir).knownHosts, `${lab.address} ${lab.hostPublicKey}\n`);
  service = new BackendService({
    configDir,
    examplesDir: join(repoResourcesDir(), 'examples'),
    dialogs: headlessDialogs(scope.dir),
    userKnownHostsPath: null,
    engines: { apply: applyEngine, destroy: destroyEngine },
  });
  const design = enslavingDesign(lab);
  const plan = planOf(design);
  return { lab, host, design, plan, id: plan.hosts[0]!.host.id, text: serializeDesign(design), hashes: Object.fromEntries(plan.hosts.map((h) => [h.host.id, h.hash])) };
}

/** Starts a run through the service and resolves with its events once every host has its final event. */
async function run(s: BackendService, start: (s: BackendService) => ReturnType<BackendService['apply']>, hostIds: string[]): Promise<{ events: RunProgressEvent[]; final: RunProgressEvent }> {
  const events: RunProgressEvent[] = [];
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  let runId: string | undefined;
  const isDone = () => runId !== undefined && hostIds.every((h) => events.some((e) => e.runId === runId && e.hostId === h && ['done', 'failed', 'canceled'].includes(e.phase)));
  const off = s.subscribe('onRunProgress', (e) => {
    events.push(e);
    if (isDone()) done();
  });
  try {
    const r = await start(s);
    if (!r.ok) throw new Error(`run refused: ${r.error}`);
    runId = r.runId;
    if (isDone()) done();
    await ended;
  } finally {
    off();
  }
  const mine = events.filter((e) => e.runId === runId);
  return { events: mine, final: mine.filter((e) => ['done', 'failed', 'canceled'].includes(e.phase)).at(-1)! };
}

async function read(lab: LabHost, path: string): Promise<string> {
  return (await lab.exec(`cat ${path} 2>/dev/null || true`)).stdout.trim();
}

function runIdOf(o: RunOutcome | undefined, events: RunProgressEvent[]): string {
  // The on-host run id is in the "apply run <id> started" phase message.
  const m = events.map((e) => /apply run (\S+) started/.exec(e.message ?? '')).find((x) => x);
  if (!m) throw new Error(`no on-host run started: ${JSON.stringify(o)}`);
  return m[1]!;
}

describe.skipIf(skip)('commit-confirmed through the backend service', () => {
  it('refuses a management-touching plan without a window; with one it applies and confirms over a fresh connection', async () => {
    const { lab, host, plan, id, text, hashes } = await setup();
    const s = service!;
    const before = await snapshot(host.sb);
    const req: ApplyRequest = { designText: text, hostIds: [id], planHashes: hashes };

    const refused = await run(s, (x) => x.apply(req), [id]);
    expect(refused.final.phase).toBe('failed');
    expect(refused.final.outcome).toMatchObject({ kind: 'refused', managementPath: true });
    expect(refused.final.outcome?.kind === 'refused' && refused.final.outcome.reasons.join('\n')).toMatch(new RegExp(`enslaves management interface ${MGMT_IF}`));
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);

    const sshdBefore = lab.sshdLog().split('\n').filter((l) => /Accepted publickey/.test(l)).length;
    const ok = await run(s, (x) => x.apply({ ...req, allowManagementChange: true, confirmWithinS: 30 }), [id]);
    expect(ok.final.phase, JSON.stringify(ok.final)).toBe('done');
    expect(ok.final.outcome).toMatchObject({ kind: 'converged', confirmed: true });
    expect(ok.final.outcome?.kind === 'converged' && ok.final.outcome.warnings?.join('\n')).toMatch(/touches the management path/);
    // The confirm came over a new login, and the host's timer took it.
    expect(lab.sshdLog().split('\n').filter((l) => /Accepted publickey/.test(l)).length).toBeGreaterThan(sshdBefore);
    const dir = runDir(remotePaths(plan.design.tag, plan.hosts[0]!.hash), runIdOf(ok.final.outcome, ok.events));
    expect(await read(lab, `${dir}/timer.state`)).toBe('confirmed');
    expect((await lab.exec(`ip -o link show ${MGMT_IF}`)).stdout).toMatch(/master lxcbr0/);

    const removed = await run(s, (x) => x.destroy({ designText: text, hostIds: [id] }), [id]);
    expect(removed.final.outcome, JSON.stringify(removed.final)).toMatchObject({ kind: 'removed' });
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('when no fresh connection can be made, the host reverts by itself and the run says reverted-by-timer', async () => {
    const { lab, host, id, text, hashes } = await setup();
    const s = service!;
    const before = await snapshot(host.sb);
    const req: ApplyRequest = { designText: text, hostIds: [id], planHashes: hashes };
    // The refused attempt opens the service's shared connection; it stays open below.
    expect((await run(s, (x) => x.apply(req), [id])).final.outcome).toMatchObject({ kind: 'refused', managementPath: true });
    // Test-only block of every NEW connection: stop the lab's listening sshd by its own pid
    // (sessions already open keep going). No product code path changes.
    const stop = await lab.exec('p=$(cat /run/lab/sshd.pid) && kill "$p" && while kill -0 "$p" 2>/dev/null; do sleep 0.01; done');
    expect(stop.code, stop.stderr).toBe(0);

    const r = await run(s, (x) => x.apply({ ...req, allowManagementChange: true, confirmWithinS: 3 }), [id]);
    expect(r.final.phase, JSON.stringify(r.final)).toBe('failed');
    expect(r.final.outcome).toMatchObject({ kind: 'reverted-by-timer', confirmWithinS: 3 });
    expect(r.final.outcome?.kind === 'reverted-by-timer' && r.final.outcome.reason).toMatch(/not confirmed within 3 s: a fresh connection failed .*the host undid this run by itself/);
    // Steps did run before the timer undid them.
    expect(r.events.some((e) => e.status === 'ok')).toBe(true);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });
});
