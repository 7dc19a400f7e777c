// `wireplan check FILE`: the connectivity check. Derives from the design which namespace
// should reach which address and port (and which must not), runs ping and TCP probes
// inside the namespaces on the hosts, and prints expected vs actual with each mismatch
// explained from the host's live state. Exit 1 on any mismatch.
import { compile } from '../../../shared/compile/compile';
import { hostScript } from '../../../shared/export/script';
import { shellCommand } from '../../../shared/export/quote';
import type { Design, Host } from '../../../shared/model/schema';
import { formatReport } from '../../../shared/reach/format';
import { runCheck } from '../../backend/check/run-check';
import { isExecutorError, type HostExecutor } from '../../backend/executor';
import { startSandboxFor } from '../../backend/executor/sandbox-executor';
import { sshExecutor } from '../../backend/live/cli-login';
import { UsageError, parseArgs } from '../args';
import { CREDENTIAL_HELP } from '../credentials';
import { cliLogin, LOGIN_OPTIONS } from '../login-args';
import { effectiveTarget } from '../../backend/inventory/effective-target';
import { parseHostOverride } from '../ssh-spec';
import { EXIT, type CliIo } from '../io';
import { loadOrReport } from './load';
import { formatDiagnostic } from './validate';

export const checkHelp = `usage: wireplan check FILE [--host NAME]... [--ssh NAME=user@addr[:port]]... [-i KEY]
                      [--known-hosts FILE] [--trust-new-host-key] [--max-probes N] [--verbose] [--json]

Connectivity check: from the design, derives which namespace (and host root namespace)
should reach which address, published port and policy-guarded port, and which must
not, with the reason; runs the probes on the hosts (ping, and TCP connects to short-lived
listeners started in the destination namespaces; nothing is installed) and prints
expected vs actual. Each mismatch is explained from the host's live state: a missing
route or address, forwarding off, an interface down, a firewall rule missing or extra.

The design must already be applied (wireplan export FILE > up.sh; bash up.sh up, or the
app's Apply). Hosts of kind "sandbox" are a private throwaway namespace of this process:
check builds the design's exported script there first (each NIC of the host becomes a
veth pair), checks it, and discards it.

  --host NAME          check only probes from this host (id or name); may be repeated
  --ssh NAME=user@addr[:port]
                       reach host NAME (id or name) at this address instead of the one
                       in the design; may be repeated
  -i, --identity KEY   private key for SSH logins (default: the design's key file, an
                       ssh-agent, or ~/.ssh/id_ed25519, id_ecdsa, id_rsa)
  --known-hosts FILE   Wireplan's known_hosts (default: the app's); ~/.ssh/known_hosts
                       is read too
  --trust-new-host-key accept and record a host key seen for the first time
${CREDENTIAL_HELP}
  --max-probes N       at most N probes (default 400); bigger designs are sampled
  --verbose            the full reason chain of every probe
  --json               the whole report as JSON

exit status: 0 everything as designed, 1 a mismatch (or a host could not be checked),
2 usage, unreadable file, or a design with errors`;

