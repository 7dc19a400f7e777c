#!/usr/bin/env bash
# Wireplan apply helpers: the backend's extra entry points on top of an exported plan
# script (embedded in ext.generated.ts by scripts/gen-sh.ts, `npm run gen`).
#
#   bash wp-ext.sh PLAN run DIR OP ARGS...   the detached runner: records its pid, runs
#                                            OP with output to DIR/log, then writes DIR/rc
#   bash wp-ext.sh PLAN timer DIR SECONDS    commit-confirmed: once the run in DIR ended,
#                                            waits for DIR/confirm, else reverts the run
#   bash wp-ext.sh PLAN inspect TABLE MODE   status of every step, Wireplan-tagged objects
#                                            and the leftovers among them
#   bash wp-ext.sh PLAN apply INPUT [--keep-partial]    prune orphans, `up`, then `status`
#   bash wp-ext.sh PLAN destroy INPUT TABLE  inspect, prune orphans, then `down` (INPUT unused)
#   bash wp-ext.sh PLAN revert INPUT LOG     undo exactly the steps the run that wrote LOG ran
#   bash wp-ext.sh PLAN leftovers < TAGGED   the leftovers among tagged-object lines ("link NS
#                                            IF OWNER", "nft NS TABLE", "sysctl RECORD"), as
#                                            INPUT lines; reads nothing on the host (tests)
#
# The plan's own functions (probes, do/undo, lock, rollback) are sourced from PLAN
# unchanged: only its last two lines (`wp_main "$@" </dev/null` and `exit`) are left out.
# INPUT lists orphans to remove, one per line: "netns NAME OWNER", "link NS IFNAME OWNER",
# "nft NS TABLE", "sysctl RECORD", and "nftns NS" (namespaces that may hold our nft
# table); NS "-" is the root namespace.
# (WP_* globals assigned here belong to the sourced runtime: shellcheck cannot see it.)
set -euo pipefail
export LC_ALL=C
wpx_plan=$1
wpx_cmd=$2
shift 2

wpx_state() { printf '%s\n' "$2" > "$1/timer.state.tmp" && mv -f "$1/timer.state.tmp" "$1/timer.state"; }

# ---- commands that do not need the plan's functions ------------------------------
case $wpx_cmd in
  run)
    wpx_dir=$1; wpx_op=$2; shift 2
    printf '%s\n' "$$" > "$wpx_dir/pid.tmp" && mv -f "$wpx_dir/pid.tmp" "$wpx_dir/pid"
    wpx_rc=0
    bash "$0" "$wpx_plan" "$wpx_op" "$wpx_dir/input" "$@" >> "$wpx_dir/log" 2>&1 </dev/null || wpx_rc=$?
    # A shell error (set -e) ends the op silently: say so in the log, with a result line.
    if [[ $wpx_rc != 0 ]] && ! grep -q '^@wp result ' "$wpx_dir/log"; then
      printf 'wireplan: the %s run stopped (exit %s) before reporting a result\n@wp result failed\n' "$wpx_op" "$wpx_rc" >> "$wpx_dir/log"
    fi
    # CPU time of the op and everything it ran (bash `times`, children line), for diagnostics.
    times > "$wpx_dir/times" 2>/dev/null || true
    printf '%s\n' "$wpx_rc" > "$wpx_dir/rc.tmp" && mv -f "$wpx_dir/rc.tmp" "$wpx_dir/rc"
    exit 0
    ;;
  timer)
    wpx_dir=$1; wpx_secs=$2
    wpx_state "$wpx_dir" armed
    # The window starts when the run has ended (or died), like a commit that completed.
    until [[ -e $wpx_dir/rc ]]; do
      if [[ -s $wpx_dir/pid ]] && ! kill -0 "$(<"$wpx_dir/pid")" 2>/dev/null; then break; fi
      sleep 0.1
    done
    wpx_state "$wpx_dir" waiting
    SECONDS=0
    while (( SECONDS < wpx_secs )); do
      if [[ -e $wpx_dir/confirm ]]; then wpx_state "$wpx_dir" confirmed; exit 0; fi
      sleep 0.1
    done
    if [[ -e $wpx_dir/confirm ]]; then wpx_state "$wpx_dir" confirmed; exit 0; fi
    wpx_state "$wpx_dir" reverting
    if bash "$0" "$wpx_plan" revert "$wpx_dir/input" "$wpx_dir/log" > "$wpx_dir/revert.log" 2>&1 </dev/null; then wpx_rc=0; else wpx_rc=$?; fi
    printf '%s\n' "$wpx_rc" > "$wpx_dir/revert.rc"
    wpx_state "$wpx_dir" reverted
    exit 0
    ;;
