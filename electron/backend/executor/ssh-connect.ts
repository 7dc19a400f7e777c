// One SSH connection attempt: TCP, handshake with host key verification, authentication.
// The host key is decided inside ssh2's hostVerifier, i.e. during key exchange: an
// unknown or changed key ends the connection before any credential is offered.
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { AuthFailed, Cancelled, ConnectionLost, HostKeyChanged, HostKeyUnknown, HostUnreachable, Timeout, type ExecutorError, type HostKeyInfo } from './errors';
import { hostKeyInfo } from './host-key';
import { addKnownHost, checkHostKey, knownKeyTypes, loadKnownHosts } from './known-hosts';
import { describeAuth, type AuthConfig, type SshAuth } from './ssh-auth';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
}

/** Consent for a key no known_hosts file has: a fingerprint the user approved, or a question to ask. */
export type TrustNewHostKey = boolean | string | ((key: HostKeyInfo) => boolean | Promise<boolean>);

export interface HostKeyPolicy {
  /** Wireplan's own known_hosts: read, and where newly trusted keys are written. */
  knownHostsPath: string;
  /** Also consulted, never written (default ~/.ssh/known_hosts; null to ignore). */
  userKnownHostsPath: string | null;
  /** More files read and never written: ssh_config's UserKnownHostsFile and GlobalKnownHostsFile (/etc/ssh/ssh_known_hosts). */
  extraKnownHostsPaths?: readonly string[];
  trustNewHostKey?: TrustNewHostKey;
}

export interface ConnectTuning {
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Disable Nagle (default). ssh2 never does, which costs up to ~40 ms per exec. */
  noDelay: boolean;
}

/** A live, authenticated connection and what is known about its end. */
export class SshConnection {
  closed = false;
  /** Why it closed, when it did not close on our request. */
  lostReason?: ExecutorError;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    readonly client: Client,
    readonly localPort: number,
    private readonly label: string,
  ) {}

  /** Called once when the connection is gone (dropped, ended, or closed by us). */
  onClose(f: () => void): () => void {
    if (this.closed) {
      queueMicrotask(f);
      return () => {};
    }
    this.closeListeners.add(f);
    return () => this.closeListeners.delete(f);
  }

  markClosed(reason?: ExecutorError): void {
    if (reason && !this.lostReason) this.lostReason = reason;
    if (this.closed) return;
    this.closed = true;
    for (const f of this.closeListeners) f();
    this.closeListeners.clear();
  }

  lostError(): ExecutorError {
    return this.lostReason ?? new ConnectionLost(this.label, 'connection closed');
  }

  /** Ends the session politely and resolves when the socket is gone. */
  end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.onClose(resolve);
      this.lostReason ??= new ConnectionLost(this.label, 'connection closed by Wireplan');
      this.client.end();
    });
  }
}

// ssh2's defaults (ed25519 first), reordered so a key type we already trust comes first.
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = { 'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] };

export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = knownTypes.flatMap((t) => ALGORITHMS_FOR_TYPE[t] ?? [t]).filter((a) => HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is sshd running and listening on that address?)',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  ECONNRESET: 'connection reset during handshake',
};