/** A fresh sandbox with stand-ins for the host's NICs (a veth each into a hidden outside namespace) and the design applied by its exported script. */
async function sandboxWithDesign(design: Design, host: Host, io: CliIo): Promise<HostExecutor> {
  const exec = await startSandboxFor(design, host);
  try {
    const c = compile(design);
    const plan = c.ok ? c.plan.hosts.find((h) => h.host.id === host.id) : undefined;
    if (!c.ok || !plan) throw new Error('the design does not compile');
    const up = await exec.run(shellCommand(['bash', '-s', '--', 'up']), { stdin: hostScript(c.plan, plan), timeoutMs: 120_000 });
    if (up.code !== 0) throw new Error(`"up" failed in the sandbox: ${(up.stderr || up.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    io.err(`host ${host.name}: sandbox built from the exported script (${plan.steps.length} steps)`);
    return exec;
  } catch (e) {
    await exec.close();
    throw e;
  }
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'host', value: true, repeat: true },
    { name: 'ssh', value: true, repeat: true },
    ...LOGIN_OPTIONS,
    { name: 'max-probes', value: true },
    { name: 'verbose' },
    { name: 'json' },
  ]);
  if (args.positional.length !== 1) {
    io.err(checkHelp);
    return EXIT.usage;
  }
  const overrides = (args.values.get('ssh') ?? []).map(parseHostOverride);
  const maxText = args.values.get('max-probes')?.[0];
  const maxProbes = maxText === undefined ? undefined : Number(maxText);
  if (maxProbes !== undefined && (!Number.isInteger(maxProbes) || maxProbes < 1)) throw new UsageError('--max-probes wants a positive whole number');

  const design = await loadOrReport(args.positional[0], io);
  if (!design) return EXIT.usage;
  const compiled = compile(design);
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) io.err(formatDiagnostic(d));
    io.err('the design has errors; fix them before checking it (wireplan validate FILE)');
    return EXIT.usage;
  }
  const byName = (n: string) => design.hosts.find((h) => h.id === n || h.name === n);
  const wanted = args.values.get('host') ?? [];
  for (const n of [...wanted, ...overrides.map((o) => o.name)]) {
    if (!byName(n)) {
      io.err(`no host "${n}" in this design (hosts: ${design.hosts.map((h) => h.name).join(', ') || 'none'})`);
      return EXIT.usage;
    }
  }
  const selected = wanted.length ? design.hosts.filter((h) => wanted.some((w) => byName(w) === h)) : design.hosts;

  const login = cliLogin(args, io);
  const executors = new Map<string, HostExecutor>();
  const failed: string[] = [];
  try {
    for (const host of selected) {
      const o = overrides.find((x) => byName(x.name) === host)?.spec;
      try {
        if (!o && host.target.kind === 'sandbox') {
          executors.set(host.id, await sandboxWithDesign(design, host, io));
          continue;
        }
        // What --ssh leaves out comes from the host's own target, as for apply.
        const own = host.target.kind === 'ssh' ? await effectiveTarget(host.target) : undefined;
        const address = o?.address ?? own?.address;
        if (!address) throw new Error(`it is a sandbox host; give --ssh ${host.name}=USER@ADDRESS to reach a real one`);
        const alias = { ...(!o && own?.alias ? { alias: true } : {}), ...(own?.jump ? { jump: own.jump } : {}) };
        const t = { user: o?.user ?? own?.user ?? 'root', address: !o && own?.alias ? own.alias : address, port: o?.port ?? own?.port ?? 22, ...alias };
        const exec = await sshExecutor(t, login, own?.keyPath);
        executors.set(host.id, exec);
        // Connect (and verify the host key) now, so a refusal reads as such, not as a failed probe.
        const id = await exec.run('id -u', { timeoutMs: 30_000 });
        if (id.code !== 0) throw new Error(`cannot run commands: ${id.stderr.trim()}`);
      } catch (e) {
        const message = isExecutorError(e) || e instanceof Error ? e.message : String(e);
        failed.push(`host ${host.name}: ${message}`);
        await executors.get(host.id)?.close();
        executors.delete(host.id);
      }
    }
    for (const f of failed) io.err(f);
    if (executors.size === 0) {
      io.err('no host could be reached; nothing was checked');
      return EXIT.findings;
    }
    const result = await runCheck(design, executors, {
      hosts: [...executors.keys()],
      ...(maxProbes !== undefined ? { maxProbes } : {}),
      log: (line) => io.err(line),
    });
    if (!result.ok) {
      for (const d of result.diagnostics) io.err(formatDiagnostic(d));
      return EXIT.usage;
    }
    const report = result.report;
    for (const f of failed) report.notes.push(`not checked: ${f}`);
    if (args.flags.has('json')) io.out(JSON.stringify(report, null, 2));
    else io.out(formatReport(report, { verbose: args.flags.has('verbose') }));
    return report.summary.disagree > 0 || failed.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    await Promise.all([...executors.values()].map((e) => e.close().catch(() => undefined)));
  }
}

export const checkSubcommand = {
  summary: 'run ping/TCP probes on the hosts and compare with the reachability the design implies',
  help: checkHelp,
  run: checkCommand,
};
