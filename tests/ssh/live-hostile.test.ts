// Hostile names and aliases on a host stay data: namespaces called `n$(id)` or with a
// newline in the name, interfaces called `a$(id)`, aliases with markup, newlines and
// fake poll markers, an iptables comment with a raw newline. The collector reads them
// byte-exact without ever putting them in a command line, nothing on the host runs them,
// the status and foreign lists carry them as quoted text, and the CLI prints them
// shell-quoted with invisible characters made visible.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshExecutor } from '../../electron/backend/executor';
import { LiveMonitor } from '../../electron/backend/live/live-monitor';
import { snapshotHost } from '../../electron/backend/live/snapshot';
import { importCommand } from '../../electron/cli/commands/import';
import { statusCommand } from '../../electron/cli/commands/status';
import { serializeDesign } from '../../shared/model/parse';
import type { Design } from '../../shared/model/schema';
import { loadExample } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { LiveRecorder, allPresent, runExported } from '../support/live';

const skip = sshLabSkip('live-hostile');
const scope = new LabScope();
const dir = mkdtempSync(join(tmpdir(), 'wp-live-hostile-'));
let lab: LabHost;
let ex: SshExecutor;
let design: Design;

const ALIAS = '<img src=x onerror=alert(1)>\n@@0123456789abcdef:end\n\u001b[31mred';
const HOSTILE = [
  // A name that would run a command if a shell ever evaluated it (no "/" allowed in netns names).
  `ip netns add 'n$(touch\${IFS}.pwned)'`,
  "ip netns add $'nl\\nx'",
  `ip -n 'n$(touch\${IFS}.pwned)' link add 'a$(id)' type bridge`,
  "ip link add 'b$(id)' type bridge",
  `ip link set 'b$(id)' alias "$ALIAS"`,
  "ip -n app1 link add 'c$(id)' type bridge",
  "ip -n app1 link set 'c$(id)' alias '<img src=x onerror=alert(1)>'",
  "iptables -A FORWARD -m comment --comment $'x\\n@@0123456789abcdef:end' -j ACCEPT",
  'nft add table inet h "{ comment \\"<img src=x onerror=alert(1)>\\"; }"',
].join(' && ');

async function sh(cmd: string): Promise<void> {
  const r = await lab.exec(`ALIAS=$(printf '<img src=x onerror=alert(1)>\\n@@0123456789abcdef:end\\n\\033[31mred'); ${cmd}`);
  if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

/** Control characters other than the newlines between output lines. */
function controls(text: string, allowNewline = false): string[] {
  return [...text].filter((c) => c.charCodeAt(0) < 0x20 && !(allowNewline && c === '\n'));
}

function capture(): { io: { out(t: string): void; err(t: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab();
  ex = scope.executor(lab);
  design = loadExample('two-namespaces-nat.wireplan.json');
  await runExported(ex, design, 'lab');
  await sh(HOSTILE);
});

afterAll(async () => {
  await scope.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('hostile names and aliases on a host', () => {
  it('are read byte for byte, and nothing on the host ever ran them', async () => {
    const { host } = await snapshotHost(ex);
    const names = host.namespaces.map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['', 'app1', 'app2', 'n$(touch${IFS}.pwned)', 'nl\nx']));
    const pwnedNs = host.namespaces.find((n) => n.name === 'n$(touch${IFS}.pwned)')!;
    expect(pwnedNs.links.map((l) => l.ifname)).toContain('a$(id)');
    const root = host.namespaces.find((n) => n.name === '')!;
    expect(root.links.find((l) => l.ifname === 'b$(id)')?.alias).toBe(ALIAS);
    expect(root.iptables?.tables.find((t) => t.name === 'filter')?.rules[0]?.comment).toBe('x\n@@0123456789abcdef:end');
    expect(root.nft?.tables.find((t) => t.name === 'h')?.comment).toBe('<img src=x onerror=alert(1)>');
    const found = await lab.exec('find / -maxdepth 2 -name .pwned 2>/dev/null; find /root /tmp /run -name .pwned 2>/dev/null; true');
    expect(found.stdout.trim()).toBe('');
  });

  it('the live status keeps them as quoted text; the design elements stay present', async () => {
    const rec = new LiveRecorder();
    const mon = new LiveMonitor({ executorFor: async () => ex });
    mon.onLiveStatus(rec.live);
    mon.onHostStatus(rec.host);
    try {
      await mon.watch(design);
      const ids = mon.elements('lab').map((e) => e.elementId);
      await rec.waitFor('all present, the hostile interface in app1 listed as foreign', (r) => allPresent(r, ids) && (r.hosts.get('lab')?.foreign ?? []).some((f) => f.includes('"c$(id)"')), 30_000);
      const foreign = rec.hosts.get('lab')!.foreign!;
      expect(foreign).toContain('interface "c$(id)" (bridge) in netns "app1" is not Wireplan\'s');
      expect(foreign).toContain('nft table inet "h" in the root namespace is not Wireplan\'s');
      // Everything the API carries is plain data: hostile text only inside quoted strings.
      for (const f of foreign) expect(controls(f)).toEqual([]);
    } finally {
      await mon.close();
    }
  });

  it('the status and import commands print them shell-quoted, never raw', async () => {
    const file = join(dir, 'twons.wireplan.json');
    const onLab: Design = { ...design, hosts: design.hosts.map((h) => ({ ...h, target: { kind: 'ssh', address: lab.address, port: lab.port, user: 'root', keyPath: lab.clientKeyPath } })) };
    writeFileSync(file, serializeDesign(onLab));
    const kh = scope.knownHostsFor(lab);
    const st = capture();
    const code = await statusCommand([file, '--known-hosts', kh], st.io);
    const text = st.out.join('\n');
    expect(code, st.err.join('\n')).toBe(0);
    expect(text).toContain("not Wireplan's: interface 'c$(id)' (bridge) in netns app1 is not Wireplan's");
    expect(text).not.toContain('"c$(id)"');
    expect(controls(text, true)).toEqual([]);

    const out = join(dir, 'imported.wireplan.json');
    const im = capture();
    const icode = await importCommand(['--ssh', `root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', kh, '-o', out], im.io);
    const itext = im.out.join('\n');
    expect(icode, im.err.join('\n')).toBe(0);
    expect(itext).toContain("namespace 'n$(touch${IFS}.pwned)': the name is not allowed");
    expect(itext).toContain("interface 'b$(id)' (bridge) has a name a design cannot use");
    expect(itext).toContain("'nl\\u000ax'");
    expect(controls(itext, true)).toEqual([]);
    const saved = readFileSync(out, 'utf8');
    for (const bad of ['$(id)', 'onerror', 'pwned']) expect(saved).not.toContain(bad);
  });
});
