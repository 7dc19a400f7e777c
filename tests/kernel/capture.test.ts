// Packet capture on the real kernel (issue 14): tcpdump runs in a throwaway sandbox host
// on one end of a veth pair while the test sends traffic across it. The saved file is
// read back by tcpdump itself, the live rows come from Wireplan's own pcap reader, and
// every test checks that no tcpdump is left in the sandbox afterwards.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSession } from '../../electron/backend/capture/session';
import { captureRunner } from '../../electron/backend/capture/runner';
import { CaptureManager } from '../../electron/backend/service/captures';
import { FileAccess } from '../../electron/backend/service/fileAccess';
import type { CaptureEvent } from '../../shared/api/capture';
import { DesignSchema } from '../../shared/model/schema';
import { eventually } from '../support/lab-apply';
import { SandboxExecutor } from '../../electron/backend/executor';
import { shellCommand } from '../../shared/export/quote';
import { decodeRecord, type PacketRow } from '../../shared/pcap/decode';
import { readPcap } from '../../shared/pcap/reader';
import type { CaptureTarget } from '../../shared/pcap/target';
import { runProc } from '../support/lab-proc';

const unshareWorks = (await runProc(['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'])).code === 0;
const tcpdump = (await runProc(['bash', '-c', 'command -v tcpdump'])).code === 0;
const root = process.getuid?.() === 0;
const skip = !unshareWorks ? 'unshare --user --map-root-user is not permitted here' : !tcpdump ? 'tcpdump is not installed (Debian package: tcpdump; scripts/setup.sh installs it)' : !root ? 'capture in the sandbox needs root (tcpdump cannot drop privileges in an unprivileged user namespace)' : '';
if (skip) console.log(`[capture] skipped: ${skip}`);

let sb: SandboxExecutor;
let dir: string;
const A: CaptureTarget = { hostId: 'h', netns: 'a', ifname: 'va', label: 'veth end a (va in a)' };

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'wp-capture-'));
  sb = await SandboxExecutor.start({ name: 'capture' });
  const r = await sb.run(
    [
      'set -e',
      'ip netns add a',
      'ip netns add b',
      'ip -n a link add va type veth peer name vb netns b',
      'ip -n a addr add 10.9.0.1/30 dev va',
      'ip -n b addr add 10.9.0.2/30 dev vb',
      'ip -n a link set va up',
      'ip -n b link set vb up',
      'ip -n a link set lo up',
      'ip -n b link set lo up',
    ].join('\n'),
  );
  expect(r.code, r.stderr).toBe(0);
});

