// CaptureSession against a scripted host (the real thing runs in tests/kernel and
// tests/ssh/capture.test.ts): what it sends the host, the rows and the file it makes from
// the stream, the kernel's drop count tcpdump prints at exit, and a host that ends the
// stream by itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PacketRow } from '../../../shared/pcap/decode';
import type { HostExecutor, RunOptions, RunResult } from '../executor/types';
import { CaptureSession } from './session';

const dir = mkdtempSync(join(tmpdir(), 'wp-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const HEADER = hex('d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000');
const FRAME = hex('02000000000b 02000000000a 0800 4500001c00014000400100000a0900010a090002 0800000000070001');
const RECORD = Buffer.concat([hex('00f15365 20a10700'), Buffer.from(Uint32Array.of(FRAME.length, FRAME.length).buffer), FRAME]);

/** A host whose capture streams `chunks`, then waits for the stop command (or ends by itself). */
function scriptedHost(chunks: Buffer[], exitStderr: string, endsByItself = false) {
  const commands: string[] = [];
  let finish: ((r: RunResult) => void) | undefined;
  const executor: HostExecutor = {
    describe: () => 'scripted host',
    close: async () => undefined,
    run(command: string, opts: RunOptions = {}): Promise<RunResult> {
      commands.push(command);
      if (/ stop [0-9a-f]{16}$/.test(command)) {
        opts.onStderr?.(exitStderr);
        finish?.({ code: 0, stdout: '', stderr: '' });
        return Promise.resolve({ code: 0, stdout: '', stderr: '' });
      }
      return new Promise((resolve) => {
        finish = (r) => {
          opts.onStderr?.(exitStderr);
          resolve(r);
        };
        opts.onStderr?.('tcpdump: listening on wan0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n');
        // Chunks cut anywhere, even inside a record header.
        queueMicrotask(() => {
          for (const c of chunks) opts.onStdoutBytes?.(c);
          if (endsByItself) finish!({ code: 1, stdout: '', stderr: '' });
        });
      });
    },
  };
  return { executor, commands };
}

const target = { hostId: 'lab', netns: 'a', ifname: 'wan0', label: 'wan end a' };

describe('CaptureSession', () => {
  it('starts capture.sh with the target and filter as separate words, decodes the stream across chunk cuts, saves it, reports kernel drops', async () => {
    const stream = Buffer.concat([HEADER, RECORD, RECORD]);
    const host = scriptedHost([stream.subarray(0, 30), stream.subarray(30, 50), stream.subarray(50)], '2 packets captured\n2 packets received by filter\n7 packets dropped by kernel\n');
    const rows: PacketRow[] = [];
    const out = join(dir, 'a.pcap');
    const session = await CaptureSession.start(host.executor, { target, filter: "icmp and host 10.9.0.2", outPath: out, onPackets: (r) => rows.push(...r) });
    expect(host.commands[0]).toMatch(/ wireplan-capture start [0-9a-f]{16} a wan0 'icmp and host 10\.9\.0\.2'$/);
    const summary = await session.stop();
    expect(host.commands[1]).toMatch(new RegExp(` wireplan-capture stop ${session.id}$`));
    expect(summary).toEqual({ path: out, packets: 2, bytes: stream.length, droppedByKernel: 7 });
    expect(rows.map((r) => [r.no, r.src, r.dst, r.summary])).toEqual([
      [1, '10.9.0.1', '10.9.0.2', 'Echo request id=7 seq=1'],
      [2, '10.9.0.1', '10.9.0.2', 'Echo request id=7 seq=1'],
    ]);
    expect(readFileSync(out).equals(stream)).toBe(true);
  });

  it("a stream that ends by itself ends the session with tcpdump's words; the file keeps what came", async () => {
    const stream = Buffer.concat([HEADER, RECORD]);
    const host = scriptedHost([stream], 'tcpdump: wan0: That device is not up\n', true);
    const out = join(dir, 'b.pcap');
    const session = await CaptureSession.start(host.executor, { target, filter: '', outPath: out });
    const summary = await session.ended;
    expect(summary).toMatchObject({ packets: 1, error: 'scripted host: capture failed: tcpdump: wan0: That device is not up (exit 1)' });
    expect(readFileSync(out).equals(stream)).toBe(true);
  });
});
