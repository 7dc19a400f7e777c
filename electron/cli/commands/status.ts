// wireplan status FILE [--watch]: what each host really has, element by element, against
// the design: present / missing / drifted (expected vs actual) / foreign, link state and
// traffic rates. Host data is printed shell-quoted (shared/observe/display.ts).
import { describeProgram } from '../../../shared/observe/program-state';
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import type { Design } from '../../../shared/model/schema';
import { ELEMENT_COLLECTIONS } from '../../../shared/model/schema';
import { shellQuoteMessage } from '../../../shared/observe/display';
import { executorForHost } from '../../backend/live/cli-login';
import { LiveMonitor } from '../../backend/live/live-monitor';
import type { HostExecutor } from '../../backend/executor';
import { parseArgs, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { loadOrReport } from './load';
import { formatDiagnostic } from './validate';
import { CREDENTIAL_HELP } from '../credentials';
import { cliLogin, LOGIN_OPTIONS } from '../login-args';

export const statusHelp = `usage: wireplan status FILE [--host NAME]... [--watch [--for SECONDS]] [--json]
                       [-i KEY] [--known-hosts FILE] [--trust-new-host-key]

Observes every host of the design (over SSH, or the local sandbox for hosts of kind
"sandbox") and prints each element's status: present, missing, drifted (with what
differs: addresses, MTU, master, up/down, rules...), foreign (the name is taken by
something that is not Wireplan's) or unknown (the host could not be read), the link
state and rx/tx rates, firewall rule counters, and objects on the host that are not
Wireplan's but sit where the design lives.

  --host NAME          only this host (id or name); may be repeated
  --watch              keep watching and print each change as it happens (Ctrl-C ends)
  --for SECONDS        with --watch: stop after this long
  --json               print the statuses as JSON (one object per host)
  -i, --identity KEY   private key for SSH hosts (default: the host's keyPath, the
                       ssh-agent, or ~/.ssh/id_*)
  --known-hosts FILE   known_hosts to check host keys against (default Wireplan's own)
  --trust-new-host-key trust a host key seen for the first time (and record it)
${CREDENTIAL_HELP}

exit status: 0 every element present, 1 the design has errors, 2 usage or unreadable
file, 3 some element is not present (or a host could not be observed)`;

const EXIT_NOT_PRESENT = 3;

const KIND: Record<(typeof ELEMENT_COLLECTIONS)[number], string> = {
  hosts: 'host',
  namespaces: 'namespace',
  bridges: 'bridge',
  veths: 'veth',
  macvlans: 'macvlan',
  vlans: 'vlan',
  vxlans: 'vxlan',
  masquerades: 'masquerade',
  portForwards: 'port forward',
  policies: 'policy',
};

function kindOf(design: Design, id: string): string {
  const base = id.replace(/\.(a|b)$/, '');
  for (const c of ELEMENT_COLLECTIONS) if (design[c].some((e) => e.id === base)) return base === id ? KIND[c] : 'veth end';
  return '?';
}

export function formatRate(bps: number | undefined): string {
  if (bps === undefined) return '';
  if (bps < 1000) return `${Math.round(bps)} B/s`;
  if (bps < 1e6) return `${(bps / 1e3).toFixed(1)} kB/s`;
  if (bps < 1e9) return `${(bps / 1e6).toFixed(1)} MB/s`;
  return `${(bps / 1e9).toFixed(2)} GB/s`;
}

function hostLine(h: HostStatus, name: string): string {
  const parts = [`host ${name} (${h.hostId}): ${h.connection}`];
  if (h.connection === 'rebooted') parts.push(`(boot id was ${h.previousBootId ?? '?'})`);
  if (h.bootId) parts.push(`boot id ${h.bootId}`);
  if (h.observedAt) parts.push(`observed ${h.observedAt}`);
  if (h.updates) parts.push(`changes by ${h.updates === 'events' ? 'monitor events' : 'polling'}`);
  const lines = [parts.join(', ')];
  if (h.error) lines.push(`  error: ${shellQuoteMessage(h.error)}`);
  for (const f of h.foreign ?? []) lines.push(`  not Wireplan's: ${shellQuoteMessage(f)}`);
  for (const ns of h.polledOnly ?? []) lines.push(`  changes in netns ${shellQuoteMessage(JSON.stringify(ns))} show only at the poll cadence`);
  for (const w of h.warnings ?? []) lines.push(`  warning: ${shellQuoteMessage(w)}`);
  return lines.join('\n');
}

function elementLines(design: Design, e: ElementStatus, width: number): string[] {
  const cols = [e.elementId.padEnd(width), kindOf(design, e.elementId).padEnd(12), e.presence.padEnd(8), (e.operState ?? '').padEnd(5)];
  if (e.rxRate !== undefined || e.txRate !== undefined) cols.push(`rx ${formatRate(e.rxRate)}  tx ${formatRate(e.txRate)}`);
  const lines = [`  ${cols.join(' ').trimEnd()}`];
  for (const d of e.drift ?? []) lines.push(`      ${shellQuoteMessage(d)}`);
  for (const p of e.programs ?? []) lines.push(`      program ${shellQuoteMessage(describeProgram(p))}`);
  for (const r of e.rules ?? []) {
    const counts = r.packets !== undefined ? `${r.packets} packets, ${r.bytes ?? 0} bytes${r.packetRate !== undefined ? ` (${r.packetRate}/s)` : ''}` : 'no counter';
    lines.push(`      rule in ${shellQuoteMessage(JSON.stringify(r.chain))}: ${shellQuoteMessage(JSON.stringify(r.rule))}: ${counts}`);
  }
  return lines;
}

function table(design: Design, hostName: string, h: HostStatus, elements: ElementStatus[]): string {
  const width = Math.max(8, ...elements.map((e) => e.elementId.length));
  const counts = new Map<string, number>();
  for (const e of elements) counts.set(e.presence, (counts.get(e.presence) ?? 0) + 1);
  return [
    hostLine(h, hostName),
    ...elements.flatMap((e) => elementLines(design, e, width)),
    `  ${elements.length} elements: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`,
  ].join('\n');
}

function waitFor(check: () => boolean, subscribe: (wake: () => void) => () => void, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let un: () => void = () => {};
    const timer = setTimeout(() => {
      un();
      resolve(check());
    }, ms);
    const wake = () => {
      if (check()) {
        clearTimeout(timer);
        un();
        resolve(true);
      }
    };
    un = subscribe(wake);
    wake();
  });
}

