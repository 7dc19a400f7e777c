// How the CLI reaches each host of a design: SSH targets (with --ssh/-i/--known-hosts
// overrides, host-key consent, and the key passphrase / sudo password from the terminal
// or a file: ../credentials.ts), or a local sandbox. Shared by apply, destroy and diff.
import { createInterface } from 'node:readline/promises';
import { sharedExecutor, type HostTarget } from '../../backend/apply';
import { startSandboxFor } from '../../backend/executor/sandbox-executor';
import { isExecutorError, SshExecutor, type HostExecutor, type SshExecutorOptions } from '../../backend/executor';
import { configFiles, defaultConfigDir } from '../../backend/service/paths';
import { describeResolution, openSshLogin } from '../../backend/executor/openssh-login';
import { effectiveTarget } from '../../backend/inventory/effective-target';
import { hostServer, nopasswdRefused, sudoModeLoginError } from '../../backend/inventory/sudo-mode';
import type { Design, Host } from '../../../shared/model/schema';
import { UsageError, type OptionSpec, type ParsedArgs } from '../args';
import { CREDENTIAL_HELP, CREDENTIAL_OPTIONS, Credentials, type SecretIo } from '../credentials';
import { terminalSafe } from '../io';
import { parseHostOverride, type SshSpec } from '../ssh-spec';

export const TARGET_OPTIONS: OptionSpec[] = [
  { name: 'host', value: true, repeat: true },
  { name: 'ssh', value: true, repeat: true },
  { name: 'identity', short: 'i', value: true },
  { name: 'ssh-config', short: 'F', value: true },
  { name: 'jump', short: 'J', value: true },
  { name: 'verbose' },
  { name: 'known-hosts', value: true },
  { name: 'trust-new-host-key' },
  ...CREDENTIAL_OPTIONS,
];

export const TARGET_HELP = `  --host NAME             only this host (id or name); may be repeated
  --ssh NAME=[USER@]ADDRESS[:PORT]   reach host NAME over SSH there (IPv6: [ADDR]:PORT)
  -i KEYFILE              private key for SSH, used alone (default: the host's keyPath; else as
                          ssh would: the ssh-agent, then the ssh config's IdentityFiles or ~/.ssh/id_*)
  -F FILE                 ssh config file (default ~/.ssh/config and /etc/ssh/ssh_config), read
                          with \`ssh -G\` where an ssh client exists, else by Wireplan's own parser
  -J [USER@]JUMP[:PORT],...   reach the hosts through these jump hosts (as ssh -J; default: the
                          host's jump setting, else the ssh config's ProxyJump)
  --verbose               say how each host's ssh config was resolved, and by which resolver
  --known-hosts FILE      Wireplan's known_hosts (default: in the config dir); ~/.ssh/known_hosts is read too
  --trust-new-host-key    trust a host key seen for the first time (else asked on a terminal, refused otherwise)
${CREDENTIAL_HELP}`;

/** The CLI's terminal: interactive questions only when both ends are a TTY. */
export interface PromptIo extends SecretIo {
  ask?(question: string): Promise<string>;
}

export function interactive(io: PromptIo): boolean {
  return io.isTTY ?? (io.ask === undefined && process.stdin.isTTY === true && process.stderr.isTTY === true);
}

export async function ask(io: PromptIo, question: string): Promise<string> {
  // Questions name hosts from the design file: shown with control characters escaped.
  const safe = terminalSafe(question);
  if (io.ask) return io.ask(safe);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(safe);
  } finally {
    rl.close();
  }
}

export async function confirm(io: PromptIo, question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(io, `${question} [y/N] `)).trim());
}

export interface Targets {
  targets: Map<string, HostTarget>;
  describe(hostId: string): string;
  close(): Promise<void>;
}

