// Live status against a real lab host over SSH: apply an example with its exported
// script, then change the host by hand. Each change shows up as the right status, carried
// by the monitor's events (no full poll runs during the test), and undoing it by hand
// clears it. The deadlines only end a hang; how fast is `npm run bench live`'s business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshExecutor } from '../../electron/backend/executor';
import { LiveMonitor } from '../../electron/backend/live/live-monitor';
import type { Design } from '../../shared/model/schema';
import { loadExample } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { LiveRecorder, allPresent, runExported } from '../support/live';

const skip = sshLabSkip('live-drift');
const scope = new LabScope();
let lab: LabHost;
let ex: SshExecutor;
let mon: LiveMonitor;
const rec = new LiveRecorder();
let design: Design;
let ids: string[];
/** Ends a wait that would otherwise hang; never a speed requirement. */
const DEADLINE = 20_000;
const latencies: Record<string, number> = {};

async function sh(cmd: string): Promise<void> {
  const r = await lab.exec(cmd);
  if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab();
  ex = scope.executor(lab);
  design = loadExample('two-namespaces-nat.wireplan.json');
  await runExported(ex, design, 'lab');
  // No full poll while the test runs: what shows a change is the event it caused.
  mon = new LiveMonitor({ executorFor: async () => ex, collector: { fullPollMs: 3_600_000 } });
  mon.onLiveStatus(rec.live);
  mon.onHostStatus(rec.host);
  await mon.watch(design);
  ids = mon.elements('lab').map((e) => e.elementId);
  await rec.waitFor('everything present after apply', (r) => allPresent(r, ids), DEADLINE);
});

afterAll(async () => {
  await mon?.close();
  console.log(`[live-drift] change -> status event (ms): ${JSON.stringify(latencies)}`);
  await scope.cleanup();
});

/** Change, wait for the status, undo, wait for everything present again. */
async function scenario(name: string, change: string, expectWhat: string, cond: (r: LiveRecorder) => boolean, undo: string): Promise<void> {
  await sh(change);
  latencies[name] = Math.round(await rec.waitFor(expectWhat, cond, DEADLINE));
  await sh(undo);
  latencies[`${name} (fixed)`] = Math.round(await rec.waitFor(`${name}: everything present again`, (r) => allPresent(r, ids), DEADLINE));
}

