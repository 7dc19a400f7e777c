import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Fingerprint, keyTypeOf } from './host-key';
import { addKnownHost, checkHostKey, hostMatches, knownHostsName, knownKeyTypes, loadKnownHosts, parseKnownHosts } from './known-hosts';

/** A syntactically valid key blob: string type + string payload. */
function blob(type: string, payload: string): Buffer {
  const t = Buffer.from(type);
  const p = Buffer.from(payload);
  const b = Buffer.alloc(8 + t.length + p.length);
  b.writeUInt32BE(t.length, 0);
  t.copy(b, 4);
  b.writeUInt32BE(p.length, 4 + t.length);
  p.copy(b, 8 + t.length);
  return b;
}
const A = blob('ssh-ed25519', 'key-a');
const B = blob('ssh-ed25519', 'key-b');
const R = blob('ssh-rsa', 'key-r');
const line = (hosts: string, k: Buffer) => `${hosts} ${keyTypeOf(k)} ${k.toString('base64')}`;
const hashed = (name: string, salt = Buffer.from('0123456789abcdef0123')) =>
  `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;

const dir = mkdtempSync(join(tmpdir(), 'wp-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('known_hosts', () => {
  it('names hosts like ssh: plain for port 22, [host]:port otherwise, lower-cased', () => {
    expect(knownHostsName('Lab.Example', 22)).toBe('lab.example');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(knownHostsName('fd00::2', 2222)).toBe('[fd00::2]:2222');
  });

  it('matches pattern lists with wildcards and negation', () => {
    expect(hostMatches('a,b,c', 'b')).toBe(true);
    expect(hostMatches('10.0.0.*', '10.0.0.7')).toBe(true);
    expect(hostMatches('10.0.0.?', '10.0.0.17')).toBe(false);
    expect(hostMatches('*.lab,!bad.lab', 'bad.lab')).toBe(false);
    expect(hostMatches('*.lab,!bad.lab', 'good.lab')).toBe(true);
    expect(hostMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(hostMatches('[10.0.0.1]:2222', '10.0.0.1')).toBe(false);
    expect(hostMatches('LAB', 'lab')).toBe(true);
    expect(hostMatches('10.0.0.1', '10.0.0.10')).toBe(false);
    expect(hostMatches('a.b', 'axb')).toBe(false); // '.' is literal
  });

  it('matches hashed names (HMAC-SHA1 over the name, salted)', () => {
    expect(hostMatches(hashed('10.0.0.1'), '10.0.0.1')).toBe(true);
    expect(hostMatches(hashed('10.0.0.1'), '10.0.0.2')).toBe(false);
    expect(hostMatches(hashed('[10.0.0.1]:2222'), '[10.0.0.1]:2222')).toBe(true);
    expect(hostMatches('|1|garbage', '10.0.0.1')).toBe(false);
  });

  it('parses comments, blank lines, markers and keeps line numbers', () => {
    const text = ['# c', '', line('h1', A), `@revoked ${line('*', B)}`, `@cert-authority ${line('*.lab', R)}`, '@unknown x y z', 'broken-line'].join('\n');
    const entries = parseKnownHosts(text, 'f');
    expect(entries.map((e) => [e.line, e.marker ?? '', e.hostPatterns])).toEqual([
      [3, '', 'h1'],
      [4, 'revoked', '*'],
      [5, 'cert-authority', '*.lab'],
    ]);
  });

  it('classifies a key as known, unknown, changed or revoked', () => {
    const entries = parseKnownHosts([line('h1,h2', A), line(hashed('h3'), A), line('[h1]:2222', B), line('h4', R)].join('\n'), 'kh');
    expect(checkHostKey(entries, 'h1', 22, A)).toEqual({ status: 'known', at: { file: 'kh', line: 1 } });
    expect(checkHostKey(entries, 'h3', 22, A)).toEqual({ status: 'known', at: { file: 'kh', line: 2 } });
    expect(checkHostKey(entries, 'h1', 2222, B).status).toBe('known');
    expect(checkHostKey(entries, 'h9', 22, A)).toEqual({ status: 'unknown' });
    expect(checkHostKey(entries, 'h2', 22, B)).toEqual({ status: 'changed', at: [{ file: 'kh', line: 1 }] });
    // A known host offering a key of another type is treated as changed too.
    expect(checkHostKey(entries, 'h4', 22, A)).toEqual({ status: 'changed', at: [{ file: 'kh', line: 4 }] });
    // One matching line is enough, as in ssh.
    const both = parseKnownHosts([line('h1', B), line('h1', A)].join('\n'), 'kh');
    expect(checkHostKey(both, 'h1', 22, A).status).toBe('known');
    const revoked = parseKnownHosts([line('h1', A), `@revoked ${line('*', A)}`].join('\n'), 'kh');
    expect(checkHostKey(revoked, 'h1', 22, A)).toEqual({ status: 'revoked', at: [{ file: 'kh', line: 2 }] });
    expect(knownKeyTypes(entries, 'h4', 22)).toEqual(['ssh-rsa']);
  });

  it('loads several files (missing ones are empty) and appends plain lines safely', async () => {
    const own = join(dir, 'sub', 'known_hosts');
    const user = join(dir, 'user_known_hosts');
    writeFileSync(user, line('h1', A)); // no final newline, as a hand edit may leave it
    await addKnownHost(own, 'h2', 2222, 'ssh-ed25519', B);
    await addKnownHost(user, 'h3', 22, 'ssh-ed25519', A);
    expect(readFileSync(user, 'utf8')).toBe(`${line('h1', A)}\n${line('h3', A)}\n`);
    const entries = await loadKnownHosts([own, user, join(dir, 'missing')]);
    expect(checkHostKey(entries, 'h2', 2222, B).status).toBe('known');
    expect(checkHostKey(entries, 'h3', 22, A)).toEqual({ status: 'known', at: { file: user, line: 2 } });
    await expect(addKnownHost(own, 'a,b', 22, 'ssh-ed25519', A)).rejects.toThrow(/refusing/);
  });

  it('fingerprints like OpenSSH: SHA256 + unpadded base64', () => {
    expect(sha256Fingerprint(Buffer.from(''))).toBe('SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(keyTypeOf(R)).toBe('ssh-rsa');
    expect(() => keyTypeOf(Buffer.from([0, 0, 0]))).toThrow();
  });
});

describe('host key algorithm preference', () => {
  it('puts the algorithms of already-trusted key types first', async () => {
    const { hostKeyAlgorithms } = await import('./ssh-connect');
    expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
    expect(hostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms(['ecdsa-sha2-nistp256'])[0]).toBe('ecdsa-sha2-nistp256');
    expect(new Set(hostKeyAlgorithms(['ssh-rsa'])).size).toBe(hostKeyAlgorithms(['ssh-rsa']).length);
  });
});
