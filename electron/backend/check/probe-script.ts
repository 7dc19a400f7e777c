// The per-host probe program of the connectivity check: one bash script streamed on
// stdin to `bash -s`. It reads the host facts the expectations depend on (bridge
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
import { shellCommand } from '../../../shared/export/quote';

export const PROBE_PARALLEL = 64;
/** ping: first reply within this deadline (seconds). */
export const PING_DEADLINE_S = 2;
/** TCP: connect + banner within this (seconds). */
export const TCP_TIMEOUT_S = 2;
/** Waiting for one listener's ready line (seconds). */
export const LISTEN_READY_S = 5;
/** Waiting for IPv6 DAD to finish (seconds). */
export const SETTLE_S = 5;

// Listeners print "ready" (or why not) once, close stdout, then answer each connection
// with "wpchk <id> <peer>" and close it. Bound to one address; exit on their own timeout.
const PERL_LISTENER = String.raw`
use strict; use IO::Socket::IP;
my ($addr, $port, $id) = @ARGV;
$| = 1;
my $s = IO::Socket::IP->new(LocalHost => $addr, LocalPort => $port, Listen => 64, ReuseAddr => 1);
if (!$s) { print "fail $!\n"; exit 3; }
print "ready\n"; close STDOUT;
while (1) { my $c = $s->accept or next; my $p = $c->peerhost // "?"; $p =~ s/^::ffff://; print $c "wpchk $id $p\n"; close $c; }
`;

const PYTHON_LISTENER = String.raw`
import os, socket, sys
addr, port, lid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(64)
except OSError as e:
    print('fail', e.strerror, flush=True); sys.exit(3)
print('ready', flush=True); os.close(1)
while True:
    c, a = s.accept(); p = a[0]
    if p.startswith('::ffff:'): p = p[7:]
    try: c.sendall(('wpchk %s %s\n' % (lid, p)).encode())
    except OSError: pass
    c.close()
`;

