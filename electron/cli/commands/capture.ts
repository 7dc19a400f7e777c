// wireplan capture FILE ELEMENT: tcpdump on the host's interface for a design element
// (veth end, bridge, macvlan, VLAN, VXLAN or HOST:NIC), saved as a .pcap here and printed
// live, one packet per line, until Ctrl-C, --count packets or --for seconds.
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkBpfFilter } from '../../../shared/pcap/bpf';
import type { PacketRow } from '../../../shared/pcap/decode';
import { packetLine } from '../../../shared/pcap/format';
import { resolveCaptureTarget } from '../../../shared/pcap/target';
import { CaptureSession } from '../../backend/capture/session';
import { executorForHost } from '../../backend/live/cli-login';
import { parseArgs, UsageError } from '../args';
import { CREDENTIAL_HELP } from '../credentials';
import { EXIT, type CliIo } from '../io';
import { cliLogin, LOGIN_OPTIONS } from '../login-args';
import { loadOrReport } from './load';

export const captureHelp = `usage: wireplan capture FILE ELEMENT [-w OUT.pcap] [--filter EXPR] [--count N]
                        [--for SECONDS] [--force] [-i KEY] [--known-hosts FILE] [--trust-new-host-key]

Runs tcpdump on the host (over SSH; inside the element's network namespace, as root)
on the interface the design gives ELEMENT, saves the packets as a pcap file here and
prints them as they arrive: number, time since the first packet, source -> destination,
protocol, length and a summary. Ctrl-C stops it; tcpdump is stopped on the host.

ELEMENT is an element id or name: a bridge, macvlan, VLAN or VXLAN interface, a veth
end as ID.a or ID.b (a veth alone means end a), or a host NIC as HOST:NIC.

  -w, --write OUT.pcap  where to save (default: ELEMENT-YYYYMMDD-HHMMSS.pcap here)
  --force               replace OUT.pcap if it exists
  --filter EXPR         a tcpdump (pcap-filter) expression, e.g. "icmp" or "tcp port 80"
  -c, --count N         stop after N packets
  --for SECONDS         stop after this long
  -i, --identity KEY    private key for SSH hosts
  --known-hosts FILE    known_hosts to check host keys against (default Wireplan's own)
  --trust-new-host-key  trust a host key seen for the first time (and record it)
${CREDENTIAL_HELP}

The host needs tcpdump (Debian/Ubuntu package: tcpdump).

exit status: 0 captured until stopped, 1 the capture failed on the host, 2 usage,
unreadable design or unknown element`;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function positiveNumber(text: string | undefined, what: string, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new UsageError(`${what} needs a positive ${integer ? 'whole number' : 'number'}, got ${JSON.stringify(text)}`);
  return n;
}

export async function captureCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'write', short: 'w', value: true },
    { name: 'force' },
    { name: 'filter', value: true },
    { name: 'count', short: 'c', value: true },
    { name: 'for', value: true },
    ...LOGIN_OPTIONS,
  ]);
  if (args.positional.length !== 2) {
    io.err(captureHelp);
    return EXIT.usage;
  }
  const [file, element] = args.positional as [string, string];
  const count = positiveNumber(args.values.get('count')?.[0], '--count', true);
  const forSeconds = positiveNumber(args.values.get('for')?.[0], '--for', false);
  const filter = checkBpfFilter(args.values.get('filter')?.[0] ?? '');
  if (!filter.ok) throw new UsageError(filter.error);
  const design = await loadOrReport(file, io);
  if (!design) return EXIT.usage;
  const resolved = resolveCaptureTarget(design, element);
  if (!resolved.ok) {
    io.err(resolved.error);
    return EXIT.usage;
  }
  const { target } = resolved;
  const host = design.hosts.find((h) => h.id === target.hostId)!;
  if (host.target.kind === 'sandbox') {
    io.err(`host ${host.name} is a sandbox: it lives inside the app that applied it; capture there from the app (wireplan serve)`);
    return EXIT.usage;
  }
  const outPath = resolve(args.values.get('write')?.[0] ?? `${element.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${stamp(new Date())}.pcap`);
  if (!args.flags.has('force') && (await exists(outPath))) throw new UsageError(`${outPath} exists; give another -w or --force to replace it`);
  if (!(await exists(dirname(outPath)))) throw new UsageError(`${outPath}: the folder ${dirname(outPath)} does not exist`);

  const executor = await executorForHost(host, cliLogin(args, io));
  let first: number | undefined;
  let seen = 0;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((r) => (stopRequested = r));
  const onPackets = (rows: PacketRow[]) => {
    for (const row of rows) {
      if (count !== undefined && seen >= count) return;
      first ??= row.time;
      seen++;
      io.out(packetLine(row, first));
      if (count !== undefined && seen >= count) stopRequested();
    }
  };
  try {
    const session = await CaptureSession.start(executor, { target, filter: filter.filter, outPath, onPackets }).catch((e: Error) => {
      io.err(e.message);
      return undefined;
    });
    if (!session) return EXIT.findings;
    io.err(`capturing on ${target.label}${filter.filter ? ` with filter ${JSON.stringify(filter.filter)}` : ''}; saving to ${outPath} (Ctrl-C stops)`);
    const stop = () => stopRequested();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const timer = forSeconds !== undefined ? setTimeout(stop, forSeconds * 1000) : undefined;
    const offClosed = io.onOutputClosed?.(stop);
    const ended = await Promise.race([stopped.then(() => session.stop()), session.ended]);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    clearTimeout(timer);
    offClosed?.();
    if (ended.error) {
      io.err(ended.error);
      return EXIT.findings;
    }
    io.err(`${ended.packets} packets (${ended.bytes} bytes) saved to ${ended.path}`);
    if (ended.droppedByKernel) io.err(`warning: the host's kernel dropped ${ended.droppedByKernel} packets tcpdump could not keep up with (use --filter to capture less)`);
    return EXIT.ok;
  } finally {
    await executor.close().catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export const captureSubcommand = { summary: 'capture packets on an element of an applied design (tcpdump on the host, saved as .pcap)', help: captureHelp, run: captureCommand };
