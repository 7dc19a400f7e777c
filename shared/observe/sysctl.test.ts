import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/observe/load';
import { normalizeSysctlKey, normalizeSysctlValue, parseBootId, parseIptablesVersion, parseNftVersion, parseSysctl } from './sysctl';

describe('parseSysctl', () => {
  it('reads key = value lines and turns error lines into warnings', () => {
    const r = parseSysctl(fixture('root.sysctl.txt') + fixture('root.sysctl.txt.stderr'));
    if (!r.ok) throw new Error(r.error);
    expect({ ...r.value }).toEqual({
      'net.ipv4.ip_forward': '1',
      'net.ipv6.conf.all.forwarding': '0',
      'net.ipv4.conf.all.rp_filter': '0',
      'net.ipv4.conf.br0.forwarding': '1',
      'net.ipv4.conf.v/100.forwarding': '1',
      'net.ipv4.ip_local_port_range': '32768\t60999',
    });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('no-such-if');
    expect(Object.getPrototypeOf(r.value)).toBeNull();
  });

  it('per-namespace values differ from the root', () => {
    const r = parseSysctl(fixture('ns1.sysctl.txt'));
    expect(r.ok && r.value['net.ipv4.conf.all.rp_filter']).toBe('2');
    expect(r.ok && r.value['net.ipv4.ip_forward']).toBe('0');
  });

  it('only errors is an error; nothing is an empty map', () => {
    expect(parseSysctl('sysctl: cannot stat /proc/sys/x: No such file or directory\n').ok).toBe(false);
    const empty = parseSysctl('');
    expect(empty.ok && Object.keys(empty.value)).toEqual([]);
  });

  it('key and value normalisation (slash paths from the compiler, dotted names from sysctl)', () => {
    expect(normalizeSysctlKey('net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normalizeSysctlKey('net/ipv4/conf/v.100/forwarding')).toBe('net.ipv4.conf.v/100.forwarding');
    expect(normalizeSysctlKey('/proc/sys/net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normalizeSysctlKey('net.ipv4.conf.v/100.forwarding')).toBe('net.ipv4.conf.v/100.forwarding');
    expect(normalizeSysctlValue('32768\t60999')).toBe('32768 60999');
  });
});

describe('versions and boot id', () => {
  it('iptables --version', () => {
    expect(parseIptablesVersion(fixture('root.iptables-version.txt'))).toEqual({ ok: true, value: { version: '1.8.9', backend: 'nf_tables' }, warnings: [] });
    expect(parseIptablesVersion('iptables v1.8.7 (legacy)\n').ok && parseIptablesVersion('iptables v1.8.7 (legacy)\n')).toMatchObject({ value: { backend: 'legacy' } });
    expect(parseIptablesVersion('iptables v1.6.1\n')).toMatchObject({ value: { backend: 'legacy' } });
    expect(parseIptablesVersion('bash: iptables: command not found').ok).toBe(false);
  });

  it('nft --version', () => {
    expect(parseNftVersion(fixture('root.nft-version.txt'))).toMatchObject({ ok: true, value: { version: '1.0.6' } });
    expect(parseNftVersion('').ok).toBe(false);
  });

  it('boot id', () => {
    const r = parseBootId(fixture('root.boot-id.txt'));
    expect(r.ok && r.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseBootId('not-a-uuid').ok).toBe(false);
  });
});