export async function buildTargets(design: Design, hostIds: readonly string[], args: ParsedArgs, io: PromptIo): Promise<Targets> {
  const overrides = new Map<string, SshSpec>();
  for (const o of args.values.get('ssh') ?? []) {
    const { name, spec: ov } = parseHostOverride(o);
    const h = design.hosts.find((x) => x.id === name || x.name === name);
    if (!h) throw new UsageError(`--ssh ${o}: no host "${name}" in this design`);
    overrides.set(h.id, ov);
  }
  const knownHostsPath = args.values.get('known-hosts')?.[0] ?? configFiles(defaultConfigDir()).knownHosts;
  const identity = args.values.get('identity')?.[0];
  const sshConfig = args.values.get('ssh-config')?.[0];
  const jump = args.values.get('jump')?.[0];
  const explain = args.flags.has('verbose') ? (line: string) => io.err(line) : undefined;
  const trustFlag = args.flags.has('trust-new-host-key');
  const creds = new Credentials(args, io);
  const opened: HostExecutor[] = [];
  const targets = new Map<string, HostTarget>();
  const labels = new Map<string, string>();
  const close = async () => {
    await Promise.all(opened.map((e) => e.close().catch(() => undefined)));
  };
  try {
    for (const id of hostIds) {
      const host = design.hosts.find((h) => h.id === id)!;
      const ov = overrides.get(id);
      if (!ov && host.target.kind === 'sandbox') {
        const sb = await startSandboxFor(design, host, host.name);
        opened.push(sb);
        targets.set(id, { executor: sb, fresh: async () => sharedExecutor(sb) });
        labels.set(id, `${sb.describe()} (lives only while this command runs)`);
        continue;
      }
      let opts = await sshOptions(host, ov, { identity, sshConfig, jump, explain, knownHostsPath, trustFlag, io, creds });
      const make = () => {
        const ex = new SshExecutor(opts);
        opened.push(ex);
        return ex;
      };
      let ex = make();
      if (opts.sudo) {
        // Find out now whether sudo wants a password, so it is asked for (or its absence
        // explained) before anything runs; the connection is the one the command then uses.
        const needed = await sudoProblem(ex);
        const server = needed ? await hostServer(host) : undefined;
        if (needed && server?.mode === 'nopasswd') throw new UsageError(`host "${host.name}": ${nopasswdRefused(server.name, needed)}`);
        if (needed && typeof opts.sudo !== 'object') {
          opts = { ...opts, sudo: { password: await creds.sudoPassword(`${opts.username}@${opts.host}`, needed) } };
          await ex.close();
          ex = make();
          const still = await sudoProblem(ex);
          if (still) throw new UsageError(still);
        } else if (needed) throw new UsageError(needed);
      }
      targets.set(id, { executor: ex, fresh: async () => make() });
      labels.set(id, ex.describe());
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { targets, describe: (id) => labels.get(id) ?? id, close };
}

/** Why this login cannot become root through sudo (a password missing or refused); undefined when it can, or when the host could not be reached (reported later, per host). */
async function sudoProblem(ex: SshExecutor): Promise<string | undefined> {
  try {
    await ex.preflightSudo();
    return undefined;
  } catch (e) {
    if (isExecutorError(e) && e.kind === 'SudoRequired' && /password/.test(e.message)) return e.message;
    return undefined;
  }
}

async function sshOptions(
  host: Host,
  ov: SshSpec | undefined,
  c: { identity: string | undefined; sshConfig: string | undefined; jump: string | undefined; explain: ((line: string) => void) | undefined; knownHostsPath: string; trustFlag: boolean; io: PromptIo; creds: Credentials },
): Promise<SshExecutorOptions> {
  const t = host.target.kind === 'ssh' ? await effectiveTarget(host.target).catch((e: Error) => {
    throw new UsageError(`host "${host.name}": ${e.message}`);
  }) : undefined;
  // A design host named by ssh config alias takes HostName, User and Port from the config
  // (as `ssh ALIAS` does); otherwise the given user and port win, as `ssh -l U -p P` does.
  const byAlias = !ov && !!t?.alias;
  const address = byAlias ? t!.alias : (ov?.address ?? t?.address);
  if (!address) throw new UsageError(`host "${host.name}" is a sandbox; give --ssh ${host.name}=USER@ADDRESS to reach a real one`);
  let resolved: Awaited<ReturnType<typeof openSshLogin>>;
  try {
    resolved = await openSshLogin({
      host: address,
      ...(byAlias ? {} : { user: ov?.user ?? t?.user ?? 'root', port: ov?.port ?? t?.port ?? 22 }),
      ...(c.sshConfig ? { configFile: c.sshConfig } : {}),
      ...((c.jump ?? t?.jump) ? { jump: (c.jump ?? t?.jump)! } : {}),
      ...((c.identity ?? t?.keyPath) ? { identity: (c.identity ?? t?.keyPath)! } : {}),
      passphrase: (path) => c.creds.passphrase(path),
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`host "${host.name}": ${(e as Error).message}`);
  }
  c.explain?.(`${host.name}: ${describeResolution(resolved.config)}`);
  const o = resolved.options;
  const user = o.username;
  const io = c.io;
  const strict = resolved.strictHostKeyChecking;
  // An inventory entry's sudo mode holds: "none" takes root only, "nopasswd" is never sent a password.
  const server = await hostServer(host);
  const wrong = server && sudoModeLoginError(server.name, server.mode, user);
  if (wrong) throw new UsageError(`host "${host.name}": ${wrong}`);
  return {
    ...o,
    knownHostsPath: c.knownHostsPath,
    sudo: user === 'root' ? false : c.creds.sudoGiven && server?.mode !== 'nopasswd' ? { password: await c.creds.sudoPassword(`${user}@${o.host}`) } : true,
    trustNewHostKey:
      c.trustFlag || strict === 'accept-new' || strict === 'no'
        ? true
        : strict !== 'yes' && interactive(io)
          ? (key) => confirm(io, `Host ${host.name} (${o.host}) offers an unknown ${key.keyType} key ${key.fingerprint}. Trust it and continue?`)
          : false,
  };
}
