// Strict allowlists for every identifier that can reach a command line.
// Quoting (shared/export/quote.ts) is defence in depth; these are the first guard.
import { parseAddress } from '../net/ip';

/** Element ids: stable keys inside a design file and in ownership tags. */
export const ELEMENT_ID = /^[a-z][a-z0-9_-]{0,31}$/;

/** A design's short tag: part of nft table names and ownership markers. */
export const DESIGN_TAG = /^[a-z][a-z0-9]{0,11}$/;

/**
 * Kernel interface names: at most 15 bytes (IFNAMSIZ - 1). The kernel forbids '/', ':'
 * and whitespace; we also forbid everything a shell or `ip` would interpret specially.
 */
export const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
export const IFNAME_MAX_BYTES = 15;

/** Network namespace names become files under /run/netns. */
export const NETNS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** Either case is accepted; the compiler writes lower case. */
export const MAC = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;

/** SSH user names and key paths shown in the design file; never interpolated into a shell. */
/**
 * A login name as sshd takes it: POSIX portable characters (letters of either case, digits,
 * ".", "_", "-"; not starting with "-" or "."), optionally after a Windows/Samba-style
 * `DOMAIN\` prefix. No shell metacharacter, no whitespace, never an option.
 */
export const SSH_USER = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\\)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
export const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Where SSH may connect: an IP address, or a host name that is not a malformed dotted number. */
export function isSshAddress(text: string): boolean {
  return parseAddress(text) !== undefined || (HOSTNAME.test(text) && !/^[\d.]+$/.test(text));
}

/** Sysctl interface-scoped keys we write: net.ipv4.conf.<iface>.<key>. */
export const INTERFACE_SYSCTL_KEYS = ['forwarding', 'proxy_arp', 'rp_filter'] as const;

/** UTF-8 byte length without TextEncoder (not in the ES lib that shared/ compiles against). */
export function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export function isIfname(name: string): boolean {
  return IFNAME.test(name) && utf8Length(name) <= IFNAME_MAX_BYTES;
}
