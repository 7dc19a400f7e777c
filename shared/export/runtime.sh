# Wireplan script runtime: embedded in every exported script via runtime.generated.ts (npm run gen).
# The bash runtime embedded in every exported script. It is the on-host half of apply:
# it probes before acting (so `up` twice changes nothing), batches consecutive `ip`
# commands per namespace into one `ip -batch` process, journals progress under /run,
# holds a lock against concurrent runs, rolls back what this run did on failure, and
# prints one machine-readable `@wp ...` line per event for the app to follow.
#
# Probe exit codes: 0 present (and ours), 1 absent (or different), 2 foreign (exists
# but not tagged as ours: never touched).
#
# Each step i of the plan defines wp_s<i>_probe, wp_s<i>_do and wp_s<i>_undo and sets
# WP_ID[i] and WP_DESC[i]. To keep large plans small, WP_COVER[i] is set only when the
# step has a cover, and WP_KIND[i] (with WP_OBJ[i] or WP_SYSCTL_*[i]) only for the kinds
# the runtime treats specially: netns and sysctl.
wp_log() { printf '%s\n' "$*"; }
wp_err() { printf 'wireplan: %s\n' "$*" >&2; }
wp_die() { wp_err "$*"; exit 2; }

# ---- running commands in a namespace ------------------------------------------
# wp_exec NS ARGV...: run one command in namespace NS ("" = root namespace).
wp_exec() {
  local ns=$1; shift
  case $1 in
    wp_*) WP_NS=$ns "$@" ;;
    ip) shift; if [[ -n $ns ]]; then ip -n "$ns" "$@"; else ip "$@"; fi ;;
    *) if [[ -n $ns ]]; then ip netns exec "$ns" "$@"; else "$@"; fi ;;
  esac
}
wp_in_ns() { if [[ -n ${WP_NS:-} ]]; then ip netns exec "$WP_NS" "$@"; else "$@"; fi; }

