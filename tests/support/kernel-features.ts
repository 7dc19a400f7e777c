// Which kernel features (and firewall tools) this machine really has, found out by
// trying each one in a throwaway sandbox. Cached per test file (per module instance).
import type { TestContext } from 'vitest';
import { createSandbox } from './sandbox';

export const KERNEL_FEATURES = ['bridge', 'veth', 'macvlan', 'ipvlan', 'vlan', 'vxlan', 'dummy', 'nft', 'iptables', 'tbf', 'netem'] as const;
export type KernelFeature = (typeof KERNEL_FEATURES)[number];

export interface FeatureResult {
  ok: boolean;
  /** What was tried and, on failure, what it said. */
  detail: string;
}

// Every probe runs in its own subshell with stdin closed; stacked devices use a veth
// (or, failing that, a bridge) as their lower device.
const PROBE_SCRIPT = [
  'probe() {',
  '  local name=$1 tool=$2; shift 2',
  '  if ! command -v "$tool" >/dev/null 2>&1; then echo "@@ $name fail command not found: $tool"; return; fi',
  '  local out',
  '  if out=$("$@" 2>&1 </dev/null); then echo "@@ $name ok $*"; else echo "@@ $name fail $*: $(printf %s "$out" | tr "\\n" " ")"; fi',
  '}',
  'parent() { for p in wpf-va wpf-br; do [ -e "/sys/class/net/$p" ] && { echo "$p"; return; }; done; echo wpf-none; }',
  'main() {',
  '  probe bridge ip ip link add wpf-br type bridge',
  '  probe veth ip ip link add wpf-va type veth peer name wpf-vb',
  '  local p; p=$(parent)',
  '  probe macvlan ip ip link add wpf-mv link "$p" type macvlan mode bridge',
  '  probe ipvlan ip ip link add wpf-ipv link "$p" type ipvlan mode l2',
  '  probe vlan ip ip link add link "$p" name wpf-vl type vlan id 10',
  '  probe vxlan ip sh -c "ip link add wpf-vx type vxlan id 42 dstport 4789 local 127.0.0.1 && ip link set wpf-vx up"',
  '  probe dummy ip ip link add wpf-d type dummy',
  "  probe nft nft nft 'add table inet wpf; add chain inet wpf wpfwd { type filter hook forward priority 0; policy accept; }; add rule inet wpf wpfwd ip saddr 10.0.0.0/8 counter accept; add chain inet wpf wpnat { type nat hook postrouting priority 100; }; add rule inet wpf wpnat oifname \"wpf-va\" masquerade'",
  '  probe iptables iptables sh -c "iptables -w -A FORWARD -s 10.0.0.0/8 -m comment --comment wireplan -j ACCEPT && iptables -w -t nat -A POSTROUTING -o wpf-va -j MASQUERADE"',
  // Link impairments' qdiscs, on the veth above (a kernel without modules cannot load
  // sch_netem; modprobe is tried first for kernels that can).
  '  probe tbf tc tc qdisc add dev wpf-va root tbf rate 1mbit burst 16000 latency 50ms',
  '  probe netem tc sh -c "modprobe sch_netem 2>/dev/null; tc qdisc add dev wpf-vb root netem delay 1ms"',
  '}',
  'main </dev/null',
].join('\n');

let cache: Promise<Record<KernelFeature, FeatureResult>> | null = null;

async function detect(): Promise<Record<KernelFeature, FeatureResult>> {
  const sb = await createSandbox();
  let out: string;
  try {
    out = (await sb.run(PROBE_SCRIPT)).stdout;
  } finally {
    await sb.close();
  }
  const result = {} as Record<KernelFeature, FeatureResult>;
  for (const f of KERNEL_FEATURES) result[f] = { ok: false, detail: 'probe produced no result' };
  for (const line of out.split('\n')) {
    const m = /^@@ (\w+) (ok|fail) ?(.*)$/.exec(line);
    if (m && (KERNEL_FEATURES as readonly string[]).includes(m[1]!)) {
      result[m[1] as KernelFeature] = { ok: m[2] === 'ok', detail: m[3]!.trim() };
    }
  }
  return result;
}

/** Per feature: whether it works here, and what was tried / what failed. */
export function kernelFeatureReport(): Promise<Record<KernelFeature, FeatureResult>> {
  cache ??= detect();
  return cache;
}

export async function kernelFeatures(): Promise<Record<KernelFeature, boolean>> {
  const report = await kernelFeatureReport();
  const out = {} as Record<KernelFeature, boolean>;
  for (const f of KERNEL_FEATURES) out[f] = report[f].ok;
  return out;
}

/** Null when all of `needed` work; otherwise a reason naming each missing feature. */
export async function missingFeatures(needed: readonly KernelFeature[]): Promise<string | null> {
  const report = await kernelFeatureReport();
  const missing = needed.filter((f) => !report[f].ok);
  if (missing.length === 0) return null;
  return `missing kernel feature${missing.length > 1 ? 's' : ''}: ${missing.map((f) => `${f} (${report[f].detail})`).join('; ')}`;
}

/** Inside a test: skips it, printing the reason, unless every feature in `needed` works. */
export async function skipUnlessFeatures(ctx: TestContext, needed: readonly KernelFeature[]): Promise<void> {
  const reason = await missingFeatures(needed);
  if (reason === null) return;
  console.warn(`[skip] ${ctx.task.name}: ${reason}`);
  ctx.skip(reason);
}
