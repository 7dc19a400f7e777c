// `wireplan hosts list|add|rm|test`: the server inventory (hosts.json in Wireplan's config
// folder, apart from designs). `test` logs in the way apply would (ssh config, jump hosts,
// known_hosts) and records the host key fingerprint it trusted.
import { sshExecutor } from '../../backend/live/cli-login';
import { Inventory, inventoryPath, type InventoryEntry } from '../../backend/inventory/inventory';
import { defaultConfigDir } from '../../backend/service/paths';
import { parseArgs, UsageError } from '../args';
import { EXIT } from '../io';
import { forgetServerKey, recordServerKey, serverEndpoint } from '../../backend/inventory/server-keys';
import { configFiles } from '../../backend/service/paths';
import { confirm, interactive, type PromptIo } from './apply-targets';
import { cliLogin, LOGIN_OPTIONS } from '../login-args';
import { parseSshSpec } from '../ssh-spec';

export const hostsHelp = `usage: wireplan hosts list [--json]
       wireplan hosts add NAME [USER@]ADDRESS-OR-ALIAS[:PORT] [-J JUMPS] [-i KEYFILE] [--sudo none|nopasswd|password] [--replace]
       wireplan hosts rm NAME
       wireplan hosts test NAME [-F FILE] [--known-hosts FILE] [--trust-new-host-key] [--verbose]
       wireplan hosts forget NAME [-F FILE] [--known-hosts FILE] [--yes]

The server inventory: lab servers kept in Wireplan's config folder (hosts.json), apart from
designs. A server given without user and port is resolved through the ssh config like
\`ssh NAME\` (an alias works); \`test\` logs in as apply would and records the host key
fingerprint it trusted.
  -J JUMPS                jump hosts, [USER@]JUMP[:PORT],... (as ssh -J)
  -i KEYFILE              the key to log in with (default: as ssh: agent, then the config's keys)
  --sudo MODE             none (log in as root), nopasswd, or password (sudo asks for one)
  --replace               replace a server of the same name
  --yes                   forget: no question (required without a terminal)
  --json                  list as JSON`;

const OPTIONS = [...LOGIN_OPTIONS, { name: 'json' }, { name: 'replace' }, { name: 'sudo', value: true }, { name: 'yes' }];

function describe(e: InventoryEntry): string {
  const who = `${e.user ? `${e.user}@` : ''}${e.target}${e.port ? `:${e.port}` : ''}`;
  return `${e.name}\t${who}${e.jump ? `\tvia ${e.jump}` : ''}${e.keyPath ? `\tkey ${e.keyPath}` : ''}\tsudo ${e.sudo}${e.fingerprints.length ? `\t${e.fingerprints.join(' ')}` : ''}`;
}

const KNOWN = /host key (\S+) (SHA256:[A-Za-z0-9+/]{43}) matches/;
const TRUSTED = /trusted new host key (\S+) (SHA256:[A-Za-z0-9+/]{43})/;

