// Stand-in NICs in the sandbox (issue 14 item 5), through the real backend (BackendService
// with its default engines, as `wireplan serve` and the app run it): NIC-based examples
// apply to a sandbox host and `check` green there, because the sandbox makes each NIC
// the design names as a veth into a hidden "outside" namespace. The outside namespace is
// a real network beyond the NIC: a client there reaches a port forward, and a namespace
// behind the masquerade reaches it with the NIC's address as its source.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ElementStatus, LiveStatusUpdate, RunProgressEvent } from '../../shared/api/contract';
import { compile } from '../../shared/compile/compile';
import { parseDesign } from '../../shared/model/parse';
import { standInNics } from '../../shared/sandbox/stand-ins';
import { OUTSIDE_NS } from '../../shared/sandbox/outside-design';
import type { CheckReport } from '../../shared/reach/report';
import { SANDBOX_OUTSIDE_NETNS } from '../../electron/backend/executor/sandbox-executor';
import { defaultEngines } from '../../electron/backend/service/defaultEngines';
import { headlessDialogs } from '../../electron/backend/service/dialogs';
import { repoResourcesDir } from '../../electron/backend/service/paths';
import { BackendService } from '../../electron/backend/service/service';

const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true']);
const skip = probe.status === 0 ? undefined : `user+net namespaces are not available here (${probe.stderr?.toString().trim() || probe.error?.message})`;
if (skip) console.log(`[sandbox-stand-ins] skipped: ${skip}`);

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};
/** Init PIDs of the sandboxes this test process started (the child of each `unshare`). */
const sandboxInits = () => children(process.pid).filter((c) => comm(c) === 'unshare').flatMap(children);

/** A command inside the one sandbox this test's backend started. */
function inSandbox(command: string): string {
  const inits = sandboxInits();
  if (inits.length !== 1) throw new Error(`expected one sandbox, found ${inits.length}`);
  return execFileSync('nsenter', ['-t', String(inits[0]), '--user', '--net', '--mount', '--pid', '--preserve-credentials', '--', 'bash', '-c', command], { encoding: 'utf8' });
}
const inOutside = (command: string) => inSandbox(`nsenter --net=${SANDBOX_OUTSIDE_NETNS} -- bash -c ${JSON.stringify(command)}`);

let dir: string | undefined;
let service: BackendService | undefined;
afterEach(async () => {
  await service?.close(); // closes the sandbox: everything in it goes with it
  service = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  expect(sandboxInits(), 'the sandbox is gone').toEqual([]);
});

function startService(): BackendService {
  dir = mkdtempSync(join(tmpdir(), 'wp-standins-'));
  const s = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')), engines: defaultEngines });
  service = s;
  return s;
}

function example(name: string) {
  const designText = readFileSync(join(repoResourcesDir(), 'examples', `${name}.wireplan.json`), 'utf8');
  const loaded = parseDesign(designText);
  if (!loaded.ok) throw new Error(`${name} does not load`);
  const compiled = compile(loaded.design);
  if (!compiled.ok) throw new Error(`${name} does not compile`);
  const hostId = compiled.plan.hosts[0]!.host.id;
  const stand = standInNics(loaded.design, hostId);
  if (!stand.ok) throw new Error(stand.error);
  return { designText, design: loaded.design, plan: compiled.plan, hostId, standIns: stand.nics, planHashes: Object.fromEntries(compiled.plan.hosts.map((h) => [h.host.id, h.hash])) };
}

async function runToEnd(s: BackendService, kind: 'apply' | 'destroy', request: { designText: string; planHashes?: Record<string, string> }, events: RunProgressEvent[] = []): Promise<RunProgressEvent> {
  const off = s.subscribe('onRunProgress', (e) => events.push(e));
  try {
    const start = kind === 'apply' ? await s.apply({ designText: request.designText, planHashes: request.planHashes ?? {} }) : await s.destroy({ designText: request.designText });
    expect(start, 'run started').toMatchObject({ ok: true });
    const runId = (start as { runId: string }).runId;
    await expect.poll(() => events.some((e) => e.runId === runId && (e.phase === 'done' || e.phase === 'failed')), { timeout: 90_000 }).toBe(true);
    return events.find((e) => e.runId === runId && (e.phase === 'done' || e.phase === 'failed'))!;
  } finally {
    off();
  }
}

