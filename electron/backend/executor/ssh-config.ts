// OpenSSH client configuration, resolved the way `ssh` resolves it. Where an OpenSSH
// client exists, `ssh -G HOST` prints its fully resolved configuration (Match, Include,
// first-wins, tokens: exactly as ssh would connect). Without one, a parser of the subset
// Wireplan uses: Host blocks with wildcard and negated patterns, Include (with globs),
// first value wins, IdentityFile accumulates. `source` says which one answered.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new';

export interface ResolvedSshConfig {
  /** The name the config was resolved for (a Host alias or an address). */
  alias: string;
  hostname: string;
  user: string;
  port: number;
  /** In the order OpenSSH tries them (the defaults when the config names none), ~ expanded. */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** OpenSSH's ProxyJump text (`[user@]host[:port],...`), absent for none. */
  proxyJump?: string;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  connectTimeoutS?: number;
  /** 0: off in OpenSSH (Wireplan keeps its own keepalive then). */
  serverAliveIntervalS: number;
  serverAliveCountMax: number;
  /** Which resolver answered: OpenSSH's own `ssh -G`, or Wireplan's built-in parser. */
  source: 'ssh -G' | 'built-in parser';
  /** Lines worth showing (unsupported keywords the parser skipped, and the like). */
  notes: string[];
}

export interface SshConfigQuery {
  /** The destination as the user wrote it: an alias or an address. */
  host: string;
  /** Given explicitly (like `ssh -l`): wins over the config. */
  user?: string;
  /** Given explicitly (like `ssh -p`): wins over the config. */
  port?: number;
  /** `ssh -F FILE`: this file instead of ~/.ssh/config and the system-wide file. */
  configFile?: string;
  /** The ssh binary to ask; null forces the built-in parser; default: `ssh` on PATH. */
  sshBinary?: string | null;
  /** Home for ~ (default: the process's home). */
  home?: string;
  /** The system-wide file the parser reads after the user's (default /etc/ssh/ssh_config). */
  systemConfig?: string | null;
  localUser?: string;
}

const DEFAULT_IDENTITIES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ecdsa_sk', '~/.ssh/id_ed25519', '~/.ssh/id_ed25519_sk', '~/.ssh/id_xmss', '~/.ssh/id_dsa'];
const NAME_RE = /^[A-Za-z0-9_.:%[\]-]{1,253}$/;

export function expandTilde(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The OpenSSH client on PATH, if any. */
export async function findSshBinary(path = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir && (await executable(join(dir, 'ssh')))) return join(dir, 'ssh');
  }
  return undefined;
}

export async function resolveSshConfig(q: SshConfigQuery): Promise<ResolvedSshConfig> {
  // The name reaches ssh as one argv element after "--", but it still must look like a host name.
  if (!NAME_RE.test(q.host)) throw new Error(`"${q.host}" is not a host name or alias Wireplan will look up`);
  const bin = q.sshBinary === null ? undefined : (q.sshBinary ?? (await findSshBinary()));
  const home = q.home ?? homedir();
  if (bin) return resolveWithSsh(bin, q, home);
  return resolveWithParser(q, home);
}

function runSshG(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 10_000, maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    }).stdin?.end();
  });
}

async function resolveWithSsh(bin: string, q: SshConfigQuery, home: string): Promise<ResolvedSshConfig> {
  const args = ['-G'];
  if (q.configFile) args.push('-F', q.configFile);
  if (q.user !== undefined) args.push('-l', q.user);
  if (q.port !== undefined) args.push('-p', String(q.port));
  args.push('--', q.host);
  const out = await runSshG(bin, args);
  const values = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), m[2]!]);
  }
  const one = (k: string) => values.get(k)?.[0];
  return finish(
    {
      hostname: one('hostname'),
      user: one('user'),
      port: one('port'),
      identityFiles: values.get('identityfile') ?? [],
      identitiesOnly: one('identitiesonly'),
      proxyJump: one('proxyjump'),
      userKnownHostsFiles: one('userknownhostsfile')?.split(/\s+/),
      globalKnownHostsFiles: one('globalknownhostsfile')?.split(/\s+/),
      strictHostKeyChecking: one('stricthostkeychecking'),
      connectTimeout: one('connecttimeout'),
      serverAliveInterval: one('serveraliveinterval'),
      serverAliveCountMax: one('serveralivecountmax'),
    },
    q,
    home,
    'ssh -G',
    [],
  );
}

