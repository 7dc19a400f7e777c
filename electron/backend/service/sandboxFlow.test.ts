// The whole backend path of `wireplan serve` on this machine: over the token-guarded
// WebSocket, apply an example to the local sandbox host (the backend recompiles it and
// checks the previewed hashes), follow the progress events, watch the live state until
// every element is present, destroy, and see the elements go missing. Skips (saying why)
// where user namespaces are not available.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire, type ElementStatus, type LiveStatusUpdate, type RunProgressEvent, type WireResponse } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import { parseDesign } from '../../../shared/model/parse';
import { defaultEngines } from './defaultEngines';
import { headlessDialogs } from './dialogs';
import { startHeadlessServer, type HeadlessServer } from './headlessServer';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true']);
const skip = probe.status === 0 ? undefined : `user+net namespaces are not available here (${probe.stderr?.toString().trim() || probe.error?.message})`;
if (skip) console.log(`[sandboxFlow] skipped: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), 'wp-flow-'));
const designText = readFileSync(join(repoResourcesDir(), 'examples', 'two-namespaces-nat.wireplan.json'), 'utf8');
let service: BackendService;
let server: HeadlessServer;
let ws: WebSocket;
const received: WireResponse[] = [];
let nextId = 1;

function call(method: string, ...params: unknown[]): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = decodeWire(String(data)) as WireResponse;
      if (m.type !== 'result' || m.id !== id) return;
      ws.off('message', onMessage);
      if (m.ok) resolve(m.value);
      else reject(new Error(m.error.message));
    };
    ws.on('message', onMessage);
    ws.send(encodeWire({ type: 'call', id, method, params }));
  });
}

const events = <T>(event: string) => received.filter((m): m is Extract<WireResponse, { type: 'event' }> => m.type === 'event' && m.event === event).map((m) => m.payload as T);

/** The latest state of every element of a host, folded from the live updates. */
function liveElements(hostId: string): Map<string, ElementStatus> {
  const state = new Map<string, ElementStatus>();
  for (const u of events<LiveStatusUpdate>('onLiveStatus').filter((x) => x.hostId === hostId)) {
    if (u.replace) state.clear();
    for (const e of u.elements) state.set(e.elementId, e);
  }
  return state;
}

beforeAll(async () => {
  if (skip) return;
  service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')), engines: defaultEngines });
  server = await startHeadlessServer({ service, staticDir: join(dir, 'none') });
  ws = new WebSocket(`ws://127.0.0.1:${server.address.port}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${server.token}`], { headers: { Origin: server.origin } });
  ws.on('message', (d) => received.push(decodeWire(String(d)) as WireResponse));
  await new Promise((r) => ws.once('open', r));
  for (const event of ['onRunProgress', 'onLiveStatus', 'onHostStatus']) ws.send(encodeWire({ type: 'subscribe', event }));
});

afterAll(async () => {
  ws?.close();
  await server?.close();
  await service?.close(); // closes the sandbox: everything inside it is gone
  rmSync(dir, { recursive: true, force: true });
});

async function runToEnd(kind: 'apply' | 'destroy', request: object, hosts: number): Promise<RunProgressEvent[]> {
  const start = (await call(kind, request)) as { ok: boolean; runId?: string; error?: string };
  expect(start, start.error).toMatchObject({ ok: true });
  const mine = () => events<RunProgressEvent>('onRunProgress').filter((e) => e.runId === start.runId);
  await expect.poll(() => mine().filter((e) => e.phase === 'done' || e.phase === 'failed').length, { timeout: 60_000 }).toBe(hosts);
  return mine();
}

describe.skipIf(skip)('apply, watch and destroy on the sandbox host through the WebSocket bridge', () => {
  const loaded = parseDesign(designText);
  const compiled = loaded.ok ? compile(loaded.design) : undefined;
  const plan = compiled?.ok ? compiled.plan : undefined;
  const planHashes = Object.fromEntries((plan?.hosts ?? []).map((h) => [h.host.id, h.hash]));
  const hostId = plan?.hosts[0]?.host.id ?? '';

  it('refuses a stale preview without touching anything', async () => {
    const stale = (await call('apply', { designText, planHashes: { [hostId]: 'f'.repeat(64) } })) as { ok: boolean; error: string };
    expect(stale.ok).toBe(false);
    expect(stale.error).toMatch(/changed since it was previewed/);
  });

  it('applies: every step reported, the host ends done', async () => {
    const evs = await runToEnd('apply', { designText, planHashes }, 1);
    expect(evs.filter((e) => e.phase === 'failed')).toEqual([]);
    const started = evs.filter((e) => e.status === 'started').map((e) => e.stepIndex);
    expect(started).toEqual(plan!.hosts[0]!.steps.map((_, i) => i + 1));
    expect(evs.at(-1)).toMatchObject({ kind: 'apply', hostId, phase: 'done' });
  }, 90_000);

  it('live state: every element of the design turns present', async () => {
    const watch = (await call('watchLive', designText)) as { ok: boolean; hostIds: string[] };
    expect(watch).toEqual({ ok: true, hostIds: [hostId] });
    await expect
      .poll(
        () => {
          const els = [...liveElements(hostId).values()];
          return els.length > 0 && els.every((e) => e.presence === 'present');
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const [status] = (await call('hostStatus', [hostId])) as { connection: string }[];
    expect(status?.connection).toBe('connected');
  }, 60_000);

  it('destroys: the host ends done and the elements go missing', async () => {
    const evs = await runToEnd('destroy', { designText }, 1);
    expect(evs.at(-1)).toMatchObject({ kind: 'destroy', hostId, phase: 'done' });
    await expect.poll(() => [...liveElements(hostId).values()].some((e) => e.presence === 'missing'), { timeout: 30_000 }).toBe(true);
    expect(await call('watchLive', null)).toEqual({ ok: true, hostIds: [] });
  }, 90_000);
});
