// `sysctl KEY...` output ("key = value" lines) and small version/identity outputs.
import { fail, guard, ok, type ParseResult } from './result';
import type { FirewallInfo } from './types';

/**
 * "net.ipv4.ip_forward = 1" lines -> a null-prototype key/value object (keys are host data:
 * look them up with Object.hasOwn). Error lines ("sysctl: cannot stat ...") and anything
 * unrecognised become warnings. Values are kept as printed (multi-value sysctls such as
 * ip_local_port_range keep their tab); compare them with normalizeSysctlValue.
 */
export function parseSysctl(text: string): ParseResult<Record<string, string>> {
  return guard('sysctl', () => {
    if (typeof text !== 'string') return fail('sysctl: input is not text');
    const out = Object.create(null) as Record<string, string>;
    const warnings: string[] = [];
    let good = 0;
    let bad = 0;
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      const m = /^([A-Za-z0-9_][^\s=]*)\s*=\s?(.*)$/.exec(line);
      if (!m || line.startsWith('sysctl:')) {
        bad++;
        warnings.push(`sysctl: line ${i + 1} skipped: ${JSON.stringify(line.slice(0, 200))}`);
        return;
      }
      out[m[1]!] = m[2]!;
      good++;
    });
    if (good === 0 && bad > 0) return fail('sysctl: no "key = value" lines', warnings);
    return ok(out, warnings);
  });
}

/** Whitespace-insensitive form for comparing sysctl values ("32768\t60999" == "32768 60999"). */
export function normalizeSysctlValue(value: string): string {
  return value.trim().split(/\s+/).join(' ');
}

/**
 * The dotted form sysctl(8) prints, from either form of a key. In the dotted form a "." that
 * belongs to a name (an interface "eth0.100") is written "/": the path
 * `net/ipv4/conf/eth0.100/forwarding` (what the compiler emits) is
 * `net.ipv4.conf.eth0/100.forwarding`. A key whose first separator is "/" is a path.
 */
export function normalizeSysctlKey(key: string): string {
  const k = key.trim().replace(/^\/proc\/sys\//, '');
  const slash = k.indexOf('/');
  const dot = k.indexOf('.');
  const isPath = slash >= 0 && (dot < 0 || slash < dot);
  if (!isPath) return k;
  return k
    .split('/')
    .filter((c) => c !== '')
    .map((c) => c.split('.').join('/'))
    .join('.');
}

/** `iptables --version`: "iptables v1.8.9 (nf_tables)" / "(legacy)" / "iptables v1.6.1". */
export function parseIptablesVersion(text: string): ParseResult<NonNullable<FirewallInfo['iptables']>> {
  return guard('iptables --version', () => {
    if (typeof text !== 'string') return fail('iptables --version: input is not text');
    const m = /ip6?tables(?:-legacy|-nft)? v(\d+(?:\.\d+)*)(?: \((nf_tables|legacy)\))?/.exec(text);
    if (!m) return fail(`iptables --version: unrecognised output ${JSON.stringify(text.trim().slice(0, 100))}`);
    const version = m[1]!;
    const [major = 0, minor = 0] = version.split('.').map(Number);
    // Before 1.8 there was no nf_tables variant and no "(legacy)" suffix.
    const backend = m[2] === 'nf_tables' || m[2] === 'legacy' ? m[2] : major < 1 || (major === 1 && minor < 8) ? 'legacy' : 'unknown';
    return ok({ version, backend });
  });
}

/** `nft --version`: "nftables v1.0.6 (Lester Gooch #5)". */
export function parseNftVersion(text: string): ParseResult<NonNullable<FirewallInfo['nft']>> {
  return guard('nft --version', () => {
    if (typeof text !== 'string') return fail('nft --version: input is not text');
    const m = /nftables v(\d+(?:\.\d+)*)/.exec(text);
    if (!m) return fail(`nft --version: unrecognised output ${JSON.stringify(text.trim().slice(0, 100))}`);
    return ok({ version: m[1]! });
  });
}

/** /proc/sys/kernel/random/boot_id: a UUID, lower-cased. */
export function parseBootId(text: string): ParseResult<string> {
  return guard('boot_id', () => {
    if (typeof text !== 'string') return fail('boot_id: input is not text');
    const id = text.trim().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
      return fail(`boot_id: not a UUID: ${JSON.stringify(text.trim().slice(0, 60))}`);
    }
    return ok(id);
  });
}