function tcpOpen(target: SshTarget, label: string, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: target.host, port: target.port });
    const timer = setTimeout(() => fail(new HostUnreachable(label, `TCP connect timed out after ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => fail(signal.reason instanceof Error ? (signal.reason as ExecutorError) : new Cancelled(label, 'connect cancelled'));
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.off('error', onError);
    };
    const fail = (e: Error) => {
      cleanup();
      sock.destroy();
      reject(e);
    };
    const onError = (e: NodeJS.ErrnoException) =>
      fail(new HostUnreachable(label, UNREACHABLE_CODES[e.code ?? ''] ?? e.message, { cause: e }));
    sock.once('error', onError);
    sock.once('connect', () => {
      cleanup();
      resolve(sock);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface ConnectContext {
  label: string;
  log: (line: string) => void;
  signal: AbortSignal;
  /** A jump host's live connection: the TCP stream is opened by it (direct-tcpip), not from here. */
  through?: SshConnection;
}

/** A direct-tcpip channel from a jump host to the target: the next hop's "socket". */
function forwardOpen(through: SshConnection, target: SshTarget, label: string, timeoutMs: number, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (e: Error | undefined, stream?: Duplex) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (e) {
        stream?.destroy();
        reject(e);
      } else resolve(stream!);
    };
    const timer = setTimeout(() => finish(new HostUnreachable(label, `the jump host did not open a connection within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => finish(signal.reason instanceof Error ? (signal.reason as ExecutorError) : new Cancelled(label, 'connect cancelled'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (through.closed) return finish(through.lostError());
    try {
      through.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
        if (err) finish(new HostUnreachable(label, `the jump host could not reach ${target.host}:${target.port}: ${err.message}`, { cause: err }));
        else if (done) stream.destroy();
        else finish(undefined, stream);
      });
    } catch (e) {
      finish(new HostUnreachable(label, `the jump host could not open a channel: ${(e as Error).message}`, { cause: e }));
    }
  });
}

