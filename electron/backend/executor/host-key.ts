// Reads an SSH public key blob (RFC 4253 §6.6) the way OpenSSH shows it to people.
import { createHash } from 'node:crypto';
import type { HostKeyInfo } from './errors';

/** The key type is the blob's first length-prefixed string ("ssh-ed25519", "ssh-rsa" ...). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new Error('host key blob too short');
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) throw new Error('malformed host key blob');
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's fingerprint: "SHA256:" + base64 of the blob's SHA-256, without '=' padding. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function hostKeyInfo(blob: Buffer): HostKeyInfo {
  return { keyType: keyTypeOf(blob), fingerprint: sha256Fingerprint(blob), publicKey: blob.toString('base64') };
}