interface RawConfig {
  hostname?: string | undefined;
  user?: string | undefined;
  port?: string | undefined;
  identityFiles: string[];
  identitiesOnly?: string | undefined;
  proxyJump?: string | undefined;
  userKnownHostsFiles?: string[] | undefined;
  globalKnownHostsFiles?: string[] | undefined;
  strictHostKeyChecking?: string | undefined;
  connectTimeout?: string | undefined;
  serverAliveInterval?: string | undefined;
  serverAliveCountMax?: string | undefined;
}

function yes(v: string | undefined): boolean {
  return v !== undefined && /^(yes|true)$/i.test(v);
}

function strictOf(v: string | undefined): StrictHostKeyChecking {
  const s = (v ?? 'ask').toLowerCase();
  if (s === 'yes' || s === 'true') return 'yes';
  if (s === 'no' || s === 'false' || s === 'off') return 'no';
  if (s === 'accept-new') return 'accept-new';
  return 'ask';
}

function num(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function finish(raw: RawConfig, q: SshConfigQuery, home: string, source: ResolvedSshConfig['source'], notes: string[]): ResolvedSshConfig {
  const user = q.user ?? raw.user ?? q.localUser ?? userInfo().username;
  const port = q.port ?? num(raw.port) ?? 22;
  const hostname = raw.hostname ?? q.host;
  const tokens = (s: string) => expandTokens(s, { host: hostname, alias: q.host, port, user, home, localUser: q.localUser ?? userInfo().username });
  const files = (list: string[]) => list.filter((f) => f.toLowerCase() !== 'none').map((f) => expandTilde(tokens(f), home));
  const proxyJump = raw.proxyJump && raw.proxyJump.toLowerCase() !== 'none' ? raw.proxyJump : undefined;
  const connectTimeoutS = num(raw.connectTimeout);
  return {
    alias: q.host,
    hostname: tokens(hostname),
    user,
    port,
    identityFiles: files(raw.identityFiles.length ? raw.identityFiles : DEFAULT_IDENTITIES),
    identitiesOnly: yes(raw.identitiesOnly),
    ...(proxyJump ? { proxyJump } : {}),
    userKnownHostsFiles: files(raw.userKnownHostsFiles ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']),
    globalKnownHostsFiles: files(raw.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
    strictHostKeyChecking: strictOf(raw.strictHostKeyChecking),
    ...(connectTimeoutS ? { connectTimeoutS } : {}),
    serverAliveIntervalS: num(raw.serverAliveInterval) ?? 0,
    serverAliveCountMax: num(raw.serverAliveCountMax) ?? 3,
    source,
    notes,
  };
}

/** OpenSSH's %-tokens in IdentityFile, UserKnownHostsFile and HostName (the subset that needs no connection). */
function expandTokens(s: string, t: { host: string; alias: string; port: number; user: string; home: string; localUser: string }): string {
  return s.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'h':
        return t.host;
      case 'n':
        return t.alias;
      case 'p':
        return String(t.port);
      case 'r':
        return t.user;
      case 'd':
        return t.home;
      case 'u':
        return t.localUser;
      default:
        return all;
    }
  });
}

// ---------------------------------------------------------------- the built-in parser

const KEYS: Record<string, keyof RawConfig> = {
  hostname: 'hostname',
  user: 'user',
  port: 'port',
  identityfile: 'identityFiles',
  identitiesonly: 'identitiesOnly',
  proxyjump: 'proxyJump',
  userknownhostsfile: 'userKnownHostsFiles',
  globalknownhostsfile: 'globalKnownHostsFiles',
  stricthostkeychecking: 'strictHostKeyChecking',
  connecttimeout: 'connectTimeout',
  serveraliveinterval: 'serverAliveInterval',
  serveralivecountmax: 'serverAliveCountMax',
};

