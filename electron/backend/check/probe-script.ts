// The per-host probe program of the connectivity check: one bash script streamed on
// stdin to `bash -s`, made of probe.sh (the functions), the listener programs
// (perl-listener.pl, python-listener.py) and a `main` of calls with quoted arguments. It reads the host facts the expectations depend on (bridge
// netfilter), starts the temporary TCP listeners (inside the destination namespaces,
// each bound to one address, each under `timeout`, each reporting readiness through a
// FIFO: no sleeps), runs the probes in parallel (ping, and TCP connects with bash's
// /dev/tcp under `timeout`), prints one marker line per result, and always kills its
// listeners and removes its temp dir on the way out. Needs only bash, coreutils,
// iproute2 and iputils, plus perl or python3 for the listeners (perl-base is Essential
// on Debian); without either, TCP probes still run and listeners report "none".
//
// All data (namespace names, addresses, ids) enters the script through shellCommand,
// never by interpolation; output lines carry a per-run nonce so host data cannot forge them.
import { quoteArg, shellCommand } from '../../../shared/export/quote';
import { PERL_LISTENER_PL } from './perl-listener.generated';
import { PROBE_SH } from './probe.generated';
import { PYTHON_LISTENER_PY } from './python-listener.generated';
import { STOP_SERVE_SH } from './stop-serve.generated';

export const PROBE_PARALLEL = 64;
/** ping: first reply within this deadline (seconds). */
export const PING_DEADLINE_S = 2;
/** TCP: connect + banner within this (seconds). */
export const TCP_TIMEOUT_S = 2;
/** Waiting for one listener's ready line (seconds). */
export const LISTEN_READY_S = 5;
/** Waiting for IPv6 DAD to finish (seconds). */
export const SETTLE_S = 5;

export interface ScriptListener {
  id: string;
  ns: string;
  address: string;
  port: number;
}

export interface ScriptProbe {
  id: string;
  kind: 'ping' | 'tcp';
  ns: string;
  address: string;
  port?: number;
}

export interface ProbeScriptInput {
  nonce: string;
  /** Namespaces ('' = root) whose bridge netfilter settings to read, by index. */
  factScopes: string[];
  listeners: ScriptListener[];
  probes: ScriptProbe[];
  /** Listener lifetime (seconds): longer than the probes take. */
  listenSeconds: number;
  /** Namespaces whose IPv6 addresses must have finished DAD before listening and probing. */
  settleScopes?: string[];
  parallel?: number;
}

const line = (argv: (string | number)[]) => shellCommand(argv.map(String));

/** The whole script for one host. */
export function probeScript(input: ProbeScriptInput): string {
  const body: string[] = [];
  body.push(`  ${line(['wp_begin', input.nonce])}`);
  input.factScopes.forEach((ns, i) => body.push(`  ${line(['wp_fact', i, ns])}`));
  if (input.settleScopes?.length) body.push(`  ${line(['wp_settle', SETTLE_S, ...input.settleScopes])}`);
  for (const l of input.listeners) body.push(`  ${line(['wp_listen', l.id, l.ns, l.address, l.port, input.listenSeconds])}`);
  body.push('  wp_say probing');
  body.push('  (');
  for (const p of input.probes) {
    const argv = p.kind === 'ping' ? ['wp_ping', p.id, p.ns, p.address] : ['wp_tcp', p.id, p.ns, p.address, p.port ?? 0];
    body.push(`    ${line(argv)} </dev/null &`);
    body.push('    wp_gate');
  }
  body.push('    wait');
  body.push('  )');
  body.push('  wp_say done');
  return script(body, { WP_PAR: Math.max(1, Math.floor(input.parallel ?? PROBE_PARALLEL)), WP_PING_S: PING_DEADLINE_S, WP_TCP_S: TCP_TIMEOUT_S });
}

/** The runtime and the listeners' programs, then `main` made of `body`; never reads stdin. */
function script(body: string[], settings: Record<string, number> = {}): string {
  return [
    `WP_PERL=${shellCommand([PERL_LISTENER_PL])}`,
    `WP_PY=${shellCommand([PYTHON_LISTENER_PY])}`,
    ...Object.entries({ ...settings, WP_READY_S: LISTEN_READY_S }).map(([k, v]) => `${k}=${quoteArg(String(v))}`),
    PROBE_SH,
    'main() {',
    ...body,
    '}',
    'main </dev/null',
    '',
  ].join('\n');
}

/**
 * For listeners that probes from OTHER hosts need: a run that starts them, says
 * "serving <dir>", and keeps them until stopServeCommand(dir) or its own deadline.
 */
export function serveScript(input: Pick<ProbeScriptInput, 'nonce' | 'listeners' | 'listenSeconds' | 'settleScopes'>): string {
  const body = [`  ${line(['wp_begin', input.nonce])}`];
  if (input.settleScopes?.length) body.push(`  ${line(['wp_settle', SETTLE_S, ...input.settleScopes])}`);
  for (const l of input.listeners) body.push(`  ${line(['wp_listen', l.id, l.ns, l.address, l.port, input.listenSeconds])}`);
  body.push(`  ${line(['wp_serve', input.listenSeconds])}`);
  return script(body);
}

/** Ends a serve run early (its listeners die with it). `dir` is what it printed; checked first. */
export function stopServeCommand(dir: string): string | undefined {
  if (!/^\/[A-Za-z0-9._/-]*\/wpcheck\.[A-Za-z0-9]+$/.test(dir)) return undefined;
  return shellCommand(['timeout', '2', 'bash', '-c', STOP_SERVE_SH, 'wp-stop', `${dir}/stop`]);
}

/** Upper bound of the script's run time, for the executor's timeout. */
export function probeScriptBudgetMs(input: Pick<ProbeScriptInput, 'listeners' | 'probes' | 'factScopes' | 'parallel'>): number {
  const rounds = Math.ceil(input.probes.length / (input.parallel ?? PROBE_PARALLEL));
  return 15_000 + SETTLE_S * 1000 + input.factScopes.length * 100 + input.listeners.length * (LISTEN_READY_S * 1000 + 100) + rounds * (TCP_TIMEOUT_S + 1) * 1000;
}
