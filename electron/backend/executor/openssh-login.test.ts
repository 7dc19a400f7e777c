// ProxyJump / -J lists as OpenSSH writes them, and the refusals that keep anything
// option-like or shell-like out of a hop.
import { describe, expect, it } from 'vitest';
import { parseJumpList } from './openssh-login';

describe('parseJumpList', () => {
  it('reads user@host:port hops, aliases and bracketed IPv6', () => {
    expect(parseJumpList('bastion')).toEqual([{ host: 'bastion' }]);
    expect(parseJumpList('ops@192.0.2.1:2222,inner')).toEqual([{ user: 'ops', host: '192.0.2.1', port: 2222 }, { host: 'inner' }]);
    expect(parseJumpList('CORP\\jdoe@[fd00::1]:22')).toEqual([{ user: 'CORP\\jdoe', host: 'fd00::1', port: 22 }]);
  });

  it('refuses bad hops, naming them', () => {
    expect(() => parseJumpList('-oProxyCommand=x')).toThrow(/not a host name/);
    expect(() => parseJumpList('a;b@host')).toThrow(/not a user name/);
    expect(() => parseJumpList('host:99999')).toThrow(/out of range/);
    expect(() => parseJumpList('host:ssh')).toThrow(/not a port/);
    expect(() => parseJumpList('ok,$(id)')).toThrow(/\$\(id\)/);
  });
});
