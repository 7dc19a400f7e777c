// Address classes the rules care about. Kept here rather than in shared/net/ip.ts so the
// validation rules own their notion of "special" addresses.
import { contains, parsePrefix, type Address, type Prefix } from '../net/ip';

const p = (text: string) => parsePrefix(text)!;
const MULTICAST = [p('224.0.0.0/4'), p('ff00::/8')];
const LOOPBACK = [p('127.0.0.0/8'), p('::1/128')];
const LINK_LOCAL_V6 = p('fe80::/10');

export const isMulticast = (a: Address) => MULTICAST.some((m) => contains(m, a));
export const isLoopback = (a: Address) => LOOPBACK.some((m) => contains(m, a));
export const isUnspecified = (a: Address) => a.value === 0n;
export const isLinkLocalV6 = (a: Address) => contains(LINK_LOCAL_V6, a);

/** The address part of a prefix as an Address. */
export const addressOf = (prefix: Prefix): Address => ({ family: prefix.family, value: prefix.address });

/** Host routes (/32, /128) make no connected subnet. */
export const isHostPrefix = (prefix: Prefix) => prefix.length === (prefix.family === 4 ? 32 : 128);
