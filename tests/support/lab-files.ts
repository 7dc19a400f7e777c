// The files a lab host is made of: keys made by the real ssh-keygen, an sshd_config, and
// (for the optional second user) private copies of the account files. The copies are
// bind-mounted inside the lab's mount namespace only, so the machine's own /etc is never
// touched and nothing outlives the lab.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mustRun } from './lab-proc';

export type LabKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface KeyPair {
  privatePath: string;
  /** The .pub line: "<type> <base64> <comment>". */
  publicLine: string;
  type: string;
  /** OpenSSH's own fingerprint (ssh-keygen -l): "SHA256:" + unpadded base64. */
  sha256: string;
}

export async function makeKeyPair(path: string, type: LabKeyType, comment: string, passphrase = ''): Promise<KeyPair> {
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  await mustRun(['ssh-keygen', '-q', '-t', type, ...bits, '-N', passphrase, '-C', comment, '-f', path]);
  const publicLine = readFileSync(`${path}.pub`, 'utf8').trim();
  // Ask ssh-keygen rather than recomputing: tests compare the executor's fingerprint
  // against OpenSSH's, not against a second copy of the executor's own arithmetic.
  const listed = (await mustRun(['ssh-keygen', '-l', '-E', 'sha256', '-f', `${path}.pub`])).trim();
  const sha256 = listed.split(/\s+/)[1] ?? '';
  if (!sha256.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${listed}`);
  return { privatePath: path, publicLine, type: publicLine.split(' ')[0] ?? '', sha256 };
}

export interface SshdConfigInput {
  address: string;
  port: number;
  /** Paths as seen inside the lab. */
  hostKeyPath: string;
  authorizedKeysDir: string;
  pidFile: string;
  passwordAuthentication: boolean;
  extra: readonly string[];
}

export function sshdConfig(c: SshdConfigInput): string {
  // sshd keeps the first value it reads for a keyword, so extra lines go first and can
  // override the defaults below; a Match block (and all after it) must come last.
  const match = c.extra.findIndex((l) => /^\s*Match\s/i.test(l));
  const overrides = match < 0 ? c.extra : c.extra.slice(0, match);
  const matchBlocks = match < 0 ? [] : c.extra.slice(match);
  return [
    ...overrides,
    `ListenAddress ${c.address}:${c.port}`,
    `HostKey ${c.hostKeyPath}`,
    `PidFile ${c.pidFile}`,
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    `AuthorizedKeysFile ${c.authorizedKeysDir}/%u`,
    `PasswordAuthentication ${c.passwordAuthentication ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'LogLevel VERBOSE',
    'MaxSessions 10',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    ...matchBlocks,
    '',
  ].join('\n');
}

export interface LabUserSpec {
  name: string;
  /** Enables password authentication for this user and is the sudo password. */
  password?: string;
  /** sudo rights: 'password' (sudo asks for the password), 'nopasswd', or none (default). */
  sudo?: 'password' | 'nopasswd' | 'none';
}

export interface AccountFiles {
  uid: number;
  gid: number;
  home: string;
  passwd: string;
  group: string;
  shadow: string;
  sudoers: string;
  hosts: string;
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;

/** Copies of /etc/passwd, group, shadow with one extra user; no real password hash is copied. */
export async function accountFiles(user: LabUserSpec, hostname: string): Promise<AccountFiles> {
  if (!USER_NAME.test(user.name)) throw new Error(`lab user name not allowed: ${user.name}`);
  const passwd = readFileSync('/etc/passwd', 'utf8').trimEnd().split('\n');
  const group = readFileSync('/etc/group', 'utf8').trimEnd().split('\n');
  const taken = (lines: string[], i: number) => new Set(lines.map((l) => Number(l.split(':')[i])));
  const uids = taken(passwd, 2);
  const gids = taken(group, 2);
  if (passwd.some((l) => l.startsWith(`${user.name}:`))) throw new Error(`user ${user.name} already exists on this machine`);
  let uid = 2000;
  while (uids.has(uid) || gids.has(uid)) uid++;
  const home = `/run/home/${user.name}`;
  // sha512-crypt through libc's crypt(3) via perl (Essential in Debian); the password goes on stdin.
  const salt = randomBytes(12).toString('base64').replace(/\+/g, '.');
  const hash =
    user.password === undefined
      ? '*'
      : (await mustRun(['perl', '-e', 'chomp(my $p = <STDIN>); print crypt($p, "\\$6\\$$ARGV[0]\\$")', salt], `${user.password}\n`)).trim();
  if (user.password !== undefined && !hash.startsWith('$6$')) throw new Error('crypt(3) did not produce a sha512-crypt hash');
  // Every account keeps its name but gets a '*' hash: valid for key logins, no password.
  const shadow = passwd.map((l) => `${l.split(':')[0]}:*:19000:0:99999:7:::`);
  const sudoLine =
    user.sudo === 'nopasswd'
      ? `${user.name} ALL=(ALL:ALL) NOPASSWD: ALL`
      : user.sudo === 'password'
        ? `${user.name} ALL=(ALL:ALL) ALL`
        : '';
  return {
    uid,
    gid: uid,
    home,
    passwd: [...passwd, `${user.name}:x:${uid}:${uid}:Wireplan lab user:${home}:/bin/bash`, ''].join('\n'),
    group: [...group, `${user.name}:x:${uid}:`, ''].join('\n'),
    shadow: [...shadow, `${user.name}:${hash}:19000:0:99999:7:::`, ''].join('\n'),
    sudoers: [
      'Defaults env_reset',
      // No lecture: sudo would otherwise record "lectured" users under /var/lib/sudo on the real disk.
      'Defaults !lecture',
      'Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
      'root ALL=(ALL:ALL) ALL',
      sudoLine,
      '',
    ].join('\n'),
    // sudo resolves the host name; without this it warns on every call.
    hosts: `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n127.0.1.1 ${hostname}\n`,
  };
}
