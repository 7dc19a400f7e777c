// Assertion helpers that look at or use the network inside a sandbox. All traffic they
// make stays inside it: a sandbox has no interface that leads out of its namespaces.
import type { ChildProcess } from 'node:child_process';
import type { NsRef, Sandbox } from './sandbox';

export interface IpLinkInfo {
  info_kind?: string;
  info_data?: Record<string, unknown>;
  info_slave_kind?: string;
  info_slave_data?: Record<string, unknown>;
}

/** One entry of `ip -j -d link show`. */
export interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate?: string;
  address?: string;
  master?: string;
  /** The peer/lower device's name when it is in the same namespace. */
  link?: string;
  ifalias?: string;
  altnames?: string[];
  linkinfo?: IpLinkInfo;
  [key: string]: unknown;
}

export interface IpAddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope?: string;
  label?: string;
  [key: string]: unknown;
}

/** One entry of `ip -j addr show`. */
export interface IpAddrEntry {
  ifindex: number;
  ifname: string;
  flags: string[];
  addr_info: IpAddrInfo[];
  [key: string]: unknown;
}

/** One entry of `ip -j route show table all`, with the family it was listed under. */
export interface IpRoute {
  family: 'inet' | 'inet6';
  dst: string;
  type?: string;
  dev?: string;
  gateway?: string;
  table?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
  flags?: string[];
  [key: string]: unknown;
}

function parseJsonArray<T>(what: string, text: string): T[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    return JSON.parse(trimmed) as T[];
  } catch (e) {
    throw new Error(`${what}: unparseable JSON (${(e as Error).message}):\n${text.slice(0, 500)}`);
  }
}

export async function links(sb: Sandbox, ns: NsRef): Promise<IpLink[]> {
  return parseJsonArray<IpLink>('ip -j -d link show', await sb.execOk(['ip', '-j', '-d', 'link', 'show'], { ns }));
}

export async function addresses(sb: Sandbox, ns: NsRef): Promise<IpAddrEntry[]> {
  return parseJsonArray<IpAddrEntry>('ip -j addr show', await sb.execOk(['ip', '-j', 'addr', 'show'], { ns }));
}

/** Routes of every table; IPv4 and IPv6 unless `family` narrows it. */
export async function routes(sb: Sandbox, ns: NsRef, opts: { family?: 4 | 6 } = {}): Promise<IpRoute[]> {
  const out: IpRoute[] = [];
  for (const fam of [4, 6] as const) {
    if (opts.family !== undefined && opts.family !== fam) continue;
    const text = await sb.execOk(['ip', '-j', `-${fam}`, 'route', 'show', 'table', 'all'], { ns });
    const family = fam === 4 ? 'inet' : 'inet6';
    for (const r of parseJsonArray<IpRoute>(`ip -${fam} route`, text)) out.push({ ...r, family });
  }
  return out;
}

/** `nft -j list ruleset` as parsed objects (the metainfo entry dropped). */
export async function nftRuleset(sb: Sandbox, ns: NsRef): Promise<Record<string, unknown>[]> {
  const text = await sb.execOk(['nft', '-j', 'list', 'ruleset'], { ns });
  if (text.trim() === '') return [];
  const parsed = JSON.parse(text) as { nftables?: Record<string, unknown>[] };
  return (parsed.nftables ?? []).filter((o) => !('metainfo' in o));
}

export interface PingOptions {
  /** Echo requests to send; success needs at least one reply. Default 1. */
  count?: number;
  /** Seconds to wait for each reply. Default 1. */
  timeoutS?: number;
}

/** True when `address` answers ping from namespace `fromNs` of the sandbox. */
export async function ping(sb: Sandbox, fromNs: NsRef, address: string, opts: PingOptions = {}): Promise<boolean> {
  const count = opts.count ?? 1;
  const timeoutS = opts.timeoutS ?? 1;
  const argv = ['ping', '-n', '-q', '-c', String(count), '-W', String(timeoutS)];
  if (count > 1) argv.push('-i', '0.2');
  argv.push(address);
  const r = await sb.exec(argv, { ns: fromNs, timeoutMs: (count * timeoutS + 2) * 1000 });
  return r.code === 0;
}

/**
 * True when a TCP connection to address:port from `fromNs` is accepted. Uses bash's
 * /dev/tcp under coreutils timeout: no netcat needed.
 */
export async function tcpConnect(sb: Sandbox, fromNs: NsRef, address: string, port: number, opts: { timeoutS?: number } = {}): Promise<boolean> {
  const r = await sb.exec(['bash', '-c', 'exec 3<>"/dev/tcp/$1/$2"', 'tcp-connect', address, String(port)], {
    ns: fromNs,
    timeoutMs: (opts.timeoutS ?? 2) * 1000,
  });
  return r.code === 0;
}

