#!/usr/bin/env bash
# A run that belongs to the host, not to the connection (see detached.ts).
#   bash -c "$DETACHED_SH" wp-run start RUNS DIR EXT PLAN OP KEEP CONFIRM_S [ARG...] < input
#       starts OP under setsid (and, with CONFIRM_S not empty, the commit-confirmed timer
#       first), records the run's INPUT from stdin, prints "@wpx started PID BOOT";
#       idempotent per run dir (a repeated start reports the first); forgets old runs
#       that are over, keeping the KEEP newest
#   bash -c "$DETACHED_SH" wp-run follow DIR OFFSET
#       streams the run's log from byte OFFSET until the run ends; "@wpx boot|rc|no-run"
#       lines on stderr
#   bash -c "$DETACHED_SH" wp-run files DIR NAME...
#       small files of a run, each after a "@@NAME" line (exit 44: no such run)
export LC_ALL=C
cmd=$1
shift

wait_pid() {
  local i=0
  until [ -s "$1/pid" ] || [ "$i" -ge 2000 ]; do sleep 0.005; i=$((i + 1)); done
}

case $cmd in
  start)
    set -e
    umask 077
    runs=$1 d=$2 ext=$3 plan=$4 op=$5 keep=$6 secs=$7
    shift 7
    mkdir -p "$runs"
    if ! mkdir "$d" 2>/dev/null; then
      wait_pid "$d"
      printf '@wpx started %s %s again\n' "$(cat "$d/pid" 2>/dev/null)" "$(cat "$d/boot" 2>/dev/null)"
      exit 0
    fi
    cat > "$d/input"
    cat /proc/sys/kernel/random/boot_id > "$d/boot" 2>/dev/null || echo unknown > "$d/boot"
    printf '%s\n' "$op" > "$d/op"
    : > "$d/log"
    if [ -n "$secs" ]; then
      setsid bash "$ext" "$plan" timer "$d" "$secs" </dev/null >"$d/timer.log" 2>&1 &
    fi
    setsid bash "$ext" "$plan" run "$d" "$op" "$@" </dev/null >/dev/null 2>&1 &
    wait_pid "$d"
    [ -s "$d/pid" ] || { echo "wireplan: the run did not start" >&2; exit 1; }
    printf '@wpx started %s %s\n' "$(cat "$d/pid")" "$(cat "$d/boot")"
    # Forget old runs that are over (their timer too), newest first kept.
    runs_all=("$runs"/*)
    for (( j = ${#runs_all[@]} - keep - 1; j >= 0; j-- )); do
      o=${runs_all[j]}
      [ -e "$o/rc" ] || continue
      case $(cat "$o/timer.state" 2>/dev/null || echo none) in none|confirmed|reverted) rm -rf "$o" ;; esac
    done
    ;;
  follow)
    d=$1 from=$(($2 + 1))
    if [ ! -d "$d" ]; then echo "@wpx no-run" >&2; exit 44; fi
    printf '@wpx boot %s\n' "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)" >&2
    pid=$(cat "$d/pid" 2>/dev/null || true)
    # -s: with --pid, tail checks the process this often (default 1 s) once output stops.
    if [ -n "$pid" ]; then tail -s 0.05 -c +"$from" --pid="$pid" -f "$d/log"; else tail -c +"$from" "$d/log"; fi
    printf '@wpx rc %s\n' "$(cat "$d/rc" 2>/dev/null || echo none)" >&2
    ;;
  files)
    d=$1
    shift
    [ -d "$d" ] || exit 44
    for n; do
      printf '@@%s\n' "$n"
      cat "$d/$n" 2>/dev/null || true
    done
    ;;
  *)
    echo "wp-run: unknown command $cmd" >&2
    exit 2
    ;;
esac
