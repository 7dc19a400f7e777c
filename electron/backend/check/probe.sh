# shellcheck shell=bash
# The runtime of the connectivity check's per-host script (see probe-script.ts): functions
# only. The script sets WP_PERL, WP_PY (the listener programs), WP_READY_S and, for
# probing, WP_PAR, WP_PING_S and WP_TCP_S before this text, and ends with `main </dev/null`,
# so nothing a command does can swallow the rest of the script from stdin.
set -u
export LC_ALL=C
wp_tag=
wp_dir=
wp_pids=()
wp_cleanup() {
  local p
  for p in "${wp_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "$wp_dir" ] && rm -rf -- "$wp_dir"
}
trap wp_cleanup EXIT
trap 'exit 130' INT TERM HUP
wp_say() { printf '%s %s\n' "$wp_tag" "$*"; }
wp_flat() { local s=${1//$'\n'/ }; s=${s//[^[:print:]]/?}; printf '%s' "${s:0:300}"; }
# A namespace is a name under /run/netns, or (starting with /) the path of a namespace
# kept elsewhere: a sandbox's hidden "outside" behind its stand-in NICs.
wp_in() { local ns=$1; shift; case $ns in '') "$@" ;; /*) nsenter --net="$ns" -- "$@" ;; *) ip netns exec "$ns" "$@" ;; esac; }
wp_begin() {
  wp_tag="@wpchk-$1"
  wp_dir=$(mktemp -d "${TMPDIR:-/tmp}/wpcheck.XXXXXX") || { wp_say fatal mktemp; exit 3; }
  wp_tool=none
  if command -v perl >/dev/null 2>&1 && perl -MIO::Socket::IP -e 1 2>/dev/null; then wp_tool=perl
  elif command -v python3 >/dev/null 2>&1; then wp_tool=python3; fi
  wp_say tool "$wp_tool"
}
wp_fact() {
  local idx=$1 ns=$2 v4 v6
  v4=$(wp_in "$ns" cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null) || v4=-
  v6=$(wp_in "$ns" cat /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null) || v6=-
  wp_say fact "$idx" "${v4:--}" "${v6:--}"
}
wp_listen() {
  local id=$1 ns=$2 addr=$3 port=$4 secs=$5 fifo="$wp_dir/$1.fifo" line='' fd
  if ! mkfifo "$fifo"; then wp_say listen "$id" fail mkfifo; return; fi
  local prog
  case $wp_tool in
    perl) prog=(perl -e "$WP_PERL") ;;
    python3) prog=(python3 -c "$WP_PY") ;;
    *) wp_say listen "$id" none; rm -f "$fifo"; return ;;
  esac
  # exec all the way down, so $! is the listener's own timeout process (kill stops it).
  if [[ $ns == /* ]]; then
    ( exec >"$fifo" 2>&1 </dev/null; exec nsenter --net="$ns" -- timeout "$secs" "${prog[@]}" "$addr" "$port" "$id" ) &
  elif [ -n "$ns" ]; then
    ( exec >"$fifo" 2>&1 </dev/null; exec ip netns exec "$ns" timeout "$secs" "${prog[@]}" "$addr" "$port" "$id" ) &
  else
    ( exec >"$fifo" 2>&1 </dev/null; exec timeout "$secs" "${prog[@]}" "$addr" "$port" "$id" ) &
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
  # shellcheck disable=SC2016 # the inner program reads its own arguments
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