async function checkGreen(s: BackendService, designText: string): Promise<CheckReport> {
  const r = await s.checkConnectivity({ designText });
  if (!r.ok) throw new Error(`check failed to run: ${r.error}`);
  const bad = r.report.rows.filter((x) => !x.ok).map((x) => `${x.expectation.probe.id}: expected ${x.expectation.expect}, ${JSON.stringify(x.outcome)}`);
  expect(bad, 'every probe agrees with the design').toEqual([]);
  expect(r.report.summary.probes).toBeGreaterThan(0);
  return r.report;
}

describe.skipIf(skip)('stand-in NICs in the sandbox, through the real backend', () => {
  it('macvlan-shim: eth1 is a stand-in; the example applies, checks green, and destroys', async () => {
    const s = startService();
    const ex = example('macvlan-shim');
    expect(ex.standIns.map((n) => n.name)).toEqual(['eth1']);
    const end = await runToEnd(s, 'apply', ex);
    expect(end.outcome, JSON.stringify(end)).toMatchObject({ kind: 'converged' });

    // eth1: a veth with the stand-in address, its far end in the hidden outside namespace.
    const eth1 = JSON.parse(inSandbox('ip -j -d addr show dev eth1')) as { linkinfo?: { info_kind?: string }; addr_info: { local: string; prefixlen: number }[] }[];
    expect(eth1[0]?.linkinfo?.info_kind).toBe('veth');
    expect(eth1[0]?.addr_info.map((a) => `${a.local}/${a.prefixlen}`)).toContain(ex.standIns[0]!.hostCidr);
    expect(inOutside('ip -br -4 addr show dev eth1')).toContain(ex.standIns[0]!.outsideCidr);
    expect(inSandbox('ip netns list'), 'the outside namespace is not a netns of the design').not.toMatch(/outside/);
    expect(inSandbox('ip netns list').split('\n').filter(Boolean).map((l) => l.split(' ')[0]).sort()).toEqual(['m1', 'm2']);

    const mvReport = await checkGreen(s, ex.designText);
    // eth1 parents the macvlans: it stays a NIC in the model, nothing is probed from outside.
    expect(mvReport.rows.filter((r) => r.expectation.probe.from.ns === OUTSIDE_NS)).toEqual([]);

    const gone = await runToEnd(s, 'destroy', ex);
    expect(gone.outcome).toMatchObject({ kind: 'removed' });
    expect(inSandbox('ip netns list').trim()).toBe('');
    // The stand-in is the host's NIC, not the design's: destroy leaves it.
    expect(inSandbox('ip -br link show dev eth1')).toContain('eth1');
  }, 180_000);

  it('two-namespaces-nat: eth0 is a stand-in; applies, checks green; outside reaches the port forward and sees masqueraded traffic', async () => {
    const s = startService();
    const ex = example('two-namespaces-nat');
    const [eth0] = ex.standIns;
    expect(eth0?.name).toBe('eth0');
    const end = await runToEnd(s, 'apply', ex);
    expect(end.outcome, JSON.stringify(end)).toMatchObject({ kind: 'converged' });

    // The check probes from beyond eth0 too: a client there reaches the published port,
    // and app1 reaches the outside through the masquerade; all as the design says.
    const report = await checkGreen(s, ex.designText);
    const fromOutside = report.rows.filter((r) => r.expectation.probe.from.ns === OUTSIDE_NS);
    expect(fromOutside.find((r) => r.expectation.probe.kind === 'tcp' && r.expectation.probe.port === 8080 && r.expectation.probe.to === eth0!.hostAddress), 'outside -> port forward').toMatchObject({ ok: true, expectation: { expect: 'reach' } });
    expect(report.rows.find((r) => r.expectation.probe.from.ns === 'app1' && r.expectation.probe.to === eth0!.outsideAddress), 'app1 -> outside').toMatchObject({ ok: true, expectation: { expect: 'reach' } });
    expect(report.notes.join('\n')).toMatch(/stand-in NIC\(s\) eth0 are modelled/);

    // By hand too: from outside: a client beyond eth0 connects to the published port (8080 on the
    // host) and lands on app1:80.
    const serve = `import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(1)
print('ready', flush=True)
c,a=s.accept(); c.sendall((a[0]+'\\n').encode()); c.close()`;
    const connect = `import socket,sys
c=socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); print(c.recv(100).decode().strip())`;
    const viaForward = inSandbox(
      `set -e; ip netns exec app1 python3 -c ${shq(serve)} 80 > /run/wp-test-app1.out & pid=$!
       for i in $(seq 500); do grep -q ready /run/wp-test-app1.out 2>/dev/null && break; sleep 0.01; done
       nsenter --net=${SANDBOX_OUTSIDE_NETNS} -- python3 -c ${shq(connect)} ${eth0!.hostAddress} 8080; wait $pid; rm -f /run/wp-test-app1.out`,
    );
    expect(viaForward.trim(), 'app1 sees the outside client').toBe(eth0!.outsideAddress);

    // Out through the masquerade: app1 reaches a server beyond eth0, which sees eth0's address.
    const viaNat = inSandbox(
      `set -e; nsenter --net=${SANDBOX_OUTSIDE_NETNS} -- python3 -c ${shq(serve)} 9000 > /run/wp-test-out.out & pid=$!
       for i in $(seq 500); do grep -q ready /run/wp-test-out.out 2>/dev/null && break; sleep 0.01; done
       ip netns exec app1 python3 -c ${shq(connect)} ${eth0!.outsideAddress} 9000; wait $pid; rm -f /run/wp-test-out.out`,
    );
    expect(viaNat.trim(), 'the outside server sees the masqueraded source').toBe(eth0!.hostAddress);

    const gone = await runToEnd(s, 'destroy', ex);
    expect(gone.outcome).toMatchObject({ kind: 'removed' });
    expect(inSandbox('ip netns list').trim()).toBe('');
  }, 180_000);
});