afterAll(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Collects live rows; `until` resolves when the rows seen so far satisfy a condition. */
function liveRows() {
  const rows: PacketRow[] = [];
  const waiters: { test: (r: PacketRow[]) => boolean; resolve: () => void }[] = [];
  return {
    rows,
    onPackets(batch: PacketRow[]) {
      rows.push(...batch);
      for (const w of waiters.splice(0)) if (w.test(rows)) w.resolve();
      else waiters.push(w);
    },
    /** Resolves once the rows satisfy `test`; after `deadlineMs` fails listing what was seen. */
    until(test: (r: PacketRow[]) => boolean, deadlineMs = 40_000): Promise<void> {
      if (test(rows)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the expected packets did not arrive; seen: ${rows.map((r) => `${r.protocol} ${r.summary}`).join(' | ') || 'nothing'}`)), deadlineMs);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

const echo = (kind: 'request' | 'reply') => (r: PacketRow) => r.protocol === 'ICMP' && r.summary.startsWith(`Echo ${kind}`);

/** tcpdump's own reading of a saved file, one line per packet. */
async function tcpdumpRead(path: string): Promise<string[]> {
  const r = await runProc(['tcpdump', '-nn', '-r', path]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

async function tcpdumpsInSandbox(): Promise<string> {
  const r = await sb.run('pgrep -a -x tcpdump || true');
  return r.stdout.trim();
}

describe.skipIf(skip !== '')('packet capture in a sandbox host', () => {
  it('captures a ping across a veth: the saved pcap holds the echo requests and replies, the live rows show them, stop leaves no tcpdump', async () => {
    const live = liveRows();
    const out = join(dir, 'ping.pcap');
    const session = await CaptureSession.start(sb, { target: A, filter: '', outPath: out, onPackets: live.onPackets });
    // Started means listening: every packet from here on is captured.
    const ping = await sb.run(shellCommand(['ip', 'netns', 'exec', 'a', 'ping', '-c', '3', '-i', '0.2', '-W', '5', '10.9.0.2']));
    expect(ping.code, ping.stderr).toBe(0);
    await live.until((rows) => rows.filter(echo('reply')).length >= 3);
    const summary = await session.stop();
    expect(summary.error).toBeUndefined();
    expect(summary.path).toBe(out);

    const requests = live.rows.filter(echo('request'));
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ src: '10.9.0.1', dst: '10.9.0.2', protocol: 'ICMP', length: 98 });
    expect(live.rows.filter(echo('reply'))[0]).toMatchObject({ src: '10.9.0.2', dst: '10.9.0.1' });

    const lines = await tcpdumpRead(out);
    expect(lines.filter((l) => /10\.9\.0\.1 > 10\.9\.0\.2: ICMP echo request/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /10\.9\.0\.2 > 10\.9\.0\.1: ICMP echo reply/.test(l))).toHaveLength(3);
    // The live list and the file agree packet for packet.
    expect(summary.packets).toBe(lines.length);
    expect(await tcpdumpsInSandbox()).toBe('');
    expect((await sb.run('ls /run/wireplan/capture 2>/dev/null || true')).stdout.trim()).toBe('');
  });

  it('a filter `icmp` keeps a parallel TCP transfer out (an unfiltered capture beside it sees the transfer)', async () => {
    const filtered = liveRows();
    const everything = liveRows();
    const icmpOnly = await CaptureSession.start(sb, { target: A, filter: 'icmp', outPath: join(dir, 'icmp.pcap'), onPackets: filtered.onPackets });
    const all = await CaptureSession.start(sb, { target: A, filter: '', outPath: join(dir, 'all.pcap'), onPackets: everything.onPackets });
    // A 200 kB TCP transfer from a to b (the listener's readiness is its socket in ss), then a
    // ping: after the burst, so a kernel ring that overflowed on a busy machine cannot lose it.
    const t = await sb.run(
      [
        'set -e',
        'ip netns exec b nc -l 10.9.0.2 5001 > /dev/null & l=$!',
        'for _ in $(seq 200); do ip netns exec b ss -Hltn "sport = :5001" | grep -q . && break; sleep 0.05; done',
        'head -c 200000 /dev/zero | ip netns exec a nc -N 10.9.0.2 5001',
        'wait "$l"',
      ].join('\n'),
    );
    expect(t.code, t.stderr).toBe(0);
    const p = await sb.run(shellCommand(['ip', 'netns', 'exec', 'a', 'ping', '-c', '3', '-i', '0.2', '-W', '5', '10.9.0.2']));
    expect(p.code, p.stderr).toBe(0);
    await everything.until((rows) => rows.filter((r) => r.protocol === 'TCP').length > 10 && rows.filter(echo('reply')).length >= 3);
    await filtered.until((rows) => rows.filter(echo('reply')).length >= 3);
    const [f, e] = await Promise.all([icmpOnly.stop(), all.stop()]);
    expect(f.error).toBeUndefined();
    expect(e.error).toBeUndefined();

    expect(everything.rows.filter((r) => r.protocol === 'TCP').length).toBeGreaterThan(10);
    expect(filtered.rows.map((r) => r.protocol)).toEqual(filtered.rows.map(() => 'ICMP'));
    expect(filtered.rows.filter(echo('request'))).toHaveLength(3);
    const lines = await tcpdumpRead(f.path);
    expect(lines.filter((l) => l.includes('Flags ['))).toEqual([]);
    expect(lines.filter((l) => l.includes('ICMP echo request'))).toHaveLength(3);
    expect(await tcpdumpsInSandbox()).toBe('');
  });

  it("a filter tcpdump cannot compile fails the start with tcpdump's own words, and leaves no file and no tcpdump", async () => {
    const out = join(dir, 'bad.pcap');
    await expect(CaptureSession.start(sb, { target: A, filter: 'icmp and (', outPath: out })).rejects.toThrow(/syntax error/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
    expect(await tcpdumpsInSandbox()).toBe('');
  });

  it('an interface or namespace that is not there is named in the error', async () => {
    await expect(CaptureSession.start(sb, { target: { ...A, ifname: 'nothere0' }, filter: '', outPath: join(dir, 'x.pcap') })).rejects.toThrow(/no interface "nothere0" in namespace a/);
    await expect(CaptureSession.start(sb, { target: { ...A, netns: 'zz' }, filter: '', outPath: join(dir, 'y.pcap') })).rejects.toThrow(/no network namespace "zz"/);
  });

  it('through the app\'s capture manager: rows and the end as events, a file in the workspace, Open in Wireshark runs wireshark on it', async () => {
    const workspace = mkdtempSync(join(dir, 'ws-'));
    // A stand-in wireshark on PATH that records how it was started.
    const bin = mkdtempSync(join(dir, 'bin-'));
    const called = join(bin, 'called');
    writeFileSync(join(bin, 'wireshark'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${called}'\n`, { mode: 0o755 });
    const path = process.env['PATH'];
    process.env['PATH'] = `${bin}:${path ?? ''}`;
    try {
      const events: CaptureEvent[] = [];
      let ended!: () => void;
      const end = new Promise<void>((r) => (ended = r));
      const manager = new CaptureManager({
        executor: async () => sb,
        emit: (e) => {
          events.push(e);
          if (e.kind === 'end') ended();
        },
        access: new FileAccess({ roots: [workspace] }),
        defaultDir: () => workspace,
      });
      const designText = JSON.stringify(
        DesignSchema.parse({
          wireplan: 2,
          tag: 'cap',
          name: 'capture',
          hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }],
          namespaces: [
            { id: 'a', name: 'a', host: 'h' },
            { id: 'b', name: 'b', host: 'h' },
          ],
          veths: [{ id: 'wan', name: 'wan', a: { at: 'a', ifname: 'va' }, b: { at: 'b', ifname: 'vb' } }],
        }),
      );
      const started = await manager.start({ designText, element: 'wan.a', filter: 'icmp', path: 'ping.pcap' });
      expect(started).toMatchObject({ ok: true, title: 'veth wan end a (va in a on h)', path: join(workspace, 'ping.pcap'), wireshark: true });
      if (!started.ok) return;
      const ping = await sb.run(shellCommand(['ip', 'netns', 'exec', 'a', 'ping', '-c', '2', '-i', '0.2', '-W', '5', '10.9.0.2']));
      expect(ping.code, ping.stderr).toBe(0);
      await eventually('both replies arrive as events', async () => events.flatMap((e) => (e.kind === 'packets' ? e.rows : [])).filter(echo('reply')).length === 2, 30_000);
      expect(await manager.openInWireshark(started.captureId)).toEqual({ ok: false, error: 'stop the capture first: its file is complete when it ends' });
      await manager.stop(started.captureId);
      await end;
      expect(events.at(-1)).toMatchObject({ kind: 'end', captureId: started.captureId, path: join(workspace, 'ping.pcap'), packets: 4 });
      expect((await tcpdumpRead(join(workspace, 'ping.pcap'))).filter((l) => l.includes('ICMP echo'))).toHaveLength(4);
      expect(await manager.openInWireshark(started.captureId)).toEqual({ ok: true });
      // It runs detached: its record appears when it has run.
      await eventually('wireshark was started', async () => existsSync(called) && readFileSync(called, 'utf8').trim() !== '', 10_000);
      expect(readFileSync(called, 'utf8').split('\n').filter(Boolean)).toEqual(['-r', join(workspace, 'ping.pcap')]);
      expect(await tcpdumpsInSandbox()).toBe('');
    } finally {
      process.env['PATH'] = path;
    }
  });

  it("the pcap reader decodes tcpdump's own nanosecond file, and the same file in big-endian byte order", async () => {
    const run = captureRunner(sb);
    // tcpdump writes the file itself (-w to a path, nanosecond stamps), stopping after 4 packets.
    const file = join(dir, 'nano.pcap');
    const cap = run(shellCommand(['ip', 'netns', 'exec', 'a', 'tcpdump', '-c', '4', '--time-stamp-precision=nano', '-U', '-w', file, '-i', 'va', 'icmp']), {
      onStderr: (t) => {
        if (t.includes('listening on')) void sb.run(shellCommand(['ip', 'netns', 'exec', 'a', 'ping', '-c', '2', '-i', '0.2', '10.9.0.2']));
      },
    });
    expect((await cap).code).toBe(0);
    const bytes = new Uint8Array(readFileSync(file));
    const { header, records } = readPcap(bytes);
    expect(header).toMatchObject({ littleEndian: true, ticksPerSecond: 1e9, linkType: 1, versionMajor: 2, versionMinor: 4 });
    const rows = records.map((r, i) => decodeRecord(i + 1, r, header.linkType));
    expect(rows.map((r) => r.summary.replace(/ id=\d+/, ''))).toEqual(['Echo request seq=1', 'Echo reply seq=1', 'Echo request seq=2', 'Echo reply seq=2']);
    // tcpdump's own timestamps, to the nanosecond digits it prints.
    const stamps = (await runProc(['tcpdump', '-tt', '-nn', '--time-stamp-precision=nano', '-r', file])).stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]!);
    expect(rows.map((r) => r.time.toFixed(6))).toEqual(stamps.map((s) => Number(s).toFixed(6)));

    // The same capture as a big-endian host writes it: every header field byte-swapped.
    const big = swapHeaders(bytes);
    const be = readPcap(big);
    expect(be.header.littleEndian).toBe(false);
    expect(be.records.map((r, i) => decodeRecord(i + 1, r, be.header.linkType))).toEqual(rows);
    // And tcpdump agrees that the swapped file is the same capture.
    const swapped = join(dir, 'big.pcap');
    writeFileSync(swapped, big);
    expect((await tcpdumpRead(swapped)).map((l) => l.slice(16))).toEqual((await tcpdumpRead(file)).map((l) => l.slice(16)));
  });

  it('a capture on the Linux cooked link type (-i any) decodes the same packets', async () => {
    const run = captureRunner(sb);
    const file = join(dir, 'any.pcap');
    const cap = run(shellCommand(['ip', 'netns', 'exec', 'b', 'tcpdump', '-c', '2', '-U', '-w', file, '-i', 'any', 'icmp']), {
      onStderr: (t) => {
        if (t.includes('listening on')) void sb.run(shellCommand(['ip', 'netns', 'exec', 'a', 'ping', '-c', '1', '10.9.0.2']));
      },
    });
    expect((await cap).code).toBe(0);
    const { header, records } = readPcap(new Uint8Array(readFileSync(file)));
    expect([113, 276]).toContain(header.linkType);
    const rows = records.map((r, i) => decodeRecord(i + 1, r, header.linkType));
    expect(rows.map((r) => [r.src, r.dst, r.protocol, r.summary.replace(/ id=\d+/, '')])).toEqual([
      ['10.9.0.1', '10.9.0.2', 'ICMP', 'Echo request seq=1'],
      ['10.9.0.2', '10.9.0.1', 'ICMP', 'Echo reply seq=1'],
    ]);
  });
});

/** A pcap file with the global and record headers rewritten in the other byte order. */
function swapHeaders(le: Uint8Array): Uint8Array {
  const out = le.slice();
  const src = new DataView(le.buffer, le.byteOffset, le.byteLength);
  const dst = new DataView(out.buffer);
  const u32 = (at: number) => dst.setUint32(at, src.getUint32(at, true), false);
  const u16 = (at: number) => dst.setUint16(at, src.getUint16(at, true), false);
  u32(0);
  u16(4);
  u16(6);
  for (const at of [8, 12, 16, 20]) u32(at);
  for (let at = 24; at < le.length; ) {
    const incl = src.getUint32(at + 8, true);
    for (const f of [0, 4, 8, 12]) u32(at + f);
    at += 16 + incl;
  }
  return out;
}