describe.skipIf(skip)('live status of an applied example (two-namespaces-nat)', () => {
  it('reports every element present with link state and the host connected', async () => {
    // The monitor channel comes up after the first full poll: wait for it, not for a time.
    await rec.waitFor('monitor channel healthy', (r) => r.hosts.get('lab')?.updates === 'events', DEADLINE);
    expect(ids).toEqual(expect.arrayContaining(['lab', 'app1', 'app2', 'br0', 'link-app1', 'link-app1.a', 'link-app1.b', 'nat-out', 'web']));
    expect(rec.el('link-app1.a')?.operState).toBe('up');
    const host = rec.hosts.get('lab')!;
    expect(host.connection).toBe('connected');
    expect(host.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.updates).toBe('events');
    expect(host.foreign ?? []).toEqual([]);
    expect(rec.el('web')?.rules?.map((r) => r.chain).sort()).toEqual(['guard', 'output', 'postrouting', 'postrouting', 'prerouting']);
  });

  it('a link set down shows as drifted (admin state, operState down)', async () => {
    await scenario(
      'link down',
      'ip -n app1 link set eth0 down',
      'link-app1.a drifted and down',
      (r) => r.el('link-app1.a')?.presence === 'drifted' && r.el('link-app1.a')?.operState === 'down' && (r.el('link-app1.a')?.drift ?? []).some((d) => d.includes('admin state is down')),
      'ip -n app1 link set eth0 up && ip -n app1 route replace default via 10.0.0.1',
    );
  });

  it('a changed address shows as drifted with expected vs actual', async () => {
    await scenario(
      'address changed',
      'ip -n app2 addr del 10.0.0.3/24 dev eth0 && ip -n app2 addr add 10.0.0.33/24 dev eth0',
      'link-app2.a drifted: 10.0.0.3/24 missing, 10.0.0.33/24 unexpected',
      (r) => {
        const d = r.el('link-app2.a')?.drift ?? [];
        return r.el('link-app2.a')?.presence === 'drifted' && d.some((x) => x.includes('10.0.0.3/24')) && d.some((x) => x.includes('unexpected address 10.0.0.33/24'));
      },
      'ip -n app2 addr del 10.0.0.33/24 dev eth0 && ip -n app2 addr add 10.0.0.3/24 dev eth0 && ip -n app2 route replace default via 10.0.0.1',
    );
  });

  it('a deleted veth shows both ends missing; recreating it by hand clears it', async () => {
    await scenario(
      'veth deleted',
      'ip link del v-app1',
      'link-app1 and both ends missing',
      (r) => ['link-app1', 'link-app1.a', 'link-app1.b'].every((id) => r.el(id)?.presence === 'missing'),
      [
        'ip link add v-app1 type veth peer name eth0 netns app1',
        'ip link set dev v-app1 alias wireplan:twons:link-app1.b',
        'ip -n app1 link set dev eth0 alias wireplan:twons:link-app1.a',
        'ip -n app1 addr add 10.0.0.2/24 dev eth0',
        'ip link set dev v-app1 master br0 up',
        'ip -n app1 link set dev eth0 up',
        'ip -n app1 route replace default via 10.0.0.1',
      ].join(' && '),
    );
  });

  it('a name taken by an untagged object shows as foreign', async () => {
    await scenario(
      'name taken',
      'ip link del v-app2 && ip link add v-app2 type bridge',
      'link-app2.b foreign (the name is a bridge without our tag)',
      (r) => r.el('link-app2.b')?.presence === 'foreign',
      [
        'ip link del v-app2',
        'ip link add v-app2 type veth peer name eth0 netns app2',
        'ip link set dev v-app2 alias wireplan:twons:link-app2.b',
        'ip -n app2 link set dev eth0 alias wireplan:twons:link-app2.a',
        'ip -n app2 addr add 10.0.0.3/24 dev eth0',
        'ip link set dev v-app2 master br0 up',
        'ip -n app2 link set dev eth0 up',
        'ip -n app2 route replace default via 10.0.0.1',
      ].join(' && '),
    );
  });

  it('a foreign rule in our nft table shows as drift of the firewall elements', async () => {
    await scenario(
      'foreign nft rule',
      'nft add rule inet wp_twons postrouting ip saddr 10.9.9.0/24 masquerade comment \'"not ours"\'',
      'nat-out drifted with the foreign rule',
      (r) => r.el('nat-out')?.presence === 'drifted' && (r.el('nat-out')?.drift ?? []).some((d) => d.includes('foreign rule') && d.includes('10.9.9.0/24')),
      'nft delete rule inet wp_twons postrouting handle "$(nft -a list chain inet wp_twons postrouting | sed -n \'s/.*10\\.9\\.9\\.0.*# handle \\([0-9]*\\)$/\\1/p\')"',
    );
  });

  it('a foreign nft table is listed on the host; deleting it clears the list', async () => {
    await sh('nft add table inet evil && nft add chain inet evil c1 "{ type filter hook forward priority -10; policy accept; }"');
    latencies['foreign table'] = Math.round(
      await rec.waitFor('host lists the foreign table', (r) => (r.hosts.get('lab')?.foreign ?? []).some((f) => f.includes('"evil"')), DEADLINE),
    );
    await sh('nft delete table inet evil');
    latencies['foreign table (fixed)'] = Math.round(await rec.waitFor('foreign list cleared', (r) => (r.hosts.get('lab')?.foreign ?? []).length === 0, DEADLINE));
  });

  it('a removed firewall rule shows as missing from the element', async () => {
    await scenario(
      'rule removed',
      'nft delete rule inet wp_twons postrouting handle "$(nft -a list chain inet wp_twons postrouting | sed -n \'s/.*masquerade comment "wireplan:twons:nat-out" # handle \\([0-9]*\\)$/\\1/p\')"',
      'nat-out drifted: rule missing',
      (r) => r.el('nat-out')?.presence === 'drifted' && (r.el('nat-out')?.drift ?? []).some((d) => d.includes('missing')),
      'nft add rule inet wp_twons postrouting ip saddr 10.0.0.0/24 ip daddr != 10.0.0.0/24 oifname "eth0" masquerade comment \'"wireplan:twons:nat-out"\'',
    );
  });

  it('traffic shows as rates on the links it crosses', async () => {
    // A burst of pings from app1 to app2 crosses both veths and the bridge.
    const burst = lab.exec('ip netns exec app1 bash -c "for i in \\$(seq 400); do printf x > /dev/udp/10.0.0.3/9 ; done" 2>/dev/null; true');
    await rec.waitFor('rx/tx rates on link-app1.a', (r) => (r.el('link-app1.a')?.txRate ?? 0) > 0, DEADLINE);
    await burst;
  });
});
