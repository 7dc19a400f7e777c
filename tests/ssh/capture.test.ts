// Packet capture over SSH to a real OpenSSH lab host (issue 14): `wireplan capture` on a
// veth end with the filter `icmp` while a ping and a TCP transfer cross the link (the
// saved pcap, read back by tcpdump, holds the echo requests and replies and no TCP); a
// capture through sudo (a non-root login) stopped by the app leaves no tcpdump on the
// host; and a host without tcpdump is told which package to install.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSession } from '../../electron/backend/capture/session';
import { UsageError } from '../../electron/cli/args';
import { captureCommand } from '../../electron/cli/commands/capture';
import type { CliIo } from '../../electron/cli/io';
import { compile } from '../../shared/compile/compile';
import { hostScript } from '../../shared/export/script';
import type { PacketRow } from '../../shared/pcap/decode';
import { DesignSchema, type DesignInput } from '../../shared/model/schema';
import { eventually, shapeLab } from '../support/lab-apply';
import { runProc } from '../support/lab-proc';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { ExecHost } from '../support/exec-host';

const skip = sshLabSkip('capture') ?? ((await runProc(['bash', '-c', 'command -v tcpdump'])).code !== 0 ? 'tcpdump is not installed (Debian package: tcpdump)' : undefined);
if (skip) console.log(`[capture over ssh] skipped: ${skip}`);