export async function connectSsh(
  target: SshTarget,
  auth: AuthConfig,
  policy: HostKeyPolicy,
  tuning: ConnectTuning,
  ctx: ConnectContext,
): Promise<SshConnection> {
  const { label, log } = ctx;
  const files = [...new Set([policy.knownHostsPath, ...(policy.userKnownHostsPath ? [policy.userKnownHostsPath] : [])])];
  const own = await loadKnownHosts(files).catch((e: Error) => {
    // Without readable known_hosts no key can be verified, so no connection is possible.
    throw new HostUnreachable(label, `cannot read known_hosts: ${e.message}`, { cause: e });
  });
  // The ssh config's other files are read as ssh reads them: one it cannot read is skipped (and said).
  const extra = (policy.extraKnownHostsPaths ?? []).filter((f) => !files.includes(f));
  const more = await Promise.all(
    extra.map((f) =>
      loadKnownHosts([f]).catch((e: Error) => {
        ctx.log(`known_hosts ${f} skipped: ${e.message}`);
        return [];
      }),
    ),
  );
  const entries = [...own, ...more.flat()];
  const started = performance.now();
  let sock: Duplex;
  let localPort = 0;
  if (ctx.through) {
    sock = await forwardOpen(ctx.through, target, label, tuning.connectTimeoutMs, ctx.signal);
    log(`channel opened through the jump host`);
  } else {
    const tcp = await tcpOpen(target, label, tuning.connectTimeoutMs, ctx.signal);
    tcp.setNoDelay(tuning.noDelay);
    localPort = tcp.localPort ?? 0;
    log(`tcp connected from local port ${localPort}`);
    sock = tcp;
  }

  const client = new ssh2.Client();
  const conn = new SshConnection(client, localPort, label);
  let refusal: ExecutorError | undefined;
  let toStore: HostKeyInfo | undefined;
  let stored: Promise<void> = Promise.resolve();

  const accept = (key: HostKeyInfo, store: boolean) => {
    if (store) toStore = key;
    return true;
  };
  const decideUnknown = (key: HostKeyInfo): boolean | Promise<boolean> => {
    const trust = policy.trustNewHostKey;
    const unknown = () => {
      refusal = new HostKeyUnknown(label, key);
      return false;
    };
    if (trust === true) return accept(key, true);
    if (typeof trust === 'string') return trust === key.fingerprint ? accept(key, true) : unknown();
    if (typeof trust === 'function') {
      return Promise.resolve()
        .then(() => trust(key))
        .then((ok) => (ok ? accept(key, true) : unknown()), unknown);
    }
    return unknown();
  };
  const hostVerifier = (blob: Buffer, verify: (ok: boolean) => void): void => {
    let key: HostKeyInfo;
    try {
      key = hostKeyInfo(blob);
    } catch (e) {
      refusal = new HostUnreachable(label, `server sent an unreadable host key: ${(e as Error).message}`);
      verify(false);
      return;
    }
    const status = checkHostKey(entries, target.host, target.port, blob);
    switch (status.status) {
      case 'known':
        log(`host key ${key.keyType} ${key.fingerprint} matches ${status.at.file}:${status.at.line}`);
        verify(true);
        return;
      case 'changed':
      case 'revoked':
        refusal = new HostKeyChanged(label, key, status.at, status.status === 'revoked');
        verify(false);
        return;
      case 'unknown':
        void Promise.resolve(decideUnknown(key)).then(verify);
    }
  };

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    const fail = (e: ExecutorError) => {
      if (settled) return;
      settled = true;
      log(`connect failed: ${e.message}`);
      ctx.signal.removeEventListener('abort', onAbort);
      client.end();
      sock.destroy();
      reject(e);
    };
    const onAbort = () => fail(ctx.signal.reason instanceof Error ? (ctx.signal.reason as ExecutorError) : new Cancelled(label, 'connect cancelled'));
    // One error listener for the client's whole life: ssh2 emits 'error' for protocol,
    // socket and keepalive failures, and an unheard 'error' would crash the app.
    client.on('error', (err: Error & { level?: string }) => {
      if (!settled) {
        if (refusal) fail(refusal);
        else if (err.level === 'client-authentication') fail(new AuthFailed(label, target.username, `server rejected ${describeAuth(target.auth)} (${err.message})`, { cause: err }));
        else if (err.level === 'client-timeout') fail(new Timeout(label, 'SSH handshake', tuning.handshakeTimeoutMs));
        else fail(new HostUnreachable(label, `SSH handshake failed: ${err.message}`, { cause: err }));
        return;
      }
      const reason =
        err.level === 'client-timeout'
          ? `no answer from the host for ${tuning.keepaliveIntervalMs * (tuning.keepaliveCountMax + 1)} ms (keepalive)`
          : err.message;
      log(`connection error: ${reason}`);
      conn.markClosed(new ConnectionLost(label, `connection lost: ${reason}`, { cause: err }));
    });
    client.on('handshake', () => {
      if (toStore) {
        const k = toStore;
        toStore = undefined; // 'handshake' fires again on every re-key
        // After key exchange, so the server has proven it holds the key we are recording.
        stored = addKnownHost(policy.knownHostsPath, target.host, target.port, k.keyType, Buffer.from(k.publicKey, 'base64')).then(
          () => log(`trusted new host key ${k.keyType} ${k.fingerprint}; recorded in ${policy.knownHostsPath}`),
          (e: Error) => log(`could not record host key in ${policy.knownHostsPath}: ${e.message}`),
        );
      }
    });
    client.on('ready', () => {
      void stored.then(() => {
        if (settled) return;
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        log(`ready in ${(performance.now() - started).toFixed(1)} ms`);
        resolve(conn);
      });
    });
    client.on('end', () => conn.markClosed(new ConnectionLost(label, 'the host closed the connection')));
    client.on('close', () => {
      if (!settled) fail(refusal ?? new HostUnreachable(label, 'connection closed during the SSH handshake'));
      if (!conn.closed) log('connection closed');
      conn.markClosed();
    });
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    const config: ConnectConfig = {
      sock,
      username: target.username,
      ...auth,
      hostVerifier,
      readyTimeout: tuning.handshakeTimeoutMs,
      keepaliveInterval: tuning.keepaliveIntervalMs,
      keepaliveCountMax: tuning.keepaliveCountMax,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(entries, target.host, target.port)) as never },
    };
    try {
      client.connect(config);
    } catch (e) {
      fail(new HostUnreachable(label, `cannot start the SSH handshake: ${(e as Error).message}`, { cause: e }));
    }
  });
}