export async function statusCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'host', value: true, repeat: true },
    { name: 'watch' },
    { name: 'for', value: true },
    { name: 'json' },
    ...LOGIN_OPTIONS,
  ]);
  if (args.positional.length !== 1) {
    io.err(statusHelp);
    return EXIT.usage;
  }
  const forText = args.values.get('for')?.[0];
  const forSeconds = forText === undefined ? undefined : Number(forText);
  if (forSeconds !== undefined && !(forSeconds > 0)) throw new UsageError('--for needs a positive number of seconds');
  const design = await loadOrReport(args.positional[0], io);
  if (!design) return EXIT.usage;
  const compiled = compile(design);
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) io.err(formatDiagnostic(d));
    io.err('the design has errors; fix them first (wireplan validate FILE)');
    return EXIT.findings;
  }
  const wanted = args.values.get('host');
  const hosts = design.hosts.filter((h) => !wanted?.length || wanted.includes(h.id) || wanted.includes(h.name));
  if (wanted?.length && hosts.length !== wanted.length) {
    io.err(`no such host in this design (hosts: ${design.hosts.map((h) => h.name).join(', ') || 'none'})`);
    return EXIT.usage;
  }
  const login = cliLogin(args, io);
  const executors: HostExecutor[] = [];
  const monitor = new LiveMonitor({
    executorFor: async (h) => {
      const ex = await executorForHost(h, login);
      executors.push(ex);
      return ex;
    },
    collector: { fullPollMs: 15_000, ratesPollMs: 1000 },
  });
  const hostStatus = new Map<string, HostStatus>();
  const elements = new Map<string, Map<string, ElementStatus>>();
  const wakers = new Set<() => void>();
  const subscribe = (wake: () => void) => {
    wakers.add(wake);
    return () => wakers.delete(wake);
  };
  let watching = false;
  const nameOf = (id: string) => design.hosts.find((h) => h.id === id)?.name ?? id;
  monitor.onHostStatus((s) => {
    const old = hostStatus.get(s.hostId);
    hostStatus.set(s.hostId, s);
    if (watching && !args.flags.has('json') && (old?.connection !== s.connection || (old?.foreign ?? []).join('\n') !== (s.foreign ?? []).join('\n'))) {
      io.out(`${new Date().toISOString()} ${hostLine(s, nameOf(s.hostId))}`);
    }
    for (const w of [...wakers]) w();
  });
  monitor.onLiveStatus((u: LiveStatusUpdate) => {
    const map = u.replace ? new Map<string, ElementStatus>() : (elements.get(u.hostId) ?? new Map<string, ElementStatus>());
    for (const e of u.elements) map.set(e.elementId, e);
    elements.set(u.hostId, map);
    if (watching) {
      if (args.flags.has('json')) io.out(JSON.stringify(u));
      else {
        const width = Math.max(8, ...u.elements.map((e) => e.elementId.length));
        io.out([`${u.at ?? new Date().toISOString()} ${nameOf(u.hostId)}:`, ...u.elements.flatMap((e) => elementLines(design, e, width))].join('\n'));
      }
    }
    for (const w of [...wakers]) w();
  });
  const settled = () =>
    hosts.every((h) => {
      const s = hostStatus.get(h.id);
      if (!s) return false;
      if (s.connection === 'error') return true;
      return (s.connection === 'connected' || s.connection === 'rebooted') && elements.has(h.id);
    });
  try {
    await monitor.watch(design, hosts.map((h) => h.id));
    await waitFor(settled, subscribe, 60_000);
    // Rates need two counter readings: wait for the next batch that carries them (at most ~2.5 s).
    await waitFor(
      () => hosts.every((h) => hostStatus.get(h.id)?.connection === 'error' || [...(elements.get(h.id)?.values() ?? [])].some((e) => e.rxRate !== undefined)),
      subscribe,
      2500,
    );
    const report = () => hosts.map((h) => ({ host: h, status: hostStatus.get(h.id) ?? { hostId: h.id, connection: 'disconnected' as const }, elements: monitor.elements(h.id) }));
    const now = report();
    if (args.flags.has('json')) io.out(JSON.stringify(now.map((r) => ({ host: r.status, elements: r.elements })), null, 2));
    else io.out(now.map((r) => table(design, r.host.name, r.status, r.elements)).join('\n\n'));
    if (args.flags.has('watch')) {
      watching = true;
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          offClosed?.();
          clearTimeout(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // Nobody reads the changes any more (`status --watch | head`): stop watching.
        const offClosed = io.onOutputClosed?.(stop); // calls back later, never from inside this call
        if (forSeconds !== undefined) timer = setTimeout(stop, forSeconds * 1000);
      });
      watching = false;
    }
    const final = report();
    const allPresent = final.every((r) => (r.status.connection === 'connected' || r.status.connection === 'rebooted') && r.elements.every((e) => e.presence === 'present'));
    return allPresent ? EXIT.ok : EXIT_NOT_PRESENT;
  } finally {
    await monitor.close();
    await Promise.all(executors.map((e) => e.close().catch(() => undefined)));
  }
}

export const statusSubcommand = { summary: 'show what each host really has against the design (present, missing, drifted, rates)', help: statusHelp, run: statusCommand };
