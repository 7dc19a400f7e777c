// The built-in ssh_config parser against OpenSSH's own `ssh -G` on the same files: Host
// patterns with wildcards and negation, Include with a glob, first value wins,
// IdentityFile accumulating, explicit user/port winning, defaults when nothing is set.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configWords, findSshBinary, hostPatternsMatch, resolveSshConfig, type ResolvedSshConfig } from './ssh-config';

const dir = mkdtempSync(join(tmpdir(), 'wp-sshcfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'conf.d'));
writeFileSync(join(dir, 'conf.d', '10-lab.conf'), ['Host lab-*', '  User labber', '  Port 2200', '  IdentityFile ~/keys/lab_%n', ''].join('\n'));
writeFileSync(join(dir, 'conf.d', '.hidden.conf'), 'Host *\n  User hidden\n');
const cfg = join(dir, 'config');
writeFileSync(
  cfg,
  [
    '# a comment',
    'Host lab-one',
    '  HostName 192.0.2.10',
    '  IdentityFile /keys/one',
    '  StrictHostKeyChecking accept-new',
    '  UserKnownHostsFile /kh/a /kh/b',
    `Include ${join(dir, 'conf.d', '*.conf')}`,
    'Host lab-* !lab-two',
    '  ServerAliveInterval 5',
    'Host bastion',
    '  ProxyJump jumper@192.0.2.1:2022',
    'Host *',
    '  ConnectTimeout=7',
    '  IdentitiesOnly yes',
    '  Port 2999',
    '',
  ].join('\n'),
);

const subset = (c: ResolvedSshConfig) => ({
  hostname: c.hostname,
  user: c.user,
  port: c.port,
  identityFiles: c.identityFiles,
  identitiesOnly: c.identitiesOnly,
  proxyJump: c.proxyJump,
  userKnownHostsFiles: c.userKnownHostsFiles,
  strict: c.strictHostKeyChecking,
  connectTimeoutS: c.connectTimeoutS,
  serverAliveIntervalS: c.serverAliveIntervalS,
});

describe('ssh_config parser', () => {
  it('splits keyword and arguments like OpenSSH', () => {
    expect(configWords('  HostName  example.net ')).toEqual(['HostName', 'example.net']);
    expect(configWords('Port=22')).toEqual(['Port', '22']);
    expect(configWords('IdentityFile "/a b/c" # note')).toEqual(['IdentityFile', '/a b/c']);
    expect(configWords('# only a comment')).toEqual([]);
  });

  it('matches Host patterns with wildcards and negation', () => {
    expect(hostPatternsMatch(['lab-*'], 'lab-one')).toBe(true);
    expect(hostPatternsMatch(['lab-?'], 'lab-12')).toBe(false);
    expect(hostPatternsMatch(['lab-*', '!lab-two'], 'lab-two')).toBe(false);
    expect(hostPatternsMatch(['*,!x'], 'y')).toBe(true);
  });

  it('resolves first-wins values, Include globs (hidden files skipped) and tokens', async () => {
    const home = '/home/tester';
    const c = await resolveSshConfig({ host: 'lab-one', configFile: cfg, sshBinary: null, home, localUser: 'me' });
    expect(subset(c)).toEqual({
      hostname: '192.0.2.10',
      user: 'labber',
      port: 2200,
      identityFiles: ['/keys/one', '/home/tester/keys/lab_lab-one'],
      identitiesOnly: true,
      proxyJump: undefined,
      userKnownHostsFiles: ['/kh/a', '/kh/b'],
      strict: 'accept-new',
      connectTimeoutS: 7,
      serverAliveIntervalS: 5,
    });
    expect(c.source).toBe('built-in parser');
    const explicit = await resolveSshConfig({ host: 'lab-one', user: 'root', port: 22, configFile: cfg, sshBinary: null, home });
    expect([explicit.user, explicit.port]).toEqual(['root', 22]);
    const plain = await resolveSshConfig({ host: '198.51.100.7', configFile: join(dir, 'conf.d', '10-lab.conf'), sshBinary: null, home, localUser: 'me' });
    expect([plain.hostname, plain.user, plain.port, plain.strictHostKeyChecking]).toEqual(['198.51.100.7', 'me', 22, 'ask']);
    expect(plain.identityFiles[0]).toBe('/home/tester/.ssh/id_rsa');
    expect(plain.globalKnownHostsFiles).toContain('/etc/ssh/ssh_known_hosts');
    const jump = await resolveSshConfig({ host: 'bastion', configFile: cfg, sshBinary: null, home });
    expect(jump.proxyJump).toBe('jumper@192.0.2.1:2022');
  });

  it('refuses a name that is not a host name before asking anyone', async () => {
    await expect(resolveSshConfig({ host: '-oProxyCommand=x', sshBinary: null })).rejects.toThrow(/not a host name/);
  });

  it('agrees with `ssh -G` on the same file', async (ctx) => {
    const ssh = await findSshBinary();
    if (!ssh) {
      console.warn('[skip] ssh-config: no ssh client on PATH (Debian: openssh-client)');
      ctx.skip();
      return;
    }
    for (const host of ['lab-one', 'lab-two', 'bastion', 'other.example']) {
      const home = process.env['HOME'] ?? '/root';
      const viaSsh = await resolveSshConfig({ host, configFile: cfg, sshBinary: ssh, home });
      const viaParser = await resolveSshConfig({ host, configFile: cfg, sshBinary: null, home });
      expect(viaSsh.source).toBe('ssh -G');
      // ssh -G prints ProxyJump normalised ([addr]:port); the local user is the account's, not $USER.
      const norm = (c: ResolvedSshConfig) => ({ ...subset(c), user: undefined, proxyJump: c.proxyJump !== undefined });
      expect(norm(viaParser), host).toEqual(norm(viaSsh));
    }
  });
});
