import { hostScript } from '../../../shared/export/script';
import { writeFileAtomic } from '../../backend/atomicWrite';
import { parseArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { compileOrReport, loadOrReport, selectHosts } from './load';

export const exportHelp = `usage: wireplan export FILE [--host NAME] [-o OUT]

Writes a standalone bash script for one host: "up" builds the network (safe to run
again), "down" removes only what "up" created and restores changed sysctls, "status"
shows what is present, "plan" prints the commands. It needs only bash, iproute2 and
nftables on the host.

  --host NAME   the host (id or name); required when the design has several
  -o, --output OUT   write to OUT (mode 0755) instead of standard output

exit status: 0 ok, 1 the design has errors, 2 usage or unreadable file`;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [{ name: 'host', value: true }, { name: 'output', short: 'o', value: true }]);
  if (args.positional.length !== 1) {
    io.err(exportHelp);
    return EXIT.usage;
  }
  const design = await loadOrReport(args.positional[0], io);
  if (!design) return EXIT.usage;
  const plan = compileOrReport(design, io, 'fix them before exporting');
  if (!plan) return EXIT.findings;
  const wanted = args.values.get('host');
  if (!wanted && plan.hosts.length > 1) {
    io.err(`this design has ${plan.hosts.length} hosts; choose one with --host (${plan.hosts.map((h) => h.host.name).join(', ')})`);
    return EXIT.usage;
  }
  const hosts = selectHosts(plan.hosts, wanted, io);
  if (!hosts?.[0]) return EXIT.usage;
  const script = hostScript(plan, hosts[0]);
  const out = args.values.get('output')?.[0];
  if (out) {
    await writeFileAtomic(out, script, 0o755);
    io.err(`wrote ${out} (${hosts[0].steps.length} steps for host ${hosts[0].host.name})`);
  } else {
    (io.data ?? io.out)(script); // file content: as it is (it holds no raw control characters)
  }
  return EXIT.ok;
}
