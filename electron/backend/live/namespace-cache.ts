// Parsed namespaces, reused while a namespace's raw output is byte-for-byte unchanged.
// Most namespaces of a big host do not change between polls (their reads carry no
// counters: host-side veth ends mirror them), so a warm poll parses only what changed.
// Bounded: one entry per namespace that exists now (retain() drops the rest).
import { observeNamespace, type RawNamespaceOutput } from '../../../shared/observe/host';
import { sysctlPathsToKeys } from '../../../shared/observe/assemble';
import { normalizeSysctlKey } from '../../../shared/observe/sysctl';
import type { ObservedNamespace } from '../../../shared/observe/types';
import type { EntryOutput } from './frames';
import { batchFor } from './poll-script';

const FIELDS = ['link', 'addr', 'route', 'route6', 'netnsIds', 'sysctl', 'nftJson', 'nftText', 'iptablesSave', 'ip6tablesSave', 'bridgeLink', 'bridgeVlan'] as const;

function sameRaw(a: RawNamespaceOutput, b: RawNamespaceOutput): boolean {
  if (a.name !== b.name) return false;
  if ((a.batch === undefined) !== (b.batch === undefined)) return false;
  if (a.batch && b.batch) {
    if (a.batch.stdout !== b.batch.stdout || a.batch.stderr !== b.batch.stderr) return false;
    const ca = a.batch.commands ?? [];
    const cb = b.batch.commands ?? [];
    if (ca.length !== cb.length || ca.some((c, i) => c !== cb[i])) return false;
  }
  if (!FIELDS.every((f) => a[f] === b[f])) return false;
  const qa = a.qdiscs ?? [];
  const qb = b.qdiscs ?? [];
  if ((a.qdiscs === undefined) !== (b.qdiscs === undefined) || qa.length !== qb.length) return false;
  return qa.every((x, i) => {
    const y = qb[i]!;
    return x.ifname === y.ifname && x.show === y.show && x.code === y.code && x.record === y.record;
  });
}

/** The raw tool outputs of one polled namespace, in the shape observeNamespace reads. */
export function rawOf(e: EntryOutput, batch: readonly string[]): { raw: RawNamespaceOutput; warnings: string[] } {
  const raw: RawNamespaceOutput = { name: e.entry.ns };
  const warnings: string[] = [];
  const where = e.entry.ns === '' ? 'root namespace' : `netns ${JSON.stringify(e.entry.ns)}`;
  if (e.ip !== undefined && e.entry.ip) {
    const stderr = e.ipError?.stderr ?? e.ipStderr;
    raw.batch = { stdout: e.ip, commands: batchFor(e.entry.ns, batch), ...(stderr !== undefined ? { stderr } : {}) };
  }
  if (e.ipError && e.ipError.code !== 0 && (e.ip ?? '').trim() === '') {
    delete raw.batch;
    warnings.push(`${where}: ip failed (exit ${e.ipError.code}): ${e.ipError.stderr.trim().slice(0, 300)}`);
  }
  if (e.entry.nft) {
    if (e.nftText !== undefined) raw.nftText = e.nftText;
    if (e.nftJson !== undefined) raw.nftJson = e.nftJson;
    if (e.nftError) warnings.push(`${where}: ${e.nftError}`);
    if (e.nftMissing) warnings.push(`${where}: nft is not installed; firewall state unobserved`);
  }
  if (e.entry.sysctl && e.sysctl !== undefined) raw.sysctl = sysctlPathsToKeys(e.sysctl, normalizeSysctlKey);
  const devs = e.entry.qdiscs ?? [];
  if (devs.length > 0) {
    // An interface without output (the poll was cut short) stays unobserved.
    raw.qdiscs = devs.flatMap((ifname, k) => {
      const got = e.qdiscs?.[k];
      if (got?.show === undefined && got?.code === undefined) return [];
      return [{ ifname, ...(got.show !== undefined ? { show: got.show } : {}), ...(got.code !== undefined ? { code: got.code } : {}), ...(got.record !== undefined ? { record: got.record } : {}) }];
    });
  }
  if (e.entry.iptables) {
    if (e.iptables !== undefined && e.iptables.trim() !== '') raw.iptablesSave = e.iptables;
    if (e.ip6tables !== undefined && e.ip6tables.trim() !== '') raw.ip6tablesSave = e.ip6tables;
  }
  return { raw, warnings };
}

export class NamespaceCache {
  private readonly entries = new Map<string, { raw: RawNamespaceOutput; ns: ObservedNamespace }>();
  hits = 0;
  misses = 0;

  parse(raw: RawNamespaceOutput, extraWarnings: readonly string[] = []): ObservedNamespace {
    const old = this.entries.get(raw.name);
    if (old && extraWarnings.length === 0 && sameRaw(old.raw, raw)) {
      this.hits++;
      return old.ns;
    }
    this.misses++;
    const ns = observeNamespace(raw);
    if (extraWarnings.length) ns.warnings.push(...extraWarnings);
    // An empty sysctl section (no keys readable) still counts as observed.
    if (raw.sysctl !== undefined) ns.observed.sysctls = true;
    this.entries.set(raw.name, { raw, ns });
    return ns;
  }

  forget(name: string): void {
    this.entries.delete(name);
  }

  retain(names: ReadonlySet<string>): void {
    for (const k of [...this.entries.keys()]) if (!names.has(k)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}
