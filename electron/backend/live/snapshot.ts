// A one-shot full observation of a host, everything included (nft, iptables and the
// forwarding sysctls in every namespace): what import and `wireplan status` read once.
import { assembleHost } from '../../../shared/observe/assemble';
import { importDesign, type ImportOptions, type ImportResult } from '../../../shared/observe/import';
import type { ObservedHost } from '../../../shared/observe/types';
import type { HostExecutor } from '../executor';
import { NamespaceCache, rawOf } from './namespace-cache';
import { NAMESPACE_BATCH, ROOT_EXTRA, type PollEntry } from './poll-script';
import { runPoll } from './poller';

/** The forwarding sysctls import reads in every namespace. */
export const IMPORT_SYSCTLS = ['net/ipv4/ip_forward', 'net/ipv6/conf/all/forwarding'];

export interface SnapshotOptions {
  /** Per namespace: which extras to read (default: everything, as import needs). */
  entry?: (ns: string) => Omit<PollEntry, 'ns'>;
  sysctlKeys?: readonly string[];
  maxParallel?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Also `netns list-id` in every namespace (default true; costs O(N) per namespace). */
  listIds?: boolean;
  /** Also the programs of the design with this tag (docs/programs.md). */
  programs?: string;
  /** With entries' `qdiscs`: also the qdisc records of the design with this tag (docs/impairments.md). */
  qdiscRecords?: string;
}

export interface SnapshotResult {
  host: ObservedHost;
  wallMs: number;
  bytes: number;
  parseMs: number;
}

export async function snapshotHost(executor: HostExecutor, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const t0 = performance.now();
  const run = { ...(opts.signal ? { signal: opts.signal } : {}), timeoutMs: opts.timeoutMs ?? 120_000 };
  const list = await runPoll(executor, { entries: [], bootId: true, cpus: true, list: true, ...(opts.programs !== undefined ? { programs: opts.programs } : {}) }, run);
  const names = ['', ...(list.output.names ?? [])];
  const k = Math.max(1, Math.min(opts.maxParallel ?? 4, list.output.cpus ?? 1, Math.ceil(names.length / 24)));
  const chunks: string[][] = Array.from({ length: k }, () => []);
  names.forEach((ns, i) => chunks[i % k]!.push(ns));
  const entry = opts.entry ?? (() => ({ ip: true, nft: true, sysctl: true, iptables: true }));
  const keys = opts.sysctlKeys ?? IMPORT_SYSCTLS;
  // Import reads every namespace's own nsid names too (exact veth peers; O(N^2) is fine once).
  const batch = opts.listIds === false ? NAMESPACE_BATCH : [...NAMESPACE_BATCH, ROOT_EXTRA];
  const results = await Promise.all(chunks.map((c) => runPoll(executor, { entries: c.map((ns) => ({ ns, ...entry(ns) })), sysctlKeys: keys, batch, ...(opts.qdiscRecords !== undefined ? { qdiscRecords: opts.qdiscRecords } : {}) }, run)));
  const wallMs = performance.now() - t0;
  const p0 = performance.now();
  const cache = new NamespaceCache();
  const warnings = [...list.output.warnings];
  const namespaces = [];
  for (const r of results) {
    warnings.push(...r.output.warnings);
    for (const e of r.output.entries) {
      if (e.gone || !e.entry.ip) continue;
      const { raw, warnings: w } = rawOf(e, r.batch);
      namespaces.push(cache.parse(raw, w));
    }
  }
  const host = assembleHost({ collectedAt: Date.now(), namespaces, warnings, ...(list.output.bootId ? { bootId: list.output.bootId } : {}) });
  if (list.output.programs) host.programs = list.output.programs;
  return { host, wallMs, bytes: list.bytes + results.reduce((s, r) => s + r.bytes, 0), parseMs: performance.now() - p0 };
}

/** Observe a host and build a design from it (see shared/observe/import.ts). */
export async function importFromHost(executor: HostExecutor, opts: ImportOptions & { snapshot?: SnapshotOptions } = {}): Promise<ImportResult & { host: ObservedHost }> {
  const { snapshot, ...importOpts } = opts;
  const { host } = await snapshotHost(executor, snapshot);
  return { ...importDesign(host, importOpts), host };
}
