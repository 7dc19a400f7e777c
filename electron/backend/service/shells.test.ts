// Shells through the backend's front door (issue 14): the WebSocket bridge of `wireplan
// serve`, a design whose host is the local sandbox. Open a shell on the host (root
// namespace), make a namespace there by typing, open a second shell inside that namespace
// and see its addresses; resize; close. The app log never holds what was typed. Bad
// arguments are refused with a reason before anything runs. A page that goes away (its
// WebSocket closes) takes its shells with it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire, type ShellEvent, type ShellStart, type WireResponse } from '../../../shared/api/contract';
import { defaultEngines } from './defaultEngines';
import { headlessDialogs } from './dialogs';
import { startHeadlessServer, type HeadlessServer } from './headlessServer';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true']);
const skip = probe.status === 0 ? undefined : `user+net namespaces are not available here (${probe.stderr?.toString().trim() || probe.error?.message})`;
if (skip) console.log(`[shells] skipped: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), 'wp-shells-'));
// Host "lab" (a sandbox) with namespaces app1 and app2.
const designText = readFileSync(join(repoResourcesDir(), 'examples', 'two-namespaces-nat.wireplan.json'), 'utf8');
const SECRET = 'typed-sentinel-4c1e77';
const logs: string[] = [];
let service: BackendService;
let server: HeadlessServer;
let ws: WebSocket;
const shellEvents: ShellEvent[] = [];
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

const screen = (shellId: string) =>
  shellEvents
    .filter((e) => e.shellId === shellId && e.kind === 'data')
    .map((e) => (e.kind === 'data' ? e.data : ''))
    .join('');
const endOf = (shellId: string) => shellEvents.find((e) => e.shellId === shellId && e.kind === 'end');

async function open(elementId: string, cols = 100, rows = 30): Promise<string> {
  const r = (await call('openShell', { designText, elementId, cols, rows })) as ShellStart;
  if (!r.ok) throw new Error(r.error);
  return r.shellId;
}

beforeAll(async () => {
  if (skip) return;
  service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')), engines: defaultEngines, log: (l) => logs.push(l) });
  server = await startHeadlessServer({ service, staticDir: join(dir, 'none'), log: (l) => logs.push(l) });
  ws = new WebSocket(`ws://127.0.0.1:${server.address.port}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${server.token}`], { headers: { Origin: server.origin } });
  ws.on('message', (d) => {
    const m = decodeWire(String(d)) as WireResponse;
    if (m.type === 'event' && m.event === 'onShellEvent') shellEvents.push(m.payload as ShellEvent);
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(encodeWire({ type: 'subscribe', event: 'onShellEvent' }));
});

afterAll(async () => {
  ws?.close();
  await server?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('shells through the WebSocket bridge', () => {
  it('a host shell and a namespace shell: typed commands run where they should; resize; close', async () => {
    const root = await open('lab');
    await call('shellInput', root, `ip netns add app1 && ip -n app1 link set lo up && echo "made-$((6*7))" # ${SECRET}\n`);
    await expect.poll(() => screen(root), { timeout: 30_000 }).toContain('made-42');

    const ns = await open('app1', 90, 25);
    await call('shellInput', ns, 'ip -br addr; echo "in=$(ip netns identify) size=$(stty size)"\n');
    await expect.poll(() => screen(ns), { timeout: 30_000 }).toMatch(/127\.0\.0\.1\/8[\s\S]*in=app1 size=25 90/);
    await call('resizeShell', ns, 120, 40);
    await call('shellInput', ns, 'echo "now=$(stty size)"\n');
    await expect.poll(() => screen(ns), { timeout: 30_000 }).toContain('now=40 120');

    await call('shellInput', ns, 'exit 4\n');
    await expect.poll(() => endOf(ns), { timeout: 30_000 }).toMatchObject({ kind: 'end', reason: 'exit', code: 4, message: 'the shell on app1 on lab exited with code 4' });
    await call('closeShell', root);
    await expect.poll(() => endOf(root), { timeout: 30_000 }).toMatchObject({ kind: 'end', reason: 'closed', message: 'the shell on lab (root namespace) was closed' });
    // Input to an ended shell is ignored, not an error.
    await call('shellInput', root, 'true\n');

    expect(logs.some((l) => /shell sh-[0-9a-f]+ opened on app1 on lab/.test(l))).toBe(true);
    expect(logs.join('\n')).not.toContain(SECRET);
  }, 120_000);

  it('a page that goes away takes its shells with it', async () => {
    // A second page (another WebSocket client) opens a shell, then its connection closes.
    const other = new WebSocket(`ws://127.0.0.1:${server.address.port}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${server.token}`], { headers: { Origin: server.origin } });
    await new Promise((r) => other.once('open', r));
    const opened = await new Promise<ShellStart>((resolve) => {
      other.on('message', (d) => {
        const m = decodeWire(String(d)) as WireResponse;
        if (m.type === 'result' && m.id === 1 && m.ok) resolve(m.value as ShellStart);
      });
      other.send(encodeWire({ type: 'call', id: 1, method: 'openShell', params: [{ designText, elementId: 'lab', cols: 80, rows: 24 }] }));
    });
    if (!opened.ok) throw new Error(opened.error);
    other.close();
    await expect.poll(() => endOf(opened.shellId), { timeout: 30_000 }).toMatchObject({ kind: 'end', reason: 'closed' });
  }, 60_000);

  it('says why it cannot open a shell on something that is not a namespace or host', async () => {
    const r = (await call('openShell', { designText, elementId: 'br0', cols: 80, rows: 24 })) as ShellStart;
    expect(r).toEqual({ ok: false, error: 'a shell opens on a namespace or a host; the design has none with id "br0"' });
  });

  it('refuses malformed arguments with the reason', async () => {
    await expect(call('openShell', { designText, elementId: 'lab', cols: 0, rows: 24 })).rejects.toThrow(/openShell: argument 0.cols: expected 2 to 1000 terminal columns/);
    await expect(call('openShell', { designText, elementId: 'Lab;x', cols: 80, rows: 24 })).rejects.toThrow(/expected a namespace or host id/);
    await expect(call('shellInput', 'nope', 'x')).rejects.toThrow(/expected a shell id/);
    await expect(call('resizeShell', `sh-${'0'.repeat(24)}`, 80, 9999)).rejects.toThrow(/terminal rows/);
  });
});