// The runtime: functions only. `main </dev/null` at the very end runs the data section,
// so nothing a command does can swallow the rest of the script from stdin.
// Written with @{ for bash's ${, which a template literal would interpolate.
const RUNTIME = String.raw`
set -u
export LC_ALL=C
wp_tag=
wp_dir=
wp_pids=()
wp_cleanup() {
  local p
  for p in "@{wp_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "$wp_dir" ] && rm -rf -- "$wp_dir"
}
trap wp_cleanup EXIT
trap 'exit 130' INT TERM HUP
wp_say() { printf '%s %s\n' "$wp_tag" "$*"; }
wp_flat() { local s=@{1//$'\n'/ }; s=@{s//[^[:print:]]/?}; printf '%s' "@{s:0:300}"; }
wp_in() { local ns=$1; shift; if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }
wp_begin() {
  wp_tag="@wpchk-$1"
  wp_dir=$(mktemp -d "@{TMPDIR:-/tmp}/wpcheck.XXXXXX") || { wp_say fatal mktemp; exit 3; }
  wp_tool=none
  if command -v perl >/dev/null 2>&1 && perl -MIO::Socket::IP -e 1 2>/dev/null; then wp_tool=perl
  elif command -v python3 >/dev/null 2>&1; then wp_tool=python3; fi
  wp_say tool "$wp_tool"
}
wp_fact() {
  local idx=$1 ns=$2 v4 v6
  v4=$(wp_in "$ns" cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null) || v4=-
  v6=$(wp_in "$ns" cat /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null) || v6=-
  wp_say fact "$idx" "@{v4:--}" "@{v6:--}"
}
wp_listen() {
  local id=$1 ns=$2 addr=$3 port=$4 secs=$5 fifo="$wp_dir/$1.fifo" line= fd
  if ! mkfifo "$fifo"; then wp_say listen "$id" fail mkfifo; return; fi
  local prog
  case $wp_tool in
    perl) prog=(perl -e "$WP_PERL") ;;
    python3) prog=(python3 -c "$WP_PY") ;;
    *) wp_say listen "$id" none; rm -f "$fifo"; return ;;
  esac
  # exec all the way down, so $! is the listener's own timeout process (kill stops it).
  if [ -n "$ns" ]; then
    ( exec >"$fifo" 2>&1 </dev/null; exec ip netns exec "$ns" timeout "$secs" "@{prog[@]}" "$addr" "$port" "$id" ) &
  else
    ( exec >"$fifo" 2>&1 </dev/null; exec timeout "$secs" "@{prog[@]}" "$addr" "$port" "$id" ) &
  fi
  wp_pids+=("$!")
  exec {fd}<"$fifo"
  if IFS= read -r -t "$WP_READY_S" -u "$fd" line; then wp_say listen "$id" "$(wp_flat "$line")"
  else wp_say listen "$id" fail no ready line; fi
  exec {fd}<&-
  rm -f "$fifo"
}
# IPv6 addresses answer nothing while duplicate address detection runs (~1-2 s after
# they are added): wait, bounded, until the kernel reports none tentative in these namespaces.
wp_settle() {
  local end=$((SECONDS + $1)) ns; shift
  for ns in "$@"; do
    while [ -n "$(wp_in "$ns" ip -6 addr show tentative -dadfailed 2>/dev/null </dev/null)" ]; do
      if [ "$SECONDS" -ge "$end" ]; then wp_say settle timeout; return; fi
      sleep 0.1
    done
  done
}
wp_ping() {
  local out rc
  out=$(wp_in "$2" ping -n -q -c 1 -w "$WP_PING_S" -i 0.2 "$3" 2>&1 </dev/null); rc=$?
  wp_say probe "$1" ping "$rc" "$(wp_flat "$out")"
}
wp_tcp() {
  local out rc
  out=$(wp_in "$2" timeout "$WP_TCP_S" bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 97; l=; IFS= read -r -t 1 l <&3; printf "connected banner=%s" "$l"' wp-tcp "$3" "$4" 2>&1 </dev/null); rc=$?
  wp_say probe "$1" tcp "$rc" "$(wp_flat "$out")"
}
wp_serve() {
  local fd
  mkfifo "$wp_dir/stop" || { wp_say fatal mkfifo; return; }
  exec {fd}<>"$wp_dir/stop"
  wp_say serving "$wp_dir"
  IFS= read -r -t "$1" -u "$fd" _
  wp_say stopped
}
wp_n=0
wp_gate() { wp_n=$((wp_n + 1)); if [ "$wp_n" -ge "$WP_PAR" ]; then wait -n 2>/dev/null; wp_n=$((wp_n - 1)); fi; }
`.replace(/@\{/g, '${');

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
  return script(body, [`WP_PAR=${input.parallel ?? PROBE_PARALLEL}`, `WP_PING_S=${PING_DEADLINE_S}`, `WP_TCP_S=${TCP_TIMEOUT_S}`]);
}

/** The runtime and the listeners' programs, then `main` made of `body`; never reads stdin. */
function script(body: string[], settings: string[] = []): string {
  return [
    `WP_PERL=${shellCommand([PERL_LISTENER])}`,
    `WP_PY=${shellCommand([PYTHON_LISTENER])}`,
    ...settings,
    `WP_READY_S=${LISTEN_READY_S}`,
    RUNTIME,
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
  return shellCommand(['timeout', '2', 'sh', '-c', '[ -p "$1" ] && printf "stop\\n" > "$1"; true', 'wp-stop', `${dir}/stop`]);
}

/** Upper bound of the script's run time, for the executor's timeout. */
export function probeScriptBudgetMs(input: Pick<ProbeScriptInput, 'listeners' | 'probes' | 'factScopes' | 'parallel'>): number {
  const rounds = Math.ceil(input.probes.length / (input.parallel ?? PROBE_PARALLEL));
  return 15_000 + SETTLE_S * 1000 + input.factScopes.length * 100 + input.listeners.length * (LISTEN_READY_S * 1000 + 100) + rounds * (TCP_TIMEOUT_S + 1) * 1000;
}