esac

wpx_tail=$(tail -n 2 -- "$wpx_plan")
if [[ $wpx_tail != $'wp_main "$@" </dev/null\nexit' ]]; then
  printf 'wireplan: %s does not end like an exported Wireplan script\n' "$wpx_plan" >&2
  exit 2
fi
# The runtime keeps a copy of the plan it converged to: this file (see wp_plan_save).
# shellcheck disable=SC2034 # read by the runtime sourced below
WP_SELF=$wpx_plan
# shellcheck disable=SC1090
source <(head -n -2 -- "$wpx_plan")

# ---- inspect: step status plus every object carrying this design's tag -----------
# Under the lock: a run in progress shows half-made objects (a namespace not tagged yet
# reads as foreign), so a busy lock is reported instead of a misleading status.
wpx_inspect() {
  local table=$1 mode=$2 f
  mkdir -p "$WP_STATE_DIR"
  exec 9>"$WP_STATE_DIR/lock"
  if ! flock -n 9; then
    printf '@wpx locked %s\n' "$(cat "$WP_STATE_DIR/holder" 2>/dev/null || echo unknown)"
    return 0
  fi
  # Every namespace in one pass (orphans of ours may be in any of them), then the status.
  wp_netns_load
  wp_inv_load_many '' "${!WP_NETNS[@]}"
  wp_status || true
  printf '@wpx boot %s\n' "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)"
  wpx_tagged "$table" "$mode"
  (( ${#WPX_TAGGED[@]} == 0 )) || printf '@wpx %s\n' "${WPX_TAGGED[@]}"
  wpx_leftovers '@wpx orphan '
  # Runs whose commit-confirmed window is still open (they may still revert themselves).
  if [[ -d $WP_STATE_DIR/runs ]]; then
    for f in "$WP_STATE_DIR"/runs/*/timer.state; do
      [[ -e $f ]] || continue
      case $(<"$f") in armed | waiting | reverting) f=${f%/timer.state}; printf '@wpx pending-confirm %s %s\n' "${f##*/}" "$(<"$f/timer.state")" ;; esac
    done
  fi
  return 0
}

# ---- prune: remove orphans, each re-checked as ours right before it goes ----------
# wpx_forget NS: drop what the inventory holds for NS (and the namespace list), so the
# next probe there asks the kernel again; the rest of the inventory stays.
wpx_forget() {
  local k
  for k in "${!WP_LINKS[@]}"; do [[ ${k%%|*} != "$1" ]] || unset -v 'WP_LINKS[$k]'; done
  for k in "${!WP_ADDRS[@]}"; do [[ ${k%%|*} != "$1" ]] || unset -v 'WP_ADDRS[$k]'; done
  for k in "${!WP_ROUTES[@]}"; do [[ ${k%%|*} != "$1" ]] || unset -v 'WP_ROUTES[$k]'; done
  unset -v 'WP_INV[@$1]' 'WP_INV6[@$1]'
  WP_NETNS=()
  # shellcheck disable=SC2034 # the runtime's
  WP_NETNS_LOADED=0
}

# wpx_tagged_as NS IFNAME OWNER: the interface is there and carries exactly this tag (read
# from the kernel again: the caller made the inventory forget NS).
wpx_tagged_as() {
  local entry
  wp_inv_load "$1"
  [[ -n ${WP_LINKS[$1|$2]+x} ]] || return 1
  entry=${WP_LINKS[$1|$2]}
  [[ ${entry%%|*} == "$3" ]]
}

wpx_prune() {
  local input=$1 kind a b c out name ns key n=0
  local -a gone=()
  local -A wpx_pruned_ns=()
  [[ -s $input ]] || return 0
  while read -r kind a b c <&3; do
    if [[ $a == - ]]; then a=; fi
    case $kind in
      netns)
        wpx_forget "$a"
        if wp_netns_exists "$a" && wpx_tagged_as "$a" lo "$b"; then
          printf '@wpx prune netns %s\n' "$a"
          ip netns del "$a" || wp_err "could not remove namespace $a"
          wpx_pruned_ns[@$a]=1
          n=$((n + 1))
        fi
        ;;
      link)
        wpx_forget "$a"
        if wpx_tagged_as "$a" "$b" "$c"; then
          printf '@wpx prune link %s %s\n' "${a:--}" "$b"
          # A veth whose peer's namespace was just removed may vanish by itself meanwhile.
          wp_exec "$a" ip link del dev "$b" 2>/dev/null || true
          wpx_pruned_ns[@$a]=1
          if [[ -z $a ]]; then gone+=("$b"); fi
          n=$((n + 1))
        fi
        ;;
      nft)
        out=$(WP_NS=$a wp_in_ns nft list table inet "$b" 2>/dev/null) || continue
        if [[ $out == *"comment \"wireplan:$WP_TAG:"* ]]; then
          printf '@wpx prune nft %s %s\n' "${a:--}" "$b"
          WP_NS=$a wp_in_ns nft delete table inet "$b" || wp_err "could not remove nft table $b"
          n=$((n + 1))
        fi
        ;;
      sysctl)
        [[ -e $WP_STATE_DIR/sysctl/$a ]] || continue
        name=$a; ns=
        if [[ $name == *@* ]]; then ns=${name%%@*}; name=${name#*@}; fi
        key=${name//'%'/\/}
        printf '@wpx prune sysctl %s%s\n' "${ns:+$ns@}" "$key"
        WP_NS=$ns wp_sysctl_restore "$key" || wp_err "could not restore sysctl $key"
        n=$((n + 1))
        ;;
    esac
  done 3< "$input"
  # What was pruned is gone: probes must not answer from the listing taken before.
  for a in "${!wpx_pruned_ns[@]}"; do wpx_forget "${a#@}"; done
  # `ip netns del` returns before the kernel has removed the namespace's devices; wait
  # (bounded) until the root-side interfaces pruned above are really gone.
  local i l busy
  for (( i = 0; i < 250 && ${#gone[@]} > 0; i++ )); do
    busy=0
    for l in "${gone[@]}"; do
      if ip link show dev "$l" >/dev/null 2>&1; then busy=1; fi
    done
    (( busy )) || break
    sleep 0.02
  done
  (( n == 0 )) || printf '@wpx pruned %d\n' "$n"
}

# Namespaces that may hold our nft table, kept for the next quick inspect.
wpx_record_nft() {
  local input=$1 kind a rest
  mkdir -p "$WP_STATE_DIR"
  {
    if [[ -e $WP_STATE_DIR/nft-ns ]]; then cat "$WP_STATE_DIR/nft-ns"; fi
    while read -r kind a rest; do
      if [[ $kind == nftns && $a != - ]]; then printf '%s\n' "$a"; fi
    done < "$input"
  } | sort -u > "$WP_STATE_DIR/nft-ns.tmp"
  mv -f "$WP_STATE_DIR/nft-ns.tmp" "$WP_STATE_DIR/nft-ns"
}

wpx_apply() {
  local input=$1
  shift
  wp_lock
  wpx_prune "$input"
  wp_inv_reset
  wpx_record_nft "$input"
  # wp_up takes the lock again (re-opening fd 9); it ends the script on failure (set -e).
  wp_up "$@"
  wp_spawn_end
  # CPU used so far (this shell, then its children), before the status below.
  times > "${input%/*}/times-up" 2>/dev/null || true
  # Observe again right away, still under the lock and without parsing the plan again:
  # the app's first verification reads these lines (it re-checks only what is missing).
  wp_inv_after_up
  { wp_status || true; } | sed 's/^/@wpx status /'
}

# ---- leftovers: this design's objects on the host that the plan does not name ---------
# The one place that decides what is left over, for apply and destroy alike: the inspect
# prints the leftovers (apply and diff show them, and apply hands them back as its run's
# INPUT, each re-checked as ours right before it goes), and destroy finds and prunes
# them in its own run, under the lock. Only an exact tag match makes a leftover: foreign
# objects and other designs' objects are never listed.

# wpx_tagged TABLE MODE: every object carrying this design's tag into WPX_TAGGED, from
# the inventory (the caller loads every namespace): "link NS IF OWNER", "nft NS TABLE",
# "sysctl RECORD" (NS "-" is the root namespace). Our nft table can only be in the root
# namespace or in a namespace of ours: "full" looks in every one of ours (a process
# each), "quick" in those a run recorded.
WPX_TAGGED=()
wpx_tagged() {
  local table=$1 mode=$2 key entry alias ns out f
  local -a nftns=('')
  WPX_TAGGED=()
  for key in "${!WP_LINKS[@]}"; do
    entry=${WP_LINKS[$key]}
    alias=${entry%%|*}
    [[ $alias == "wireplan:$WP_TAG:"* ]] || continue
    ns=${key%%|*}
    WPX_TAGGED+=("link ${ns:--} ${key#*|} $alias")
  done
  if [[ $mode == full ]]; then
    for ns in "${!WP_NETNS[@]}"; do
      entry=${WP_LINKS[$ns|lo]:-}
      if [[ ${entry%%|*} == "wireplan:$WP_TAG:"* ]]; then nftns+=("$ns"); fi
    done
  elif [[ -e $WP_STATE_DIR/nft-ns ]]; then
    while read -r ns; do
      if [[ -n $ns && -n ${WP_NETNS[$ns]:-} ]]; then nftns+=("$ns"); fi
    done < "$WP_STATE_DIR/nft-ns"
  fi
  if command -v nft >/dev/null 2>&1; then
    for ns in "${nftns[@]}"; do
      out=$(WP_NS=$ns wp_in_ns nft list table inet "$table" 2>/dev/null) || continue
      if [[ $out == *"comment \"wireplan:$WP_TAG:"* ]]; then WPX_TAGGED+=("nft ${ns:--} $table"); fi
    done
  fi
  if [[ -d $WP_STATE_DIR/sysctl ]]; then
    for f in "$WP_STATE_DIR"/sysctl/*; do
      if [[ -e $f && $f != *.tmp ]]; then WPX_TAGGED+=("sysctl ${f##*/}"); fi
    done
  fi
}

# What the plan's probes name (namespaces, links with their owners, nft namespaces,
# sysctl records), read by calling every step's probe with recording stand-ins, in a
# subshell so the real probes stay: "netns NAME OWNER", "link NS IF OWNER", "nft NS",
# "sysctl RECORD" (NS "-" is the root namespace). Probes that name no object: nothing.
wpx_plan_objects() {
  (
    local -a wpx_o=()
    # shellcheck disable=SC2317 # the stand-ins are called by the steps' probes
    {
      wp_probe_netns() { wpx_o+=("netns $1 $2"); }
      # (NS IFNAME OWNER ...; a veth names its peer too: ... PEER_NS PEER_IFNAME PEER_OWNER)
      wp_probe_link() { wpx_o+=("link ${1:--} $2 $3"); if (( $# > 7 )); then wpx_o+=("link ${6:--} $7 $8"); fi; }
      wp_probe_alias() { wpx_o+=("link ${1:--} $2 $3"); }
      wp_probe_nft() { wpx_o+=("nft ${1:--}"); }
      wp_probe_sysctl() { local f; f=$(WP_NS=$1 wp_sysctl_file "$2"); wpx_o+=("sysctl ${f##*/}"); }
      wp_probe_linkstate() { :; }; wp_probe_addr() { :; }; wp_probe_route() { :; }; wp_probe_bridge_vlan() { :; }
    }
    for (( i = 1; i <= WP_STEPS; i++ )); do "wp_s${i}_probe" || :; done
    (( ${#wpx_o[@]} == 0 )) || printf '%s\n' "${wpx_o[@]}"
  )
}

# The plan's objects, kept: calling every step's probe costs about what a `status` does, so
# the list is kept under the state dir with the plan's hash, and an unchanged plan's next
# inspect, apply or destroy reads it back. False when there is no state dir to keep it in.
WPX_OBJECTS_KEY="$WP_PLAN_HASH plan-objects-1"
wpx_plan_objects_keep() {
  local f=$WP_STATE_DIR/plan-objects key=''
  if [[ -r $f ]]; then IFS= read -r key < "$f" || :; fi
  [[ $key != "$WPX_OBJECTS_KEY" ]] || return 0
  [[ -d $WP_STATE_DIR ]] || return 1
  { printf '%s\n' "$WPX_OBJECTS_KEY"; wpx_plan_objects; } > "$f.tmp" || return 1
  mv -f "$f.tmp" "$f"
}

# wpx_leftovers: the leftovers among WPX_TAGGED, as prune INPUT lines: a namespace of ours
# the plan does not have (with it goes everything in it), then links, nft tables and
# sysctl records (a changed value to restore) outside such namespaces. One awk process
# compares the two lists (bash loops over thousands of lines cost a good part of a second).
# shellcheck disable=SC2016 # an awk program
WPX_LEFTOVERS_AWK='
FILENAME == ARGV[1] {
  if (FNR <= skip) next
  if ($1 == "netns") want[$2 "|lo"] = $3
  else if ($1 == "link") want[$2 "|" $3] = $4
  else if ($1 == "nft") wantnft[$2] = 1
  else if ($1 == "sysctl") wantsys[$2] = 1
  next
}
NF { n++; k[n] = $1; a[n] = $2; b[n] = $3; c[n] = $4 }
function wanted(key, owner) { return (key in want) && want[key] == owner }
END {
  for (i = 1; i <= n; i++)
    if (k[i] == "link" && a[i] != "-" && b[i] == "lo" && !wanted(a[i] "|lo", c[i])) { gone[a[i]] = 1; print pre "netns", a[i], c[i] }
  for (i = 1; i <= n; i++)
    if (k[i] == "link" && !(a[i] in gone) && !(a[i] != "-" && b[i] == "lo") && !wanted(a[i] "|" b[i], c[i])) print pre "link", a[i], b[i], c[i]
  for (i = 1; i <= n; i++)
    if (k[i] == "nft" && !(a[i] in gone) && !(a[i] in wantnft)) print pre "nft", a[i], b[i]
  for (i = 1; i <= n; i++) {
    if (k[i] != "sysctl") continue
    ns = index(a[i], "@") ? substr(a[i], 1, index(a[i], "@") - 1) : "-"
    if (!(a[i] in wantsys) && !(ns in gone)) print pre "sysctl", a[i]
  }
}'
# wpx_leftovers [PREFIX]: each line starts with PREFIX (the inspect's "@wpx orphan ").
wpx_leftovers() {
  if wpx_plan_objects_keep; then
    awk -v skip=1 -v pre="${1:-}" "$WPX_LEFTOVERS_AWK" "$WP_STATE_DIR/plan-objects" <(printf '%s\n' "${WPX_TAGGED[@]}")
  else
    awk -v skip=0 -v pre="${1:-}" "$WPX_LEFTOVERS_AWK" <(wpx_plan_objects) <(printf '%s\n' "${WPX_TAGGED[@]}")
  fi
}

# Destroy inspects the host itself, once, under the lock: every namespace is listed in
# one pass (orphans of ours may be in any of them); the orphans found are pruned (each
# re-checked right before it goes), then `down` answers its probes from the same listing.
# Orphans first: `down` forgets every sysctl record when it ends, so a value changed by
# an older version of the design must be restored before that.
wpx_destroy() {
  local input=$1 table=$2
  wp_lock
  wp_netns_load
  wp_inv_load_many '' "${!WP_NETNS[@]}"
  wpx_tagged "$table" quick
  wpx_leftovers > "$input.orphans"
  wpx_prune "$input.orphans"
  # A runtime that keeps the last converged plan lets that plan take down what it made
  # first: then `down` must read the host again, not answer from the listing above.
  if declare -F wp_prev_plan >/dev/null && wp_prev_plan; then wp_inv_reset; fi
  wp_down
  wp_spawn_end
  rm -f "$WP_STATE_DIR/nft-ns" "$WP_STATE_DIR/plan-objects"
}

# Undo exactly what the run that wrote LOG did (its "step I/N run" markers), in reverse,
# with the script's own rollback. Waits for the lock: the run may still be going.
wpx_revert() {
  local log=$2 line result
  mkdir -p "$WP_STATE_DIR"
  exec 9>"$WP_STATE_DIR/lock"
  flock 9
  printf 'pid=%s user=%s since=%s plan=%s op=revert\n' "$$" "$(id -un 2>/dev/null || id -u)" "$(date -u +%FT%TZ)" "$WP_PLAN_HASH" > "$WP_STATE_DIR/holder"
  result=$(grep -m1 '^@wp result ' "$log" || true)
  case $result in
    '@wp result converged'* | '@wp result partial'*) ;;
    *)
      printf '@wpx revert nothing (%s)\n' "${result:-the run has no result}"
      printf '@wp result nothing-to-revert\n'
      return 0
      ;;
  esac
  # shellcheck disable=SC2034 # WP_RAN and WP_CUR are the runtime's (wp_rollback reads them)
  while IFS= read -r line; do
    # A property set in place ("run ID fix (...)") is set back by the plan before, not undone.
    if [[ $line =~ ^@wp\ step\ ([0-9]+)/[0-9]+\ run\ [^\ ]+\ fix\ \( ]]; then WP_RAN[BASH_REMATCH[1]]=fix
    elif [[ $line =~ ^@wp\ step\ ([0-9]+)/[0-9]+\ run\  ]]; then WP_RAN[BASH_REMATCH[1]]=1; fi
  done < "$log"
  # shellcheck disable=SC2034
  WP_CUR=$WP_STEPS
  # A converged run saved its plan: what it replaced is the plan before (see wp_rollback).
  if [[ $result == '@wp result converged'* ]]; then wp_rollback converged; else wp_rollback; fi
  printf '@wp result rolled-back\n'
}

case $wpx_cmd in
  inspect) wpx_inspect "$@" </dev/null ;;
  apply) wpx_apply "$@" </dev/null ;;
  destroy) wpx_destroy "$@" </dev/null ;;
  revert) wpx_revert "$@" </dev/null ;;
  leftovers) mapfile -t WPX_TAGGED; wpx_leftovers </dev/null ;;
  *) wp_die "unknown command $wpx_cmd" ;;
esac
