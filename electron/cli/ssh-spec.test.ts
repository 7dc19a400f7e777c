import { describe, expect, it } from 'vitest';
import { UsageError } from './args';
import { parseHostOverride, parseSshSpec } from './ssh-spec';

describe('--ssh [USER@]ADDRESS[:PORT]', () => {
  it('reads user, address and port, leaving out what was not given', () => {
    expect(parseSshSpec('root@10.0.0.5')).toEqual({ user: 'root', address: '10.0.0.5' });
    expect(parseSshSpec('lab-admin@lab1.example.net:2222')).toEqual({ user: 'lab-admin', address: 'lab1.example.net', port: 2222 });
    expect(parseSshSpec('10.1.1.1:2200')).toEqual({ address: '10.1.1.1', port: 2200 });
    expect(parseSshSpec('lab@[fd00::5]:2222')).toEqual({ user: 'lab', address: 'fd00::5', port: 2222 });
    expect(parseSshSpec('[fd00::5]')).toEqual({ address: 'fd00::5' });
    expect(parseSshSpec('fd00::5')).toEqual({ address: 'fd00::5' });
    expect(parseSshSpec('localhost')).toEqual({ address: 'localhost' });
  });

  it('refuses anything else with the part that is wrong', () => {
    const cases: [string, string][] = [
      ['root@$(id)', '"$(id)" is neither an IP address nor a host name'],
      ['root@a;b', '"a;b" is neither'],
      ['root@', '"" is neither'],
      ['root@300.1.1.1', '"300.1.1.1" is neither'],
      ['root@-lab', '"-lab" is neither'],
      ['ro;ot@10.0.0.1', '"ro;ot" is not a user name'],
      ['@10.0.0.1', '"" is not a user name'],
      ['root@10.0.0.1:99999', '"99999" is not a port'],
      ['root@10.0.0.1:0', '"0" is not a port'],
      ['root@10.0.0.1:', '"" is not a port'],
      ['root@10.0.0.1:22x', '"22x" is not a port'],
      ['root@[fd00::5]:x', '"x" is not a port'],
      ['root@[not-v6', '"[not-v6" is neither'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseSshSpec(text), text).toThrow(UsageError);
      expect(() => parseSshSpec(text), text).toThrow(message);
    }
  });

  it('NAME=... names the design host to point elsewhere', () => {
    expect(parseHostOverride('lab=root@192.0.2.10')).toEqual({ name: 'lab', spec: { user: 'root', address: '192.0.2.10' } });
    expect(() => parseHostOverride('root@192.0.2.10')).toThrow('expected NAME=[USER@]ADDRESS[:PORT]');
    expect(() => parseHostOverride('=root@192.0.2.10')).toThrow('expected NAME=');
    expect(() => parseHostOverride('lab=root@$(id)')).toThrow('--ssh lab=root@$(id): "$(id)" is neither an IP address nor a host name');
  });
});