/** Splits a config line into keyword and arguments: `Key value`, `Key=value`, "quoted args". */
export function configWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  const s = line.trim();
  // The first separator may be "=" (with optional spaces around it).
  const kw = /^(\S+?)(\s*=\s*|\s+)/.exec(s);
  if (!kw) return s && !s.startsWith('#') ? [s] : [];
  if (kw[1]!.startsWith('#')) return [];
  words.push(kw[1]!);
  i = kw[0].length;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length || s[i] === '#') break;
    let w = '';
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      w = end < 0 ? s.slice(i + 1) : s.slice(i + 1, end);
      i = end < 0 ? s.length : end + 1;
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) w += s[i++];
    }
    words.push(w);
  }
  return words;
}

/** ssh_config pattern: `*` and `?` wildcards, case-insensitive like OpenSSH's match_pattern for hosts. */
export function patternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** A Host line's pattern list: matches when some positive pattern matches and no negated one does. */
export function hostPatternsMatch(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns.flatMap((x) => x.split(','))) {
    if (!p) continue;
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) matched = true;
  }
  return matched;
}

async function globPaths(pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    if (!part) continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?]/.test(part)) next.push(join(base, part));
      else {
        const names = await readdir(base).catch(() => [] as string[]);
        for (const n of names.sort()) if (!n.startsWith('.') && patternMatches(part, n)) next.push(join(base, n));
      }
    }
    bases = next;
  }
  return bases;
}

interface ParseState {
  raw: RawConfig;
  seen: Set<keyof RawConfig>;
  notes: string[];
  depth: number;
}

async function parseFile(file: string, state: ParseState, name: string, home: string, relBase: string, required: boolean): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (required) throw new Error(`cannot read ssh config ${file}: ${(e as Error).message}`);
    return;
  }
  let active = true; // lines before the first Host/Match apply to every host
  for (const line of text.split(/\r?\n/)) {
    const words = configWords(line);
    if (words.length === 0) continue;
    const key = words[0]!.toLowerCase();
    const args = words.slice(1);
    if (key === 'host') {
      active = hostPatternsMatch(args, name);
      continue;
    }
    if (key === 'match') {
      const crit = args.map((a) => a.toLowerCase());
      if (crit.length === 1 && crit[0] === 'all') active = true;
      else if (crit.length === 2 && (crit[0] === 'host' || crit[0] === 'originalhost')) active = hostPatternsMatch([args[1]!], name);
      else {
        active = false;
        state.notes.push(`${file}: "Match ${args.join(' ')}" is not understood without an OpenSSH client; its block was skipped`);
      }
      continue;
    }
    if (!active) continue;
    if (key === 'include') {
      if (state.depth >= 16) throw new Error(`${file}: Include nested too deeply`);
      for (const arg of args) {
        const path = expandTilde(arg, home);
        const full = isAbsolute(path) ? path : join(relBase, path);
        for (const f of await globPaths(full)) await parseFile(f, { ...state, depth: state.depth + 1 }, name, home, relBase, false);
      }
      continue;
    }
    const field = KEYS[key];
    if (!field || args.length === 0) continue;
    if (field === 'identityFiles') {
      state.raw.identityFiles.push(args[0]!);
      continue;
    }
    if (state.seen.has(field)) continue; // the first obtained value wins
    state.seen.add(field);
    if (field === 'userKnownHostsFiles' || field === 'globalKnownHostsFiles') state.raw[field] = args;
    else (state.raw as unknown as Record<string, string>)[field] = args[0]!;
  }
}

export async function resolveWithParser(q: SshConfigQuery, home = q.home ?? homedir()): Promise<ResolvedSshConfig> {
  const state: ParseState = { raw: { identityFiles: [] }, seen: new Set(), notes: [], depth: 0 };
  if (q.configFile) {
    await parseFile(q.configFile, state, q.host, home, join(home, '.ssh'), true);
  } else {
    await parseFile(join(home, '.ssh', 'config'), state, q.host, home, join(home, '.ssh'), false);
    const system = q.systemConfig === undefined ? '/etc/ssh/ssh_config' : q.systemConfig;
    if (system) await parseFile(system, state, q.host, home, dirname(system), false);
  }
  return finish(state.raw, q, home, 'built-in parser', state.notes);
}