function design(lab: LabHost, user = 'root'): DesignInput {
  return {
    wireplan: 2,
    tag: 'capssh',
    name: 'capture over ssh',
    hosts: [{ id: 'lab', name: 'lab', target: { kind: 'ssh', address: lab.address, port: lab.port, user, keyPath: lab.clientKeyPath } }],
    namespaces: [
      { id: 'a', name: 'a', host: 'lab' },
      { id: 'b', name: 'b', host: 'lab' },
    ],
    veths: [{ id: 'wan', name: 'wan', a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'] }, b: { at: 'b', ifname: 'wan0', addresses: ['10.9.0.2/30'] } }],
  };
}

let scope: LabScope | undefined;
let local: string;
beforeAll(() => {
  local = mkdtempSync(join(tmpdir(), 'wp-capture-ssh-'));
});
afterAll(() => rmSync(local, { recursive: true, force: true }));
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

/** A lab host with the design's namespaces and link up (built by the exported script). */
async function labWithLink(user?: { name: string; sudo: 'nopasswd' | 'password'; password?: string }): Promise<{ lab: LabHost; host: ExecHost; file: string }> {
  scope = new LabScope();
  const lab = await scope.lab(user ? { user } : {});
  const { host } = await shapeLab(lab, []);
  const d = design(lab, user?.name);
  const r = compile(DesignSchema.parse(d));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const up = await host.run(hostScript(r.plan, r.plan.hosts[0]!), ['up']);
  expect(up.code, up.stderr).toBe(0);
  const file = join(scope.dir, 'cap.wireplan.json');
  writeFileSync(file, JSON.stringify(d));
  return { lab, host, file };
}

/** The traffic of the tests: a 200 kB TCP transfer from a to b, then three pings. */
async function traffic(host: ExecHost): Promise<void> {
  await host.runOk(
    [
      'set -e',
      'ip netns exec b nc -l 10.9.0.2 5001 > /dev/null & l=$!',
      'for _ in $(seq 200); do ip netns exec b ss -Hltn "sport = :5001" | grep -q . && break; sleep 0.05; done',
      'head -c 200000 /dev/zero | ip netns exec a nc -N 10.9.0.2 5001',
      'wait "$l"',
      'ip netns exec a ping -c 3 -i 0.2 -W 5 10.9.0.2 > /dev/null',
    ].join('\n'),
  );
}

async function tcpdumpRead(path: string): Promise<string[]> {
  const r = await runProc(['tcpdump', '-nn', '-r', path]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

async function noTcpdumpOn(host: ExecHost): Promise<void> {
  const r = await host.exec(['pgrep', '-a', '-x', 'tcpdump']);
  expect(r.stdout.trim()).toBe('');
  expect((await host.run('ls /run/wireplan/capture 2>/dev/null || true')).stdout.trim()).toBe('');
}

describe.skipIf(skip)('packet capture over SSH', () => {
  it('wireplan capture with --filter icmp: ping across the link is saved and printed, a TCP transfer beside it is not; no tcpdump is left', async () => {
    const { lab, host, file } = await labWithLink();
    const out = join(local, 'icmp.pcap');
    let started!: () => void;
    const listening = new Promise<void>((r) => (started = r));
    let printed = '';
    let errors = '';
    const io: CliIo = {
      out: (t) => void (printed += `${t}\n`),
      err: (t) => {
        errors += `${t}\n`;
        if (t.startsWith('capturing on')) started();
      },
    };
    const argv = [file, 'wan.a', '--filter', 'icmp', '--count', '6', '-w', out, '-i', lab.clientKeyPath, '--known-hosts', scope!.knownHostsFor(lab)];
    const run = captureCommand(argv, io);
    await Promise.race([listening, run]);
    expect(errors).toContain('capturing on veth wan end a (wan0 in a on lab) with filter "icmp"');
    await traffic(host);
    expect(await run, errors).toBe(0);

    const lines = printed.split('\n').filter(Boolean);
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => /10\.9\.0\.1 → 10\.9\.0\.2 {2}ICMP {2}98 {2}Echo request/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /10\.9\.0\.2 → 10\.9\.0\.1 {2}ICMP {2}98 {2}Echo reply/.test(l))).toHaveLength(3);
    expect(errors).toMatch(/6 packets \(\d+ bytes\) saved to /);
    const saved = await tcpdumpRead(out);
    expect(saved.filter((l) => l.includes('ICMP echo request'))).toHaveLength(3);
    expect(saved.filter((l) => l.includes('ICMP echo reply'))).toHaveLength(3);
    expect(saved.filter((l) => l.includes('Flags ['))).toEqual([]);
    await noTcpdumpOn(host);
  });

  it.each([
    ['without a password', { name: 'wpcap', sudo: 'nopasswd' as const }, true as const],
    ['with the session\'s sudo password', { name: 'wpcap', sudo: 'password' as const, password: 'capture-pw-7731' }, { password: 'capture-pw-7731' }],
  ])('through sudo %s (a non-root login): the app stops the capture and no tcpdump is left on the host', async (_how, user, sudo) => {
    const { lab, host } = await labWithLink(user);
    const ex = scope!.executor(lab, { username: 'wpcap', sudo });
    const rows: PacketRow[] = [];
    let seen!: () => void;
    const allSeen = new Promise<void>((r) => (seen = r));
    const out = join(local, 'sudo.pcap');
    const session = await CaptureSession.start(ex, {
      target: { hostId: 'lab', netns: 'b', ifname: 'wan0', label: 'wan end b' },
      filter: '',
      outPath: out,
      onPackets: (batch) => {
        rows.push(...batch);
        if (rows.filter((r) => r.summary.startsWith('Echo reply')).length >= 3) seen();
      },
    });
    // tcpdump runs as root under sudo, started by the login user's session.
    expect((await host.exec(['pgrep', '-x', 'tcpdump'])).code).toBe(0);
    await traffic(host);
    await allSeen;
    const summary = await session.stop();
    expect(summary.error).toBeUndefined();
    expect(rows.some((r) => r.protocol === 'TCP' && r.dst === '10.9.0.2')).toBe(true);
    expect(rows.filter((r) => r.summary.startsWith('Echo request'))).toHaveLength(3);
    const saved = await tcpdumpRead(out);
    expect(saved).toHaveLength(summary.packets);
    expect(saved.filter((l) => l.includes('ICMP echo reply'))).toHaveLength(3);
    await noTcpdumpOn(host);
  });

  it('a connection that drops mid-capture takes tcpdump with it (on a quiet link too)', async () => {
    const { lab, host } = await labWithLink();
    const ex = scope!.executor(lab);
    const session = await CaptureSession.start(ex, { target: { hostId: 'lab', netns: 'a', ifname: 'wan0', label: 'wan end a' }, filter: 'udp port 9', outPath: join(local, 'dropped.pcap') });
    expect((await host.exec(['pgrep', '-x', 'tcpdump'])).code).toBe(0);
    // The app goes away without stopping the capture: its connection ends, nothing else.
    await ex.close();
    const summary = await session.ended;
    expect(summary.error).toMatch(/closed|lost|connection/i);
    // sshd's session process is gone; the capture's watchdog (polling each second) ends tcpdump.
    await eventually('tcpdump ends on the host', async () => (await host.exec(['pgrep', '-x', 'tcpdump'])).code === 1, 15_000);
    await noTcpdumpOn(host);
  });

  it('a host without tcpdump: the capture fails naming the package to install; a bad element or filter is a usage error before any login', async () => {
    const { lab, host, file } = await labWithLink();
    // Hide tcpdump inside the lab only (its own mount namespace): not executable there.
    await host.runOk('mount --bind /dev/null "$(command -v tcpdump)"');
    let errors = '';
    const io: CliIo = { out: () => undefined, err: (t) => void (errors += `${t}\n`) };
    const login = ['-i', lab.clientKeyPath, '--known-hosts', scope!.knownHostsFor(lab)];
    const out = join(local, 'none.pcap');
    expect(await captureCommand([file, 'wan.b', '-w', out, ...login], io)).toBe(1);
    expect(errors).toContain('missing tcpdump: install it on the host (Debian/Ubuntu package: tcpdump)');
    await expect(runProc(['test', '-e', out])).resolves.toMatchObject({ code: 1 });

    const usage = async (argv: string[]) => {
      try {
        return await captureCommand(argv, io);
      } catch (e) {
        if (e instanceof UsageError) return `usage: ${e.message}`;
        throw e;
      }
    };
    errors = '';
    expect(await usage([file, 'nothere', ...login])).toBe(2);
    expect(errors).toContain('no element "nothere" to capture on in the design');
    expect(await usage([file, 'a', ...login])).toBe(2);
    expect(errors).toContain('a is a namespace: capture on a link end, bridge, macvlan, VLAN, VXLAN or a host NIC (HOST:NIC)');
    expect(await usage([file, 'wan.a', '--filter', 'icmp; reboot', ...login])).toBe('usage: capture filter contains ";", which is not part of tcpdump\'s filter language (pcap-filter)');
    expect(await usage([file, 'wan.a', '--count', '0', ...login])).toBe('usage: --count needs a positive whole number, got "0"');
  });
});