describe.skipIf(skip)('a failing run in the sandbox (issue 12, item 8), through the real backend', () => {
  it('stand-in eth1 deleted by hand: the macvlan run fails at its first macvlan, no step after it is reported done, and the host (routes via the never-created shim) is missing', async () => {
    const s = startService();
    const ex = example('macvlan-shim');
    const live: LiveStatusUpdate[] = [];
    const off = s.subscribe('onLiveStatus', (u) => live.push(u));
    const state = () => {
      const m = new Map<string, ElementStatus>();
      for (const u of live) {
        if (u.replace) m.clear();
        for (const e of u.elements) m.set(e.elementId, e);
      }
      return m;
    };
    try {
      // Watching starts the sandbox host, stand-ins included; then the NIC goes away.
      expect(await s.watchLive(ex.designText)).toEqual({ ok: true, hostIds: [ex.hostId] });
      await expect.poll(() => state().get('m1')?.presence, { timeout: 30_000 }).toBe('missing');
      inSandbox('ip link del eth1');

      const events: RunProgressEvent[] = [];
      const end = await runToEnd(s, 'apply', ex, events);
      expect(end.outcome, JSON.stringify(end)).toMatchObject({ kind: 'rolled-back' });
      const failed = events.filter((e) => e.status === 'failed' && e.stepIndex !== undefined);
      expect(failed).toHaveLength(1);
      const at = failed[0]!.stepIndex!;
      expect(ex.plan.hosts[0]!.steps[at - 1]!.description).toMatch(/macvlan|mv/);
      expect(failed[0]!.output ?? JSON.stringify(events)).toMatch(/eth1/);
      // The host announced steps past the failing one (one ip batch) ...
      expect(events.some((e) => e.status === 'started' && e.stepIndex! > at), 'announced past the failure').toBe(true);
      // ... but none of them, nor the failing one, is reported done.
      const ok = events.filter((e) => e.status === 'ok').map((e) => e.stepIndex!);
      expect(ok.filter((i) => i >= at), 'steps reported done at or after the failure').toEqual([]);

      // The live state after the rollback: nothing of the design, the host included.
      await expect.poll(() => state().get('host')?.presence, { timeout: 30_000 }).toBe('missing');
      expect(state().get('host')?.drift?.join('\n')).toMatch(/mv-shim does not exist/);
      for (const id of ['m1', 'm2', 'mv1', 'mv2', 'shim']) expect(state().get(id)?.presence, id).toBe('missing');
      expect(inSandbox('ip netns list').trim()).toBe('');
    } finally {
      off();
      await s.watchLive(undefined);
    }
  }, 180_000);
});

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
