// Every single-host example on a real kernel (local sandbox): after `up`, the live status
// says every element present; import of that host gives the design's own elements back
// (ids from the ownership tags, names, addresses, NAT, policies); and the imported design,
// applied to a fresh sandbox, reproduces the same normalized state.
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import { needsFor } from '../../electron/backend/live/needs';
import { importFromHost, snapshotHost } from '../../electron/backend/live/snapshot';
import { compile } from '../../shared/compile/compile';
import type { Design } from '../../shared/model/schema';
import { normalizeHost } from '../../shared/observe/normalize';
import { evaluateStatus, prepareStatus } from '../../shared/observe/status';
import { featuresOf } from '../support/design-check';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { runExported } from '../support/live';
import { missingFeatures } from '../support/sandbox';

const open: SandboxExecutor[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A sandbox with the design's NICs (veths whose far ends sit in a "world" namespace). */
async function hostFor(design: Design): Promise<SandboxExecutor> {
  const sb = await SandboxExecutor.start({ name: 'live-examples' });
  open.push(sb);
  const nics = design.hosts[0]!.nics.map((n) => n.name);
  const cmds = ['ip netns add world', ...nics.map((n, i) => `ip link add ${n} type veth peer name w${i} netns world && ip link set ${n} up && ip -n world link set w${i} up`)];
  const r = await sb.run(cmds.join(' && '));
  if (r.code !== 0) throw new Error(r.stderr);
  return sb;
}

const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));

describe('live status and import for every single-host example (real kernel)', () => {
  for (const file of exampleFiles()) {
    const design = loadExample(file);
    if (design.hosts.length !== 1) continue;
    const name = exampleName(file);
    it(`${name}: status all present; import gives the design back; re-applied it is the same host`, async (ctx) => {
      const missing = await missingFeatures(featuresOf(design));
      if (missing) {
        console.warn(`[skip] ${name}: ${missing}`);
        ctx.skip();
        return;
      }
      const hostId = design.hosts[0]!.id;
      const c = compile(design);
      if (!c.ok) throw new Error('example does not compile');
      const a = await hostFor(design);
      await runExported(a, design, hostId);

      // Status: everything present, nothing foreign.
      const model = prepareStatus(design, c.plan, hostId);
      const needs = needsFor(model, design);
      const snap = await snapshotHost(a, {
        entry: (ns) => ({ ip: true, nft: needs.nft === 'all' || needs.nft.has(ns), sysctl: needs.sysctls.has(ns), iptables: ns === '' }),
        sysctlKeys: [...new Set([...needs.sysctls.values()].flat())],
      });
      const st = evaluateStatus(model, snap.host);
      expect(st.elements.filter((e) => e.presence !== 'present')).toEqual([]);
      expect(st.foreign).toEqual([]);

      // Import: the same elements, found by their ownership tags.
      const nics = design.hosts[0]!.nics.map((n) => n.name);
      const im = await importFromHost(a, { hostId, hostName: design.hosts[0]!.name, nics, skipNamespaces: ['world'] });
      expect(im.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const d = im.design;
      expect(d.tag).toBe(design.tag);
      expect(sortBy(d.namespaces, (n) => n.id).map((n) => [n.id, n.name, n.routes])).toEqual(sortBy(design.namespaces, (n) => n.id).map((n) => [n.id, n.name, n.routes]));
      expect(sortBy(d.bridges, (b) => b.id).map((b) => [b.id, b.addresses, b.mtu])).toEqual(sortBy(design.bridges, (b) => b.id).map((b) => [b.id, b.addresses, b.mtu]));
      expect(sortBy(d.veths, (v) => v.id).map((v) => [v.id, v.a.at, v.a.ifname, v.a.addresses, v.b.at, v.b.ifname])).toEqual(
        sortBy(design.veths, (v) => v.id).map((v) => [v.id, v.a.at, v.a.ifname, v.a.addresses, v.b.at, v.b.ifname]),
      );
      expect(sortBy(d.macvlans, (m) => m.id).map((m) => [m.id, m.at, m.parent, m.mode, m.ifname, m.addresses])).toEqual(
        sortBy(design.macvlans, (m) => m.id).map((m) => [m.id, m.at, m.parent, m.mode, m.ifname, m.addresses]),
      );
      expect(d.masquerades.map((m) => [m.at, m.source, m.egress])).toEqual(design.masquerades.map((m) => [m.at, m.source, m.egress]));
      expect(d.portForwards.map((p) => [p.at, p.protocol, p.port, p.to, p.toPort ?? p.port, p.hostLocal])).toEqual(
        design.portForwards.map((p) => [p.at, p.protocol, p.port, p.to, p.toPort ?? p.port, p.hostLocal]),
      );
      expect(d.policies.map((p) => [p.at, p.protects, p.defaultAction, p.allowEstablished, p.rules])).toEqual(
        design.policies.map((p) => [p.at, p.protects, p.defaultAction, p.allowEstablished, p.rules.map((r) => ({ ...r, ...(r.ports === undefined ? {} : { ports: r.ports }) }))]),
      );
      expect(im.notes.filter((n) => n.message.includes('not understood'))).toEqual([]);
      expect(sortBy(d.hosts[0]!.routes, (r) => r.to)).toEqual(sortBy(design.hosts[0]!.routes, (r) => r.to));

      // Re-applied to a fresh host: the same normalized state.
      const b = await hostFor(design);
      await runExported(b, d, hostId);
      const [sa, sb] = await Promise.all([snapshotHost(a), snapshotHost(b)]);
      const na = normalizeHost(sa.host, { ignore: nics });
      const nb = normalizeHost(sb.host, { ignore: nics });
      delete na['world'];
      delete nb['world'];
      expect(nb).toEqual(na);
      if (im.notes.length) console.log(`[live-examples] ${name} import notes:\n  ${im.notes.map((n) => n.message).join('\n  ')}`);
    });
  }
});