export async function hostsCommand(argv: string[], io: PromptIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const [verb, ...rest] = args.positional;
  const inventory = new Inventory(inventoryPath(defaultConfigDir()));
  try {
    switch (verb) {
      case 'list': {
        const hosts = await inventory.list();
        if (args.flags.has('json')) io.out(JSON.stringify(hosts, null, 2));
        else if (hosts.length === 0) io.out(`no servers in the inventory (${inventory.path}); add one with: wireplan hosts add NAME ADDRESS`);
        else for (const h of hosts) io.out(describe(h));
        return EXIT.ok;
      }
      case 'add': {
        const [name, where] = rest;
        if (!name || !where || rest.length > 2) throw new UsageError('usage: wireplan hosts add NAME [USER@]ADDRESS-OR-ALIAS[:PORT]');
        const spec = parseSshSpec(where, `hosts add ${name} ${where}`);
        const sudo = args.values.get('sudo')?.[0];
        if (sudo !== undefined && !['none', 'nopasswd', 'password'].includes(sudo)) throw new UsageError('--sudo takes none, nopasswd or password');
        const jump = args.values.get('jump')?.[0];
        const keyPath = args.values.get('identity')?.[0];
        const e = await inventory.add(
          {
            name,
            target: spec.address,
            ...(spec.user !== undefined ? { user: spec.user } : {}),
            ...(spec.port !== undefined ? { port: spec.port } : {}),
            ...(jump ? { jump } : {}),
            ...(keyPath ? { keyPath } : {}),
            ...(sudo ? { sudo: sudo as InventoryEntry['sudo'] } : {}),
          },
          args.flags.has('replace'),
        );
        io.out(`added ${describe(e)}`);
        return EXIT.ok;
      }
      case 'rm': {
        const [name] = rest;
        if (!name || rest.length > 1) throw new UsageError('usage: wireplan hosts rm NAME');
        if (!(await inventory.remove(name))) {
          io.err(`no server named "${name}" in the inventory`);
          return EXIT.findings;
        }
        io.out(`removed ${name}`);
        return EXIT.ok;
      }
      case 'test': {
        const [name] = rest;
        if (!name || rest.length > 1) throw new UsageError('usage: wireplan hosts test NAME');
        const e = await inventory.get(name);
        if (!e) {
          io.err(`no server named "${name}" in the inventory`);
          return EXIT.findings;
        }
        const seen: string[] = [];
        const login = { ...cliLogin(args, io), log: (l: string) => seen.push(l) };
        const byConfig = e.user === undefined && e.port === undefined;
        const started = performance.now();
        let ex;
        try {
          ex = await sshExecutor({ user: e.user ?? 'root', address: e.target, port: e.port ?? 22, ...(byConfig ? { alias: true } : {}), ...(e.jump ? { jump: e.jump } : {}) }, login, e.keyPath);
          const who = await ex.run('id -un', { timeoutMs: 30_000 });
          if (who.code !== 0) throw new Error(`logged in, but running a command failed: ${who.stderr.trim()}`);
        } catch (err) {
          io.err(`${name}: ${(err as Error).message}`);
          return EXIT.findings;
        } finally {
          await ex?.close();
        }
        const own = seen.filter((l) => !/ jump \d+ /.test(l));
        const key = own.map((l) => KNOWN.exec(l) ?? TRUSTED.exec(l)).find((m) => m);
        io.out(`${name}: ok, ${ex.describe()} in ${Math.round(performance.now() - started)} ms${key ? `; host key ${key[1]} ${key[2]}` : ''}`);
        if (key) await recordServerKey(inventory, name, key[2]!);
        return EXIT.ok;
      }
      case 'forget': {
        // Forgets the host key trusted for this server (Wireplan's known_hosts and the
        // inventory's fingerprints), after a confirmation: the next connection asks again.
        const [name] = rest;
        if (!name || rest.length > 1) throw new UsageError('usage: wireplan hosts forget NAME');
        const e = await inventory.get(name);
        if (!e) {
          io.err(`no server named "${name}" in the inventory`);
          return EXIT.findings;
        }
        const sshConfig = args.values.get('ssh-config')?.[0];
        const c = await serverEndpoint(e, sshConfig);
        const file = args.values.get('known-hosts')?.[0] ?? configFiles(defaultConfigDir()).knownHosts;
        const what = `the trusted host key(s) of ${name} (${c.hostname}:${c.port}) in ${file}`;
        if (!args.flags.has('yes')) {
          if (!interactive(io)) throw new UsageError(`forgetting ${what} needs a confirmation: pass --yes`);
          if (!(await confirm(io, `Forget ${what}? The next connection will show the key again and trust nothing until you approve it.`))) return EXIT.usage;
        }
        const forgot = await forgetServerKey(inventory, name, file, sshConfig);
        if (!forgot.ok) {
          io.err(forgot.error);
          return EXIT.findings;
        }
        const removed = forgot.removed;
        io.out(`${name}: forgot ${removed} trusted key line(s) for ${c.hostname}:${c.port}`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(verb ? `unknown hosts command "${verb}" (list, add, rm, test, forget)` : hostsHelp);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err((e as Error).message);
    return EXIT.usage;
  }
}

export const hostsSubcommand = { summary: 'the server inventory: list, add, rm, test lab servers kept apart from designs, forget their keys', help: hostsHelp, run: hostsCommand };