/**
 * Connects, sends `send` (if any), and returns everything the server wrote before it
 * closed; null when the connection failed. With a listen() server the reply is its
 * banner, which names the listener and the client address it saw (NAT shows here).
 */
export async function tcpExchange(
  sb: Sandbox,
  fromNs: NsRef,
  address: string,
  port: number,
  opts: { send?: string; timeoutS?: number } = {},
): Promise<string | null> {
  const script = 'exec 3<>"/dev/tcp/$1/$2" || exit 97; printf %s "$3" >&3; cat <&3';
  const r = await sb.exec(['bash', '-c', script, 'tcp-exchange', address, String(port), opts.send ?? ''], {
    ns: fromNs,
    timeoutMs: (opts.timeoutS ?? 3) * 1000,
  });
  return r.code === 0 ? r.stdout : null;
}

export interface ListenerConnection {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

export interface Listener {
  /** The namespace it listens in ('' = sandbox root). */
  ns: string;
  /** The bound port (the kernel's choice when 0 was asked for). */
  port: number;
  /** Every accepted connection so far, in order. */
  readonly connections: readonly ListenerConnection[];
  /** The next accepted connection (or one already accepted and not yet taken). */
  nextConnection(timeoutMs?: number): Promise<ListenerConnection>;
  /** Stops the server and waits for its process to exit. */
  close(): Promise<void>;
}

// A tiny TCP server run by this very node binary inside the namespace: it reports each
// connection on stdout as JSON, answers with a one-line banner
// "wireplan-listener <tag> <client-address> <client-port>" and closes; it stops when
// its stdin closes. IPv4-mapped IPv6 client addresses are shown as plain IPv4.
const LISTENER_JS = `
const net = require('node:net');
const [host, port, tag] = process.argv.slice(1);
const plain = (a) => (a && a.startsWith('::ffff:') ? a.slice(7) : a);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const server = net.createServer((s) => {
  const c = { remoteAddress: plain(s.remoteAddress), remotePort: s.remotePort, localAddress: plain(s.localAddress), localPort: s.localPort };
  say({ event: 'accept', ...c });
  s.on('error', () => {});
  s.end('wireplan-listener ' + tag + ' ' + c.remoteAddress + ' ' + c.remotePort + '\\n');
});
server.on('error', (e) => { say({ event: 'error', message: String(e && e.message) }); process.exit(1); });
server.listen({ host, port: Number(port) }, () => say({ event: 'listening', port: server.address().port }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

class ListenerImpl implements Listener {
  readonly connections: ListenerConnection[] = [];
  port = 0;
  private taken = 0;
  private readonly waiters: ((c: ListenerConnection) => void)[] = [];

  constructor(
    readonly ns: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  accepted(c: ListenerConnection): void {
    this.connections.push(c);
    const w = this.waiters.shift();
    if (w) {
      this.taken++;
      w(c);
    }
  }

  nextConnection(timeoutMs = 5000): Promise<ListenerConnection> {
    if (this.taken < this.connections.length) return Promise.resolve(this.connections[this.taken++]!);
    return new Promise((resolve, reject) => {
      const waiter = (c: ListenerConnection): void => {
        clearTimeout(timer);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no connection to ${this.ns || 'root'}:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.exited;
  }
}

/**
 * Starts a TCP listener in namespace `ns` of the sandbox (node's own binary: no extra
 * package). Resolves once the socket is bound and listening.
 */
export function listen(sb: Sandbox, ns: NsRef, opts: { port?: number; host?: string; tag?: string } = {}): Promise<Listener> {
  const host = opts.host ?? '::';
  const tag = opts.tag ?? (ns || 'root');
  const child = sb.spawn([process.execPath, '-e', LISTENER_JS, host, String(opts.port ?? 0), tag], { ns });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const listener = new ListenerImpl(ns ?? '', child, exited);
  return new Promise((resolve, reject) => {
    let stderr = '';
    let buffered = '';
    let ready = false;
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
    });
    child.once('close', (code: number | null) => {
      if (!ready) reject(new Error(`listener in ${ns || 'root'} exited (${code}) before listening:\n${stderr}${buffered}`));
    });
    child.stdout?.on('data', (b: Buffer) => {
      buffered += b.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const ev = JSON.parse(line) as { event: string; port?: number } & ListenerConnection;
        if (ev.event === 'listening') {
          ready = true;
          listener.port = ev.port!;
          resolve(listener);
        } else if (ev.event === 'accept') {
          listener.accepted({ remoteAddress: ev.remoteAddress, remotePort: ev.remotePort, localAddress: ev.localAddress, localPort: ev.localPort });
        }
      }
    });
  });
}
