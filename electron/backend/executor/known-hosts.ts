// OpenSSH known_hosts, read the way ssh(1) reads it (sshd(8) "SSH_KNOWN_HOSTS FILE
// FORMAT"): comma-separated host patterns with * ? and ! negation, "[host]:port" for
// non-22 ports, hashed names "|1|salt|hmac-sha1", and the @revoked marker. Wireplan
// trusts a key found in its own file or in the user's, exactly as ssh would.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KnownHostsLocation } from './errors';

export interface KnownHostEntry extends KnownHostsLocation {
  marker?: 'revoked' | 'cert-authority';
  hostPatterns: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyStatus =
  | { status: 'known'; at: KnownHostsLocation }
  | { status: 'unknown' }
  /** Entries exist for this host but none holds the offered key. */
  | { status: 'changed'; at: KnownHostsLocation[] }
  | { status: 'revoked'; at: KnownHostsLocation[] };

/** The name known_hosts uses for a host: plain for port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: ssh ignores the line too
    }
    const [hostPatterns, keyType, keyB64] = fields;
    if (!hostPatterns || !keyType || !keyB64) return;
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0) return;
    entries.push({ file, line: i + 1, ...(marker ? { marker } : {}), hostPatterns, keyType, key });
  });
  return entries;
}

/** Glob with * and ?, whole-string, as OpenSSH's match_pattern (case-folded by the caller). */
function globMatch(name: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(name);
}

function hashedMatch(name: string, pattern: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(key = salt, data = name))
  const parts = pattern.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const want = Buffer.from(parts[3]!, 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** True when the comma-separated pattern list accepts `name` (a negated match vetoes). */
export function hostMatches(hostPatterns: string, name: string): boolean {
  if (hostPatterns.startsWith('|')) return hashedMatch(name, hostPatterns);
  let matched = false;
  for (const raw of hostPatterns.toLowerCase().split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '' || !globMatch(name, pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyStatus {
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostMatches(e.hostPatterns, name));
  const revoked = forHost.filter((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked.length > 0) return { status: 'revoked', at: revoked.map(location) };
  const plain = forHost.filter((e) => e.marker === undefined);
  // Like ssh: one matching line is enough, whatever other lines say.
  const match = plain.find((e) => e.key.equals(key));
  if (match) return { status: 'known', at: location(match) };
  if (plain.length > 0) return { status: 'changed', at: plain.map(location) };
  return { status: 'unknown' };
}

/** Key types recorded for the host, so negotiation can prefer a key we can verify. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = entries.filter((e) => e.marker === undefined && hostMatches(e.hostPatterns, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

function location(e: KnownHostEntry): KnownHostsLocation {
  return { file: e.file, line: e.line };
}

/** Reads and parses the files that exist; a missing file is simply empty. */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const all = await Promise.all(
    files.map(async (file) => {
      try {
        return parseKnownHosts(await readFile(file, 'utf8'), file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    }),
  );
  return all.flat();
}

/**
 * Appends one plain (unhashed) line: Wireplan's own file is a list the UI shows and
 * edits, so names stay readable. One append(2) per line keeps concurrent writers whole.
 */
export async function addKnownHost(file: string, host: string, port: number, keyType: string, key: Buffer): Promise<void> {
  if (/[\s,]/.test(host) || host === '') throw new Error(`refusing to record host name ${JSON.stringify(host)}`);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const line = `${knownHostsName(host, port)} ${keyType} ${key.toString('base64')}\n`;
  // A hand-edited file may lack its final newline; never glue our line onto the last one.
  const needsNewline = await readFile(file).then(
    (b) => b.length > 0 && b[b.length - 1] !== 0x0a,
    () => false,
  );
  await appendFile(file, needsNewline ? `\n${line}` : line, { mode: 0o600 });
}
