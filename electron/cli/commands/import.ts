// wireplan import --ssh user@address[:port] | --sandbox -o FILE: a design built from what
// an existing host really has. Whatever import cannot model is listed, with the reason.
import { access } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { serializeDesign } from '../../../shared/model/parse';
import { DESIGN_TAG } from '../../../shared/model/identifiers';
import { shellQuoteMessage } from '../../../shared/observe/display';
import type { ImportOptions } from '../../../shared/observe/import';
import { writeFileAtomic } from '../../backend/atomicWrite';
import { SandboxExecutor, type HostExecutor } from '../../backend/executor';
import { sshExecutor } from '../../backend/live/cli-login';
import { importFromHost } from '../../backend/live/snapshot';
import { parseArgs, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { formatDiagnostic } from './validate';
import { importClab } from './import-clab';
import { CREDENTIAL_HELP } from '../credentials';
import { cliLogin, LOGIN_OPTIONS } from '../login-args';
import { parseSshSpec } from '../ssh-spec';

export const importHelp = `usage: wireplan import --ssh USER@ADDRESS[:PORT] [-i KEY] [--known-hosts FILE]
                       [--trust-new-host-key] -o FILE [--name NAME] [--tag TAG] [--force] [--json]
       wireplan import --sandbox -o FILE [--json]
       wireplan import --clab FILE.clab.yml -o FILE [--name NAME] [--tag TAG] [--force] [--json]

Reads an existing host (one ip process per network namespace, nft, iptables-save and
the forwarding sysctls) and writes a design with a readable layout: namespaces,
bridges, veth pairs (matched across namespaces), macvlan, VLAN and VXLAN interfaces,
addresses, routes, masquerade, port forwards (DNAT) and forwarding policies. Anything it
cannot model (interfaces of other kinds, names a design cannot use, rules it does not
understand, policy routing...) is listed, never dropped silently.

  --ssh USER@ADDRESS[:PORT]  the host to read (IPv6: USER@[ADDRESS]:PORT)
  --sandbox            read a fresh local sandbox instead (a private network namespace)
  --clab FILE          read a containerlab topology instead (- for standard input):
                       linux nodes become namespaces (their exec lines' addresses, MTU,
                       MAC, routes and forwarding), bridge nodes bridges, veth links veth
                       pairs, host:IF an end in the root namespace; a Wireplan export's
                       header restores its interface names. Everything else is listed.
  -o, --output FILE    where to write the design (NAME.wireplan.json)
  --name NAME          the design's name (default "Imported from ADDRESS")
  --tag TAG            the design's tag (default: the tag of Wireplan objects found on
                       the host, else "imported")
  --force              overwrite FILE if it exists
  --json               print one summary object on stdout: {"ok", "exit", "output", "host",
                       "counts", "notes", "diagnostics"} (also when the host cannot be read)
  -i, --identity KEY   private key (default: the ssh-agent, or ~/.ssh/id_*)
  --known-hosts FILE   known_hosts to check the host key against (default Wireplan's own)
  --trust-new-host-key trust a host key seen for the first time (and record it)
${CREDENTIAL_HELP}

exit status: 0 written and valid, 1 written but the design needs edits (its problems are
printed), 2 usage, 3 the host could not be read`;

const EXIT_UNREACHABLE = 3;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'ssh', value: true },
    { name: 'sandbox' },
    { name: 'clab', value: true },
    { name: 'output', short: 'o', value: true },
    { name: 'name', value: true },
    { name: 'tag', value: true },
    { name: 'force' },
    { name: 'json' },
    ...LOGIN_OPTIONS,
  ]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positional[0])}`);
  const sshText = args.values.get('ssh')?.[0];
  const sandbox = args.flags.has('sandbox');
  const clab = args.values.get('clab')?.[0];
  if ([sshText !== undefined, sandbox, clab !== undefined].filter(Boolean).length !== 1) throw new UsageError('give exactly one of --ssh USER@ADDRESS[:PORT], --sandbox and --clab FILE');
  const output = args.values.get('output')?.[0];
  if (!output) throw new UsageError('missing -o FILE');
  const tag = args.values.get('tag')?.[0];
  if (tag !== undefined && !DESIGN_TAG.test(tag)) throw new UsageError('--tag must be a lower-case letter followed by up to 11 letters or digits');
  if (!args.flags.has('force') && (await exists(output))) {
    io.err(`${output} exists; use --force to overwrite it`);
    return EXIT.usage;
  }
  if (clab !== undefined) {
    const name = args.values.get('name')?.[0];
    return importClab({ file: clab, output, json: args.flags.has('json'), ...(tag !== undefined ? { tag } : {}), ...(name !== undefined ? { name } : {}) }, io);
  }
  const given = sshText !== undefined ? parseSshSpec(sshText) : undefined;
  const spec = given && { user: given.user ?? 'root', address: given.address, port: given.port ?? 22 };

  let executor: HostExecutor | undefined;
  const opts: ImportOptions = {};
  const name = args.values.get('name')?.[0];
  if (name !== undefined) opts.name = name;
  if (tag !== undefined) opts.tag = tag;
  try {
    if (spec) {
      const identity = args.values.get('identity')?.[0];
      executor = await sshExecutor(spec, cliLogin(args, io));
      opts.target = { kind: 'ssh', address: spec.address, port: spec.port, user: spec.user, ...(identity ? { keyPath: identity } : {}) };
      opts.hostName = spec.address;
      opts.managementAddress = isIP(spec.address) ? spec.address : await lookup(spec.address).then((r) => r.address, () => spec.address);
    } else {
      executor = await SandboxExecutor.start({ name: 'import' });
      opts.target = { kind: 'sandbox' };
      opts.hostName = 'sandbox';
    }
    const json = args.flags.has('json');
    let result;
    try {
      result = await importFromHost(executor, opts);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (json) io.out(JSON.stringify({ type: 'import', ok: false, exit: EXIT_UNREACHABLE, host: executor.describe(), error: message }));
      else io.err(`cannot read ${executor.describe()}: ${shellQuoteMessage(message)}`);
      return EXIT_UNREACHABLE;
    }
    await writeFileAtomic(output, serializeDesign(result.design), 0o644);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (json) {
      const exit = errors.length ? EXIT.findings : EXIT.ok;
      io.out(JSON.stringify({ type: 'import', ok: exit === EXIT.ok, exit, output, host: executor.describe(), counts: result.counts, notes: result.notes, diagnostics: result.diagnostics }));
      return exit;
    }
    const c = result.counts;
    io.out(
      `wrote ${output}: ${c['namespaces']} namespaces, ${c['bridges']} bridges, ${c['veths']} veth pairs, ${c['macvlans']} macvlan/ipvlan, ${c['vlans']} vlans, ${c['vxlans']} vxlans, ${c['routes']} routes, ${c['masquerades']} masquerades, ${c['portForwards']} port forwards, ${c['policies']} policies`,
    );
    const warnings = result.notes.filter((n) => n.level === 'warning');
    if (result.notes.length) {
      io.out(`not imported or changed (${warnings.length} warnings, ${result.notes.length - warnings.length} notes):`);
      for (const n of result.notes) io.out(`  ${n.level}: ${shellQuoteMessage(n.message)}`);
    }
    if (errors.length) {
      for (const d of errors) io.err(formatDiagnostic(d));
      io.err('the imported design has errors: edit it before applying it (wireplan validate FILE)');
      return EXIT.findings;
    }
    return EXIT.ok;
  } finally {
    await executor?.close().catch(() => undefined);
  }
}

export const importSubcommand = { summary: "build a design from an existing host's real state", help: importHelp, run: importCommand };
