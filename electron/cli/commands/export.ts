import { designToContainerlab } from '../../../shared/export/containerlab';
import { designToDot, designToDrawio, designToMermaid } from '../../../shared/export/diagram';
import { hostScript } from '../../../shared/export/script';
import { scriptName, SYSTEMD_SCRIPT_DIR, systemdUnit, unitName } from '../../../shared/export/systemd';
import { join } from 'node:path';
import { writeFileAtomic } from '../../backend/atomicWrite';
import { parseArgs, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { compileOrReport, loadOrReport, selectHosts } from './load';

export const exportHelp = `usage: wireplan export FILE [--host NAME] [-o OUT]
       wireplan export FILE --format dot|mermaid|drawio [-o OUT]
       wireplan export FILE --format clab [--host NAME] [-o OUT.clab.yml]
       wireplan export FILE --systemd DIR [--host NAME]

Writes a standalone bash script for one host: "up" builds the network (safe to run
again), "down" removes only what "up" created and restores changed sysctls, "status"
shows what is present, "plan" prints the commands. It needs only bash, iproute2 and
nftables on the host.

With --format dot, mermaid or drawio it writes a diagram of the whole design instead:
Graphviz DOT (render with \`dot -Tsvg\`), a Mermaid flowchart or a draw.io file (.drawio), one group per host, labelled
with names and addresses. With --format clab it writes a containerlab topology of one
host: namespaces become linux nodes whose exec sets addresses and routes, bridges become
bridge nodes, veths links; what containerlab cannot express (NAT, port forwards,
policies, macvlan, VLAN, VXLAN ...) is listed in the file's header and on stderr.

  --host NAME   the host (id or name); required when the design has several
  --format F    script (default), dot, mermaid, drawio or clab
  --systemd DIR write the script and a systemd unit that runs it at boot into DIR:
                wireplan-TAG.sh and wireplan-TAG.service (oneshot, RemainAfterExit,
                up on start, down on stop, after network-online.target); prints how
                to install them (the unit expects the script in ${SYSTEMD_SCRIPT_DIR})
  -o, --output OUT   write to OUT (a script with mode 0755) instead of standard output

exit status: 0 ok, 1 the design has errors, 2 usage or unreadable file`;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [{ name: 'host', value: true }, { name: 'output', short: 'o', value: true }, { name: 'format', value: true }, { name: 'systemd', value: true }]);
  if (args.positional.length !== 1) {
    io.err(exportHelp);
    return EXIT.usage;
  }
  const format = args.values.get('format')?.[0] ?? 'script';
  const systemdDir = args.values.get('systemd')?.[0];
  if (systemdDir !== undefined && (format !== 'script' || args.values.has('output'))) throw new UsageError('--systemd DIR writes a script and its unit; it takes no --format or -o');
  if (!['script', 'dot', 'mermaid', 'drawio', 'clab'].includes(format)) throw new UsageError(`--format takes script, dot, mermaid, drawio or clab (not ${JSON.stringify(format)})`);
  const diagram = format === 'dot' || format === 'mermaid' || format === 'drawio';
  if (diagram && args.values.has('host')) throw new UsageError('--host is for scripts; a diagram shows every host');
  const design = await loadOrReport(args.positional[0], io);
  if (!design) return EXIT.usage;
  if (diagram) {
    const text = format === 'dot' ? designToDot(design) : format === 'mermaid' ? designToMermaid(design) : designToDrawio(design);
    const out = args.values.get('output')?.[0];
    if (out) {
      await writeFileAtomic(out, text, 0o644);
      io.err(`wrote ${out} (${format} diagram of ${design.hosts.length} host(s))`);
    } else (io.data ?? io.out)(text);
    return EXIT.ok;
  }
  const plan = compileOrReport(design, io, 'fix them before exporting');
  if (!plan) return EXIT.findings;
  const wanted = args.values.get('host');
  if (!wanted && plan.hosts.length > 1) {
    io.err(`this design has ${plan.hosts.length} hosts; choose one with --host (${plan.hosts.map((h) => h.host.name).join(', ')})`);
    return EXIT.usage;
  }
  const hosts = selectHosts(plan.hosts, wanted, io);
  if (!hosts?.[0]) return EXIT.usage;
  const out = args.values.get('output')?.[0];
  if (format === 'clab') {
    const clab = designToContainerlab(design, hosts[0].host.id);
    for (const o of clab.omitted) io.err(`not carried over: ${o}`);
    if (out) {
      await writeFileAtomic(out, clab.text, 0o644);
      io.err(`wrote ${out} (containerlab topology of host ${hosts[0].host.name})`);
    } else (io.data ?? io.out)(clab.text);
    return EXIT.ok;
  }
  const script = hostScript(plan, hosts[0]);
  if (systemdDir !== undefined) {
    const scriptFile = join(systemdDir, scriptName(design));
    const unitFile = join(systemdDir, unitName(design));
    await writeFileAtomic(scriptFile, script, 0o755);
    await writeFileAtomic(unitFile, systemdUnit(design, hosts[0].host), 0o644);
    io.err(`wrote ${scriptFile} (${hosts[0].steps.length} steps for host ${hosts[0].host.name}) and ${unitFile}`);
    io.out(
      [
        `install them on ${hosts[0].host.name} (as root):`,
        `  install -D -m 0755 ${scriptName(design)} ${SYSTEMD_SCRIPT_DIR}/${scriptName(design)}`,
        `  install -m 0644 ${unitName(design)} /etc/systemd/system/${unitName(design)}`,
        `  systemctl daemon-reload && systemctl enable --now ${unitName(design)}`,
      ].join('\n'),
    );
    return EXIT.ok;
  }
  if (out) {
    await writeFileAtomic(out, script, 0o755);
    io.err(`wrote ${out} (${hosts[0].steps.length} steps for host ${hosts[0].host.name})`);
  } else {
    (io.data ?? io.out)(script); // file content: as it is (it holds no raw control characters)
  }
  return EXIT.ok;
}