# Consecutive plain ip commands for one namespace go to one "ip -batch" process: the
# same process count as a hand-written recipe. It runs without a subshell (output to
# files under the state dir, read back with builtins), and for a namespace the batch
# ends by listing the namespace's addresses and routes (JSON), so the status after `up`
# reads what the run built without entering each namespace again (see wp_inv_after_up).
WP_BATCH_NS=; WP_BATCH=(); WP_BATCH_STEP=(); WP_FAILED_STEP=0; WP_BATCH_FORCE=0
WP_NL=$'\n'
declare -A WP_DUMP=()
# A command is batched when it is an ip command (no options) whose arguments are all
# non-empty and plain ([A-Za-z0-9_.:/@,=+-]), so its batch line splits back into the same
# words: one glob over the arguments joined with \037 (this runs once per command of
# the plan, so it avoids regexes and subshells).
wp_x() {
  local ns=$1 j a ifs=$IFS
  shift
  IFS=$'\037'; j="$*"; IFS=$ifs
  if [[ $WP_BATCHING == 1 && $1 == ip && $2 != -* && $j != *[!A-Za-z0-9_.:/@,=+$'\037'-]* && $j != *$'\037\037'* && $j != *$'\037' ]]; then
    if (( ${#WP_BATCH[@]} )) && [[ $ns != "$WP_BATCH_NS" ]]; then wp_flush || return 1; fi
    j=${j#ip$'\037'}
    WP_BATCH_NS=$ns; WP_BATCH+=("${j//$'\037'/ }"); WP_BATCH_STEP+=("$WP_CUR")
  else
    wp_flush || return 1
  fi
  # A listing of a namespace taken before this ip command may be out of date: the one it
  # runs in, and any it names ("netns NAME": a veth peer or a link moved there).
  if [[ $1 == ip ]]; then
    unset -v 'WP_DUMP[@$ns]'
    if [[ $j == *netns$'\037'* ]]; then for a; do [[ -z ${WP_DUMP[@$a]+x} ]] || unset -v 'WP_DUMP[@$a]'; done; fi
  fi
  (( ${#WP_BATCH[@]} )) && return 0
  wp_out_flush
  if ! wp_exec "$ns" "$@"; then WP_FAILED_STEP=$WP_CUR; return 1; fi
}
wp_flush() {
  (( ${#WP_BATCH[@]} )) || return 0
  local rc=0 n=${#WP_BATCH[@]} line=0 text out= err= f=$WP_STATE_DIR/batch dump=0
  local -a ip=(ip)
  [[ -n $WP_BATCH_NS ]] && ip+=(-n "$WP_BATCH_NS")
  printf -v text '%s\n' "${WP_BATCH[@]}"
  if (( WP_BATCH_FORCE )); then
    # Teardown keeps going past a failed line (-force) so one stuck object cannot leave the rest.
    ip+=(-force)
  elif [[ -n $WP_BATCH_NS ]]; then
    ip+=(-j); text+=$WP_LIST; dump=1
  fi
  printf '%s' "$text" > "$f.in"
  wp_out_flush
  wp_spawn rc "${ip[@]}" -batch "$f.in"
  IFS= read -r -d '' err <"$f.err" || :
  if (( rc )) && [[ $err =~ Command\ failed\ [^$WP_NL]*:([0-9]+) ]]; then line=${BASH_REMATCH[1]}; fi
  # Only a listing line failed (the namespace went away meanwhile?): the commands all ran.
  if (( rc && dump && line > n )); then rc=0; dump=0; fi
  if (( rc )); then
    (( dump )) || IFS= read -r -d '' out <"$f.out" || :
    [[ -z $out$err ]] || printf '%s%s' "$out" "$err" >&2
    (( line )) || line=1
    WP_FAILED_STEP=${WP_BATCH_STEP[$(( line - 1 ))]:-$WP_CUR}
  elif (( dump )); then
    IFS= read -r -d '' out <"$f.out" || :
    WP_DUMP[@$WP_BATCH_NS]=$out
  fi
  WP_BATCH=(); WP_BATCH_STEP=(); WP_BATCH_NS=
  return $rc
}

# wp_spawn RCVAR ARGV...: runs ARGV with output to batch.out/batch.err, its exit status
# into RCVAR. A small helper shell (a coprocess, started once) forks it: a fork of this
# shell, which holds the whole plan, costs milliseconds of page tables each time, and a
# large plan runs hundreds of batches. A subshell of ours (no helper of its own) forks it.
WP_SP_OWNER=
wp_spawn() {
  local -n wp_rc=$1; shift
  local cmd f=$WP_STATE_DIR/batch
  if [[ $WP_SP_OWNER != "$BASHPID" ]]; then
    if [[ -n $WP_SP_OWNER ]]; then wp_rc=0; "$@" >"$f.out" 2>"$f.err" || wp_rc=$?; return 0; fi
    coproc WP_SP { exec bash -c 'while IFS= read -r l; do eval "$l"; printf "%s\n" "$?"; done'; }
    WP_SP_OWNER=$BASHPID
  fi
  printf -v cmd '%q ' "$@"
  printf -v cmd '%s>%q 2>%q' "$cmd" "$f.out" "$f.err"
  printf '%s\n' "$cmd" >&"${WP_SP[1]}"
  IFS= read -r wp_rc <&"${WP_SP[0]}" || wp_die "the helper shell that runs ip batches is gone"
}

# Ends the helper (its stdin closes) and waits for it, so its CPU time counts as ours.
wp_spawn_end() {
  local fd
  [[ $WP_SP_OWNER == "$BASHPID" ]] || return 0
  fd=${WP_SP[1]}; exec {fd}>&-
  wait "$WP_SP_PID" 2>/dev/null || :
  WP_SP_OWNER=
}

# ---- inventory: what each namespace holds, read once --------------------------
# One `ip -j` process per namespace lists its links (with alias, master, flags) and
# addresses ("addr show") and its IPv4 routes; every probe answers from the arrays.
# (JSON: the text listing looks up every namespace's id for each veth peer, which is
# quadratic on a host with hundreds of namespaces.)
declare -A WP_INV=() WP_INV6=() WP_NETNS=() WP_LINKS=() WP_ADDRS=() WP_ROUTES=()
WP_NETNS_LOADED=0
wp_inv_reset() { WP_INV=(); WP_INV6=(); WP_NETNS=(); WP_LINKS=(); WP_ADDRS=(); WP_ROUTES=(); WP_NETNS_LOADED=0; }
wp_netns_load() {
  (( WP_NETNS_LOADED )) && return 0
  local name rest
  while read -r name rest; do [[ -n $name ]] && WP_NETNS[$name]=1; done < <(ip netns list 2>/dev/null)
  WP_NETNS_LOADED=1
}
wp_netns_exists() { wp_netns_load; [[ -n ${WP_NETNS[$1]:-} ]]; }
wp_route_add() {
  local ns=$1 line=$2 dest
  dest=${line%% *}
  WP_ROUTES[$ns|$dest]+="$line "$'\n'
}
# What one `ip -j` process lists for a namespace: links, addresses, routes (a line each).
WP_LIST=$'link show\naddr show\nroute show\n'
# The listings go to a file as "@wp-ns NAME" and the three JSON lines; one awk process
# turns them into "|"-separated records (bash regexes cost ~50 us each: seconds on a host
# with hundreds of namespaces). A value is cut at its first quote, so an escaped quote
# can only shorten a name, and "|" or control characters become "?": a foreign alias can
# never read as one of ours.
WP_AWK='
function val(s, key,   i) {
  i = index(s, "\"" key "\":\""); if (!i) return ""
  s = substr(s, i + length(key) + 4); s = substr(s, 1, index(s, "\"") - 1)
  gsub(/[|\001-\037]/, "?", s); return s
}
function links(s,   n, a, i, f) {
  n = split(s, a, /\{"ifindex":/)
  for (i = 2; i <= n; i++) {
    f = substr(a[i], index(a[i], "\"flags\":[")); f = substr(f, 1, index(f, "]"))
    print "L|" ns "|" val(a[i], "ifname") "|" val(a[i], "ifalias") "|" val(a[i], "master") "|" (index(f, "\"UP\"") ? 1 : 0)
  }
}
function addrs(s,   n, a, i, m, b, j, name) {
  n = split(s, a, /\{"ifindex":/)
  for (i = 2; i <= n; i++) {
    name = val(a[i], "ifname"); m = split(a[i], b, /"local":"/)
    for (j = 2; j <= m; j++)
      print "A|" ns "|" name "|" substr(b[j], 1, index(b[j], "\"") - 1) "/" (substr(b[j], index(b[j], "\"prefixlen\":") + 12) + 0)
  }
}
function routes(s,   n, a, i, line, type, next_type) {
  n = split(s, a, /"dst":/)
  for (i = 2; i <= n; i++) {
    next_type = ""
    if (match(a[i], /"type":"[a-z]+",$/)) next_type = substr(a[i], RSTART + 8, RLENGTH - 10)
    line = (type != "" ? type " " : "") val("\"d\":" a[i], "d")
    if (val(a[i], "gateway") != "") line = line " via " val(a[i], "gateway")
    if (val(a[i], "dev") != "") line = line " dev " val(a[i], "dev")
    if (match(a[i], /"metric":[0-9]+/)) line = line " metric " substr(a[i], RSTART + 9, RLENGTH - 9)
    print "R|" ns "|" line
    type = next_type
  }
}
/^@wp-ns / { ns = substr($0, 8); k = 0; print "N|" ns; next }
{ k++; if (k == 1) links($0); else if (k == 2) addrs($0); else if (k == 3) routes($0) }
'
# wp_inv_parse FILE: listings (see WP_AWK) into WP_INV/WP_LINKS/WP_ADDRS/WP_ROUTES.
wp_inv_parse() {
  local kind ns a b c d
  awk "$WP_AWK" "$1" > "$1.rec"
  while IFS='|' read -r kind ns a b c d; do
    case $kind in
      N) WP_INV[@$ns]=1 ;;
      L) WP_LINKS[$ns|$a]="$b|$c|$d" ;;
      A) WP_ADDRS[$ns|$a|$b]=1 ;;
      R) wp_route_add "$ns" "$a" ;;
    esac
  done < "$1.rec"
  rm -f "$1" "$1.rec"
}
# A scratch file for listings (under the state dir; the caller is root anyway).
wp_inv_file() { [[ -d $WP_STATE_DIR ]] || mkdir -p "$WP_STATE_DIR"; WP_INV_FILE=$WP_STATE_DIR/inv.$BASHPID; }
# wp_inv_load_many NS...: lists every namespace not loaded yet in one pass: one ip
# process each, from a single loop (no subshell per namespace), parsed once.
wp_inv_load_many() {
  local ns f
  local -a todo=()
  for ns; do
    [[ -n ${WP_INV[@$ns]:-} ]] && continue
    WP_INV[@$ns]=1
    if [[ -n $ns ]] && ! wp_netns_exists "$ns"; then continue; fi
    todo+=("$ns")
  done
  (( ${#todo[@]} )) || return 0
  wp_inv_file; f=$WP_INV_FILE
  # The loop runs in a new, small shell: a fork of this one (it holds the whole plan)
  # costs milliseconds of page tables, hundreds of times over.
  WP_LIST=$WP_LIST bash -c 'for ns; do
      printf "@wp-ns %s\n" "$ns"
      if [[ -n $ns ]]; then ip -j -n "$ns" -batch - <<<"$WP_LIST"; else ip -j -batch - <<<"$WP_LIST"; fi 2>/dev/null || :
    done' wp-list "${todo[@]}" > "$f"
  wp_inv_parse "$f"
}
wp_inv_load() { [[ -n ${WP_INV[@$1]:-} ]] || wp_inv_load_many "$1"; }
# The namespaces the plan creates (and the root one): loaded together before probing.
wp_plan_ns() {
  local i
  WP_PLAN_NS=('')
  for i in "${!WP_OBJ[@]}"; do WP_PLAN_NS+=("${WP_OBJ[$i]}"); done
}
wp_inv_load_plan() { local -a WP_PLAN_NS; wp_plan_ns; wp_inv_load_many "${WP_PLAN_NS[@]}"; }
wp_inv6_load() {
  local ns=$1 line
  [[ -n ${WP_INV6[@$ns]:-} ]] && return 0
  WP_INV6[@$ns]=1
  if [[ -n $ns ]] && ! wp_netns_exists "$ns"; then return 0; fi
  while IFS= read -r line; do [[ -n $line ]] && wp_route_add "$ns" "$line"; done \
    < <(if [[ -n $ns ]]; then ip -6 -n "$ns" route show; else ip -6 route show; fi 2>/dev/null)
}
# A namespace this run just created holds nothing yet: no need to ask the kernel.
wp_inv_fresh() { WP_INV[@$1]=1; WP_INV6[@$1]=1; WP_NETNS[$1]=1; }
# After `up`: a fresh inventory, taken from the listings the run's own batches ended with
# where nothing touched the namespace since; the rest is read again.
wp_inv_after_up() {
  local key f
  wp_inv_reset
  wp_inv_file; f=$WP_INV_FILE
  for key in "${!WP_DUMP[@]}"; do printf '@wp-ns %s\n%s' "${key#@}" "${WP_DUMP[$key]}"; done > "$f"
  wp_inv_parse "$f"
  wp_inv_load_plan
}

# ---- probes --------------------------------------------------------------------
wp_probe_netns() {
  local name=$1 owner=$2 entry
  wp_netns_exists "$name" || return 1
  wp_inv_load "$name"
  entry=${WP_LINKS[$name|lo]:-}
  [[ ${entry%%|*} == "$owner" ]] && return 0
  return 2
}
wp_probe_link() {
  local ns=$1 ifname=$2 owner=$3 entry
  wp_inv_load "$ns"
  [[ -n ${WP_LINKS[$ns|$ifname]+x} ]] || return 1
  entry=${WP_LINKS[$ns|$ifname]}
  [[ ${entry%%|*} == "$owner" ]] && return 0
  return 2
}
wp_probe_alias() {
  local entry
  wp_inv_load "$1"
  entry=${WP_LINKS[$1|$2]:-}
  [[ -n $entry && ${entry%%|*} == "$3" ]]
}
wp_probe_linkstate() {
  local ns=$1 ifname=$2 master=$3 up=$4 entry rest
  wp_inv_load "$ns"
  entry=${WP_LINKS[$ns|$ifname]:-}
  [[ -n $entry ]] || return 1
  rest=${entry#*|}
  [[ ${rest%%|*} == "$master" && ${rest##*|} == "$up" ]]
}
wp_probe_addr() {
  wp_inv_load "$1"
  [[ -n ${WP_ADDRS[$1|$2|$3]:-} ]]
}
wp_probe_route() {
  local ns=$1 family=$2 to=$3 via=$4 dev=$5 metric=$6 line
  if [[ $family == 6 ]]; then wp_inv6_load "$ns"; else wp_inv_load "$ns"; fi
  # ip prints host routes without their /32 or /128.
  [[ $family == 4 ]] && to=${to%/32}
  [[ $family == 6 ]] && to=${to%/128}
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    [[ -z $via || $line == *" via $via "* ]] || continue
    [[ -z $dev || $line == *" dev $dev "* ]] || continue
    [[ -z $metric || $line == *" metric $metric "* ]] || continue
    return 0
  done <<<"${WP_ROUTES[$ns|$to]:-}"
  return 1
}
wp_probe_sysctl() {
  local ns=$1 key=$2 value=$3 current
  current=$(WP_NS=$ns wp_in_ns cat "/proc/sys/$key" 2>/dev/null) || return 1
  [[ $current == "$value" ]]
}
wp_probe_nft() {
  local ns=$1 table=$2 digest=$3
  local out
  # Read everything before matching: with pipefail, an early-exiting grep -q would make
  # the writer die of SIGPIPE and the pipeline "fail" exactly when the match was found.
  out=$(WP_NS=$ns wp_in_ns nft list table inet "$table" 2>/dev/null) || return 1
  [[ $out == *"comment \"wireplan:$WP_TAG:$digest\""* ]] && return 0
  # Ours but out of date: reload it. Same name without our tag: someone else's table.
  [[ $out == *"comment \"wireplan:$WP_TAG:"* ]] && return 1
  return 2
}
wp_probe_bridge_vlan() {
  local ns=$1 ifname=$2 pvid=$3
  local out
  out=$(WP_NS=$ns wp_in_ns bridge vlan show dev "$ifname" 2>/dev/null) || return 1
  [[ $out =~ (^|[[:space:]])$pvid\ PVID ]]
}

# ---- helpers used by plan steps -------------------------------------------------
wp_sysctl_file() { local ns=${WP_NS:-}; printf '%s/sysctl/%s%s' "$WP_STATE_DIR" "${ns:+$ns@}" "${1//\//%}"; }
# Records the value found before Wireplan first changed it, then writes the new one.
wp_sysctl_set() {
  local key=$1 value=$2 record
  record=$(wp_sysctl_file "$key")
  if [[ ! -e $record ]]; then
    mkdir -p "${record%/*}"
    wp_in_ns cat "/proc/sys/$key" > "$record.tmp" && mv "$record.tmp" "$record"
  fi
  wp_in_ns sysctl -qw "$key=$value"
}
# Step i is a sysctl step: is a prior value on record (so there is something to restore)?
wp_sysctl_recorded() { [[ -e $(WP_NS=${WP_SYSCTL_NS[$1]} wp_sysctl_file "${WP_SYSCTL_KEY[$1]}") ]]; }
wp_sysctl_restore() {
  local key=$1 record
  record=$(wp_sysctl_file "$key")
  [[ -e $record ]] || return 0
  if wp_in_ns test -e "/proc/sys/$key"; then wp_in_ns sysctl -qw "$key=$(<"$record")" || return 1; fi
  rm -f "$record"
}
wp_nft_load() { wp_in_ns nft -f /dev/stdin <<<"$1"; }

# ---- state, lock, journal -------------------------------------------------------
wp_lock() {
  mkdir -p "$WP_STATE_DIR" || wp_die "cannot create $WP_STATE_DIR"
  exec 9>"$WP_STATE_DIR/lock"
  if ! flock -n 9; then
    wp_err "another Wireplan run holds the lock on design '$WP_TAG': $(cat "$WP_STATE_DIR/holder" 2>/dev/null || echo unknown)"
    printf '@wp result locked\n'
    exit 75
  fi
  printf 'pid=%s user=%s since=%s plan=%s\n' "$$" "$(id -un 2>/dev/null || id -u)" "$(date -u +%FT%TZ)" "$WP_PLAN_HASH" > "$WP_STATE_DIR/holder"
}
wp_journal() { printf '%s\n' "$*" >> "$WP_STATE_DIR/journal"; }
# `up` collects its journal lines and step markers and writes them in one go right before
# anything runs (a batch, a command, the end), not a write (and a journal open) per step.
WP_OUT=; WP_JOUT=
wp_out_flush() {
  if [[ -n $WP_JOUT ]]; then printf '%s' "$WP_JOUT" >> "$WP_STATE_DIR/journal"; WP_JOUT=; fi
  if [[ -n $WP_OUT ]]; then printf '%s' "$WP_OUT"; WP_OUT=; fi
}

wp_probe_step() { local rc=0; "wp_s$1_probe" || rc=$?; return $rc; }

# ---- subcommands ----------------------------------------------------------------
WP_RAN=()
wp_rollback() {
  local i j skip rc
  printf '@wp rollback-start\n'
  wp_journal "rollback"
  WP_BATCH=(); WP_BATCH_STEP=(); WP_BATCHING=0
  wp_inv_reset
  wp_inv_load_plan
  local -a gone=()
  for (( i = WP_CUR; i >= 1; i-- )); do
    [[ -n ${WP_RAN[$i]:-} ]] || continue
    # A root-side interface this run created: wait below until the kernel has removed it.
    [[ -n ${WP_ROOTIF[$i]:-} ]] && gone+=("${WP_ROOTIF[$i]}")
    skip=0
    for j in ${WP_COVER[$i]:-}; do [[ -n ${WP_RAN[$j]:-} ]] && skip=1; done
    if (( skip )); then continue; fi
    # This run found the step absent, so whatever now answers to its name is ours to remove
    # (even a link whose tag was not written yet). Sysctls restore from their record.
    if [[ ${WP_KIND[$i]:-} != sysctl ]]; then rc=0; wp_probe_step "$i" || rc=$?; (( rc == 1 )) && continue; fi
    printf '@wp undo %d/%d %s\n' "$i" "$WP_STEPS" "${WP_ID[$i]}"
    "wp_s${i}_undo" || wp_err "undo of ${WP_ID[$i]} failed"
  done
  (( ${#gone[@]} )) && wp_wait_gone "${gone[@]}"
  wp_journal "end rolled-back"
}

wp_up() {
  local keep=0 i rc changed=0
  [[ ${1:-} == --keep-partial ]] && keep=1
  wp_lock
  : > "$WP_STATE_DIR/journal"
  wp_journal "begin $WP_PLAN_HASH"
  printf '@wp plan %s steps %d\n' "$WP_PLAN_HASH" "$WP_STEPS"
  wp_inv_load_plan
  WP_BATCHING=1
  for (( i = 1; i <= WP_STEPS; i++ )); do
    WP_CUR=$i
    rc=0; "wp_s${i}_probe" || rc=$?
    if (( rc == 0 )); then WP_OUT+="@wp step $i/$WP_STEPS present ${WP_ID[$i]}$WP_NL"; continue; fi
    if (( rc == 2 )); then
      wp_out_flush
      wp_err "${WP_DESC[$i]}: an object with this name exists but Wireplan did not create it (no ownership tag); refusing to touch it"
      WP_FAILED_STEP=$i
      break
    fi
    WP_OUT+="@wp step $i/$WP_STEPS run ${WP_ID[$i]} ${WP_DESC[$i]}$WP_NL"; WP_JOUT+="run $i ${WP_ID[$i]}$WP_NL"
    WP_RAN[$i]=1; changed=$((changed + 1))
    if [[ ${WP_KIND[$i]:-} == netns ]]; then wp_inv_fresh "${WP_OBJ[$i]:-}"; fi
    if ! "wp_s${i}_do"; then [[ $WP_FAILED_STEP == 0 ]] && WP_FAILED_STEP=$i; break; fi
  done
  if (( WP_FAILED_STEP == 0 )) && ! wp_flush; then :; fi
  wp_out_flush
  rm -f "$WP_STATE_DIR"/batch.*
  if (( WP_FAILED_STEP )); then
    printf '@wp step %d/%d failed %s\n' "$WP_FAILED_STEP" "$WP_STEPS" "${WP_ID[$WP_FAILED_STEP]}"
    wp_err "step ${WP_ID[$WP_FAILED_STEP]} (${WP_DESC[$WP_FAILED_STEP]}) failed"
    if (( keep )); then
      wp_journal "end partial"; printf '@wp result partial\n'; return 1
    fi
    WP_CUR=$WP_STEPS
    wp_rollback
    printf '@wp result rolled-back\n'
    return 1
  fi
  wp_journal "end converged"
  printf '@wp result converged changed=%d\n' "$changed"
}

wp_down() {
  local i j skip rc failed=0
  wp_lock
  wp_journal "down $WP_PLAN_HASH"
  # Which steps are present (ours) now. Covers come before what they cover, so one
  # forward pass can skip probing anything that goes away with a present container:
  # a namespace of ours is checked once (its tag) and then deleted whole.
  local -a present=()
  wp_inv_load_plan
  for (( i = 1; i <= WP_STEPS; i++ )); do
    skip=0
    for j in ${WP_COVER[$i]:-}; do [[ -n ${present[$j]:-} ]] && skip=1; done
    if (( skip )); then present[$i]=covered; continue; fi
    rc=0; wp_probe_step "$i" || rc=$?
    (( rc == 0 )) && present[$i]=1
  done
  WP_BATCHING=1; WP_BATCH_FORCE=1
  for (( i = WP_STEPS; i >= 1; i-- )); do
    [[ ${present[$i]:-} == covered ]] && continue
    # A sysctl is restored from its record whether or not its value still matches.
    if [[ ${WP_KIND[$i]:-} == sysctl ]]; then
      wp_sysctl_recorded "$i" || continue
    elif [[ -z ${present[$i]:-} ]]; then
      continue
    fi
    printf '@wp undo %d/%d %s\n' "$i" "$WP_STEPS" "${WP_ID[$i]}"
    WP_CUR=$i
    if ! "wp_s${i}_undo"; then wp_err "could not undo ${WP_ID[$i]}"; failed=1; fi
  done
  if ! wp_flush; then wp_err "some removals failed (see above)"; failed=1; fi
  WP_BATCH_FORCE=0
  if (( failed )); then printf '@wp result failed\n'; return 1; fi
  wp_wait_gone
  rm -rf "$WP_STATE_DIR/sysctl" "$WP_STATE_DIR/journal" "$WP_STATE_DIR/holder" "$WP_STATE_DIR"/batch.*
  printf '@wp result removed\n'
}

# `ip netns del` returns before the kernel has destroyed the namespace's devices; the
# root-side veth ends linger briefly. Wait (bounded) until they are gone, so "down" and
# "rolled back" mean gone. With names: wait for those root interfaces; without: for every
# root interface tagged with this design (down removes all of them).
wp_wait_gone() {
  local i links name pending
  for (( i = 0; i < 250; i++ )); do
    # (JSON: see the inventory; the text listing is slow while hundreds of namespaces go)
    links=$(ip -j link show 2>/dev/null)
    pending=0
    if (( $# )); then
      for name in "$@"; do [[ $links == *"\"ifname\":\"$name\""* ]] && pending=1; done
    else
      [[ $links == *"\"ifalias\":\"wireplan:$WP_TAG:"* ]] && pending=1
    fi
    (( pending )) || return 0
    sleep 0.02
  done
  wp_err "some interfaces of design $WP_TAG are still being removed by the kernel"
}

wp_status() {
  local i rc missing=0 state
  wp_inv_load_plan
  for (( i = 1; i <= WP_STEPS; i++ )); do
    rc=0; wp_probe_step "$i" || rc=$?
    case $rc in 0) state=present ;; 2) state=foreign; missing=1 ;; *) state=missing; missing=1 ;; esac
    printf '%-8s %s  (%s)\n' "$state" "${WP_DESC[$i]}" "${WP_ID[$i]}"
  done
  return $(( missing ? 3 : 0 ))
}

# The plan, read back from the step functions themselves (so it cannot disagree with
# what `up` runs): each step's description and its commands.
wp_print_plan() {
  local i line
  for (( i = 1; i <= WP_STEPS; i++ )); do
    printf '[%d/%d] %s  (%s)\n' "$i" "$WP_STEPS" "${WP_DESC[$i]}" "${WP_ID[$i]}"
    while IFS= read -r line; do
      [[ $line == *"wp_x "* ]] || continue
      line=${line#*wp_x }; line=${line%;}; line=${line% || return 1}
      if [[ $line == "'' "* ]]; then printf '    %s\n' "${line#\'\' }"; else printf '    [netns %s] %s\n' "${line%% *}" "${line#* }"; fi
    done < <(declare -f "wp_s${i}_do")
  done
}

wp_usage() {
  cat <<USAGE
usage: $0 up [--keep-partial] | down | status | plan
  up      create everything in the plan that is missing (safe to run again)
  down    remove only what this plan creates and restore changed sysctls
  status  show each step as present, missing or foreign (exit 3 if not all present)
  plan    print the commands, one step at a time
USAGE
}

wp_main() {
  case ${1:-} in plan|help|-h|--help|'') ;; *)
    [[ $(id -u) == 0 ]] || wp_die "must run as root (or inside a user namespace where you are root)" ;;
  esac
  # (set -e ends the script where a command fails: the helper then ends with it)
  case ${1:-} in
    up) shift; wp_up "$@" ;;
    down) wp_down ;;
    status) wp_status ;;
    plan) wp_print_plan ;;
    -h|--help|help) wp_usage ;;
    *) wp_usage >&2; exit 2 ;;
  esac
  wp_spawn_end
}
