// Before anything changes on a host: is it root, are the tools there, does the kernel
// have what the plan needs (tried in a throwaway namespace), which firewall is active
// and would it drop forwarded traffic, and which interface carries our SSH session.
import type { HostPlan } from '../../../shared/compile/plan';
import { shellCommand } from '../../../shared/export/quote';
import { isExecutorError, type HostExecutor } from '../executor';
import { FEATURES, featuresOf, type Feature } from './features';
import { forwardDropWarnings, type FirewallBackend, type FirewallFacts } from './forward-policy';
import { netManagerWarnings } from './net-managers';
import { managementConflicts, type ManagementConflict, type ManagementPath } from './mgmt-guard';
import { PREFLIGHT_SH } from './preflight.generated';

export interface PreflightOptions {
  /** Accept steps that touch the management path (only with a confirm window). */
  allowManagementChange?: boolean;
  confirmWithinS?: number;
  signal?: AbortSignal;
}

export interface PreflightReport {
  /** Empty: the plan may run. */
  refusals: string[];
  warnings: string[];
  uid?: number;
  tools: Record<string, string | null>;
  features: Partial<Record<Feature, string>>;
  firewall?: FirewallFacts;
  management?: ManagementPath;
  conflicts: ManagementConflict[];
}

/** The preflight program (preflight.sh) and its arguments: the features to try. */
export function preflightCommand(features: readonly Feature[]): { command: string; stdin: string } {
  return { command: shellCommand(['bash', '-s', '--', ...features.filter((f) => FEATURES.includes(f))]), stdin: PREFLIGHT_SH };
}

function backendOf(version: string | undefined, hasNft: boolean): FirewallBackend {
  if (version?.includes('nf_tables')) return 'iptables-nft';
  if (version?.includes('legacy')) return 'iptables-legacy';
  if (version) return 'iptables-legacy'; // iptables older than 1.8 has no backend label
  return hasNft ? 'nft' : 'none';
}

export function parsePreflight(stdout: string): Omit<PreflightReport, 'refusals' | 'warnings' | 'conflicts'> & { tailPid: boolean; featureTestUnavailable: boolean } {
  const tools: Record<string, string | null> = {};
  const features: Partial<Record<Feature, string>> = {};
  const mgmtIfs: string[] = [];
  const nftDrop: string[] = [];
  let uid: number | undefined;
  let version: string | undefined;
  let iptablesForward: string | undefined;
  let legacyForward: string | undefined;
  let dockerUser = false;
  let bridgeNf = false;
  let conn: string | undefined;
  let route = '';
  let tailPid = false;
  let featureTestUnavailable = false;
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    switch (key) {
      case 'uid':
        uid = Number(rest);
        break;
      case 'tool': {
        const [name, path] = rest.split(' ');
        if (name) tools[name] = path && path !== '-' ? path : null;
        break;
      }
      case 'tail-pid':
        tailPid = Number(rest) > 0;
        break;
      case 'iptables-version':
        version = rest;
        break;
      case 'iptables-forward':
        iptablesForward = rest || undefined;
        break;
      case 'legacy-forward':
        legacyForward = rest || undefined;
        break;
      case 'iptables-docker-user':
        dockerUser = true;
        break;
      case 'nft-forward-drop':
        nftDrop.push(rest);
        break;
      case 'bridge-nf':
        bridgeNf = rest === '1';
        break;
      case 'ssh-connection':
        conn = rest === '-' ? undefined : rest;
        break;
      case 'mgmt-route':
        route = rest;
        break;
      case 'mgmt-if':
        if (rest && !mgmtIfs.includes(rest)) mgmtIfs.push(rest);
        break;
      case 'feature': {
        const m = /^(\S+) (ok|missing(?:: (.*))?)$/.exec(rest);
        if (m) features[m[1] as Feature] = m[2] === 'ok' ? 'ok' : `missing${m[3] ? `: ${m[3]}` : ''}`;
        break;
      }
      case 'feature-test-unavailable':
        featureTestUnavailable = true;
        break;
    }
  }
  const firewall: FirewallFacts = {
    backend: backendOf(version, tools['nft'] != null),
    ...(iptablesForward ? { iptablesForward } : {}),
    ...(legacyForward ? { legacyForward } : {}),
    dockerUser,
    nftForwardDrop: nftDrop,
    bridgeNfCall: bridgeNf,
  };
  let management: ManagementPath | undefined;
  if (conn) {
    const [client, , server, port] = conn.split(' ');
    if (client && server) management = { client, server, sshPort: Number(port) || 22, ifaces: mgmtIfs.filter((i) => i !== 'lo' || client.startsWith('127.')), route };
  }
  return { ...(uid !== undefined ? { uid } : {}), tools, features, firewall, ...(management ? { management } : {}), tailPid, featureTestUnavailable };
}

