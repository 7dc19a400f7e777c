// Typed executor failures. The UI and the apply engine branch on `kind` (stable across
// processes, survives structured cloning as plain data via toJSON), never on message text.

export type ExecutorErrorKind =
  | 'HostUnreachable'
  | 'HostKeyUnknown'
  | 'HostKeyChanged'
  | 'AuthFailed'
  | 'SudoRequired'
  | 'ChannelFailed'
  | 'ConnectionLost'
  | 'Timeout'
  | 'Cancelled';

export abstract class ExecutorError extends Error {
  abstract readonly kind: ExecutorErrorKind;
  /** The executor's describe() text, e.g. "ssh root@10.0.0.5:22". */
  readonly host: string;

  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, options);
    this.host = host;
  }

  override get name(): string {
    return this.kind;
  }

  toJSON(): Record<string, unknown> {
    const { cause: _cause, ...fields } = this as unknown as Record<string, unknown>;
    return { ...fields, kind: this.kind, message: this.message };
  }
}

/** TCP connect failed or timed out, or the SSH handshake could not complete. */
export class HostUnreachable extends ExecutorError {
  readonly kind = 'HostUnreachable';
}

export interface HostKeyInfo {
  /** Key type from the key blob, e.g. "ssh-ed25519". */
  keyType: string;
  /** OpenSSH-style: "SHA256:" + unpadded base64 of the blob's SHA-256. */
  fingerprint: string;
  /** Base64 key blob, as written in known_hosts. */
  publicKey: string;
}

/**
 * The server offered a key nobody has trusted yet. The connection was ended inside host
 * verification, before any authentication: no credential has been sent. Ask the user,
 * then connect again with trustNewHostKey set to this fingerprint.
 */
export class HostKeyUnknown extends ExecutorError implements HostKeyInfo {
  readonly kind = 'HostKeyUnknown';
  readonly keyType: string;
  readonly fingerprint: string;
  readonly publicKey: string;

  constructor(host: string, key: HostKeyInfo) {
    super(host, `unknown ${key.keyType} host key ${key.fingerprint}; trust it before connecting`);
    this.keyType = key.keyType;
    this.fingerprint = key.fingerprint;
    this.publicKey = key.publicKey;
  }
}

export interface KnownHostsLocation {
  file: string;
  line: number;
}

/** The key differs from the one recorded in known_hosts: refused, possibly an attack. */
export class HostKeyChanged extends ExecutorError implements HostKeyInfo {
  readonly kind = 'HostKeyChanged';
  readonly keyType: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  /** Where the conflicting (or revoking) entries are. */
  readonly knownAt: KnownHostsLocation[];
  readonly revoked: boolean;

  constructor(host: string, key: HostKeyInfo, knownAt: KnownHostsLocation[], revoked = false) {
    const where = knownAt.map((l) => `${l.file}:${l.line}`).join(', ');
    super(
      host,
      revoked
        ? `host key ${key.fingerprint} is marked @revoked in ${where}; refusing to connect`
        : `HOST KEY CHANGED: server offered ${key.keyType} ${key.fingerprint}, which does not match ${where}; refusing to connect (remove that line only if the host was really reinstalled)`,
    );
    this.keyType = key.keyType;
    this.fingerprint = key.fingerprint;
    this.publicKey = key.publicKey;
    this.knownAt = knownAt;
    this.revoked = revoked;
  }
}

export class AuthFailed extends ExecutorError {
  readonly kind = 'AuthFailed';
  readonly user: string;

  constructor(host: string, user: string, reason: string, options?: { cause?: unknown }) {
    super(host, `authentication as ${user} failed: ${reason}`, options);
    this.user = user;
  }
}

/** Root is needed but sudo cannot provide it without help (no sudo, no rights, or a password is needed). */
export class SudoRequired extends ExecutorError {
  readonly kind = 'SudoRequired';
}

/** The server refused to open a channel or the channel broke while the connection lived. */
export class ChannelFailed extends ExecutorError {
  readonly kind = 'ChannelFailed';
  /** The server answered the channel open with a refusal (e.g. MaxSessions reached). */
  readonly openRefused: boolean;

  constructor(host: string, message: string, options?: { cause?: unknown; openRefused?: boolean }) {
    super(host, message, options);
    this.openRefused = options?.openRefused ?? false;
  }
}

/** The connection dropped; a command that was running has an unknown outcome. */
export class ConnectionLost extends ExecutorError {
  readonly kind = 'ConnectionLost';
}

export class Timeout extends ExecutorError {
  readonly kind = 'Timeout';
  readonly ms: number;

  constructor(host: string, what: string, ms: number) {
    super(host, `${what} timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/** The caller aborted the run through its AbortSignal. */
export class Cancelled extends ExecutorError {
  readonly kind = 'Cancelled';
}

export function isExecutorError(e: unknown): e is ExecutorError {
  return e instanceof ExecutorError;
}