export function judgePreflight(host: HostPlan, facts: ReturnType<typeof parsePreflight>, opts: PreflightOptions): PreflightReport {
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (facts.uid !== 0) refusals.push(`commands run as uid ${facts.uid ?? 'unknown'}, not root: log in as root or use an account with \`sudo -n\` rights`);
  const need = ['bash', 'ip', 'flock', 'setsid', 'tail', 'awk'];
  const steps = host.steps;
  if (steps.some((s) => s.kind === 'sysctl')) need.push('sysctl');
  if (steps.some((s) => s.kind === 'nft')) need.push('nft');
  if (steps.some((s) => s.kind === 'bridge-vlan')) need.push('bridge');
  if (steps.some((s) => s.kind === 'qdisc')) need.push('tc');
  const missing = need.filter((t) => !facts.tools[t]);
  if (missing.length) refusals.push(`missing tools on the host: ${missing.join(', ')} (Debian: ${[...new Set(missing.map(debianPackage))].join(' ')})`);
  else if (!facts.tailPid) refusals.push('tail on the host does not support --pid (GNU coreutils tail is needed to follow a run)');
  if (!facts.tools['nft'] && !facts.tools['iptables'] && !facts.tools['iptables-legacy']) warnings.push('neither nft nor iptables is installed: the host firewall cannot be checked');
  if (facts.featureTestUnavailable) warnings.push('could not create a throwaway network namespace: kernel features were not tested');
  for (const f of featuresOf(host)) {
    const r = facts.features[f];
    if (r && r !== 'ok') refusals.push(`the kernel lacks ${f} (${r}); the plan needs it`);
  }
  if (facts.firewall) warnings.push(...forwardDropWarnings(host, facts.firewall));
  const conflicts = managementConflicts(host, facts.management);
  if (conflicts.length) {
    const list = conflicts.map((c) => `  step ${c.index} ${c.stepId}: ${c.reason}`).join('\n');
    const path = `the SSH session from ${facts.management!.client} reaches this host over ${facts.management!.ifaces.join(', ') || '?'}`;
    if (!opts.allowManagementChange) {
      refusals.push(`the plan touches the management path (${path}):\n${list}\nRefused: this would cut the connection. Re-run with the management override and a confirm window (CLI: --allow-management-change --confirm-within S; in the app: apply with a confirm window) to apply it with an automatic revert.`);
    } else if (opts.confirmWithinS === undefined) {
      refusals.push(`the plan touches the management path (${path}):\n${list}\nThe override is accepted only together with a confirm window (--confirm-within S), so an unconfirmed change reverts by itself.`);
    } else {
      warnings.push(`the plan touches the management path (${path}); applying with an automatic revert after ${opts.confirmWithinS} s unless a fresh connection confirms:\n${list}`);
    }
  }
  return {
    refusals,
    warnings,
    ...(facts.uid !== undefined ? { uid: facts.uid } : {}),
    tools: facts.tools,
    features: facts.features,
    ...(facts.firewall ? { firewall: facts.firewall } : {}),
    ...(facts.management ? { management: facts.management } : {}),
    conflicts,
  };
}

function debianPackage(tool: string): string {
  return ({ ip: 'iproute2', bridge: 'iproute2', tc: 'iproute2', nft: 'nftables', flock: 'util-linux', setsid: 'util-linux', tail: 'coreutils', sysctl: 'procps', bash: 'bash', awk: 'mawk' } as Record<string, string>)[tool] ?? tool;
}

export async function preflight(exec: HostExecutor, host: HostPlan, opts: PreflightOptions = {}): Promise<PreflightReport> {
  let stdout: string;
  try {
    const { command, stdin } = preflightCommand(featuresOf(host));
    const r = await exec.run(command, { stdin, ...(opts.signal ? { signal: opts.signal } : {}), timeoutMs: 60_000 });
    if (r.code !== 0) return { refusals: [`preflight script failed (exit ${r.code ?? r.signal}): ${r.stderr.trim()}`], warnings: [], tools: {}, features: {}, conflicts: [] };
    stdout = r.stdout;
  } catch (e) {
    if (isExecutorError(e) && e.kind === 'SudoRequired') return { refusals: [e.message], warnings: [], tools: {}, features: {}, conflicts: [] };
    throw e;
  }
  const report = judgePreflight(host, parsePreflight(stdout), opts);
  report.warnings.push(...(await netManagerWarnings(exec, host, opts.signal)));
  return report;
}
