# Wireplan script runtime: embedded in every exported script via runtime.generated.ts (npm run gen).
# The bash runtime embedded in every exported script. It is the on-host half of apply:
# it probes before acting (so `up` twice changes nothing), batches consecutive `ip`
# commands per namespace into one `ip -batch` process, journals progress under /run,
# holds a lock against concurrent runs, rolls back what this run did on failure, and
# prints one machine-readable `@wp ...` line per event for the app to follow.
#
# Probe exit codes: 0 present (and ours), 1 absent (or different), 2 foreign (exists
# but not tagged as ours: never touched), 3 drifted (ours, but a property differs: the
# step's fix, or else its do, sets it in place), 4 ours but made differently (another
# element's tag, a veth whose peer is elsewhere): replaced (undo, then do). A probe that
# returns 2, 3 or 4 says why in WP_WHY.
#
# Ownership of objects without a tag (addresses, routes, PVIDs): WP_OWNED holds the ids
# of the steps whose do ran here (file $WP_STATE_DIR/owned, written ahead of the do). Such
# an object found present but not owned existed before: down and rollback leave it, and
# one found different (same route key, other gateway) is refused as foreign.
#
# Convergence across edits: the last converged plan is kept as $WP_STATE_DIR/plan.sh. An
# `up` of a different plan first asks it to remove what it made that the new plan no
# longer has (its own undo commands: `prune`), and a failed `up` restores it.
#
# Each step i of the plan defines wp_s<i>_probe, wp_s<i>_do and wp_s<i>_undo and sets
# WP_ID[i] and WP_DESC[i]. To keep large plans small, WP_COVER[i] is set only when the
# step has a cover, and WP_KIND[i] (with WP_OBJ[i] or WP_SYSCTL_*[i]) only for the kinds
# the runtime treats specially: netns and sysctl.
wp_log() { printf '%s\n' "$*"; }
wp_err() { printf 'wireplan: %s\n' "$*" >&2; }
wp_die() { wp_err "$*"; exit 2; }

# ---- globals ---------------------------------------------------------------------
# Every global of the runtime starts here (comments at their users say what they hold), in
# one function so a saved copy of the plan (wp_plan_save) starts from the same values.
wp_globals() {
  WP_BATCH_NS=; WP_BATCH=(); WP_BATCH_STEP=(); WP_FAILED_STEP=0; WP_BATCH_FORCE=0
  WP_NL=$'\n'
  declare -gA WP_DUMP=()
  WP_SP_OWNER=
  declare -gA WP_INV=() WP_INV6=() WP_NETNS=() WP_LINKS=() WP_ADDRS=() WP_ROUTES=()
  WP_NETNS_LOADED=0
  WP_LIST=$'link show\naddr show\nroute show\n'
  WP_OUT=; WP_JOUT=; WP_OWNOUT=
  declare -gA WP_OWNED=()
  WP_SAVED=$WP_STATE_DIR/plan.sh
  # This script's own file when it runs from one (the apply helpers, which source it, say which).
  WP_SELF=${WP_SELF:-${BASH_SOURCE[-1]}}
  WP_BEFORE=$WP_STATE_DIR/plan.before.sh
  WP_RAN=()
  WP_FIX=()
  # The qdiscs of the interface a probe last read (wp_qdisc_text).
  WP_TC_SHOW=
  # The inventory's listing parser (see wp_inv_parse).
  # shellcheck disable=SC2016 # an awk program
  WP_AWK='
function val(s, key,   i) {
  i = index(s, "\"" key "\":\""); if (!i) return ""
  s = substr(s, i + length(key) + 4); s = substr(s, 1, index(s, "\"") - 1)
  gsub(/[|\001-\037]/, "?", s); return s
}
function links(s,   n, a, i, f, mtu) {
  n = split(s, a, /\{"ifindex":/)
  for (i = 2; i <= n; i++) {
    f = substr(a[i], index(a[i], "\"flags\":[")); f = substr(f, 1, index(f, "]"))
    mtu = match(a[i], /"mtu":[0-9]+/) ? substr(a[i], RSTART + 6, RLENGTH - 6) : ""
    print "L|" ns "|" val(a[i], "ifname") "|" val(a[i], "ifalias") "|" val(a[i], "master") "|" (index(f, "\"UP\"") ? 1 : 0) "|" mtu "|" val(a[i], "address")
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
}


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
  local rc=0 n=${#WP_BATCH[@]} line=0 text out='' err='' f=$WP_STATE_DIR/batch dump=0
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
  # shellcheck disable=SC2034 # wp_rc is a nameref: this sets the caller's variable
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
wp_inv_reset() { WP_INV=(); WP_INV6=(); WP_NETNS=(); WP_LINKS=(); WP_ADDRS=(); WP_ROUTES=(); WP_NETNS_LOADED=0; }
wp_netns_load() {
  (( WP_NETNS_LOADED )) && return 0
  local name rest
  while read -r name rest; do [[ -n $name ]] && WP_NETNS[$name]=1; done < <(ip netns list 2>/dev/null)
  WP_NETNS_LOADED=1
}
wp_netns_exists() { wp_netns_load; [[ -n ${WP_NETNS[$1]:-} ]]; }
wp_route_add() {
  local key="$1|${2%% *}"
  WP_ROUTES[$key]+="$2 "$'\n'
}
# What one `ip -j` process lists for a namespace: links, addresses, routes (a line each).
# The listings go to a file as "@wp-ns NAME" and the three JSON lines; one awk process
# turns them into "|"-separated records (bash regexes cost ~50 us each: seconds on a host
# with hundreds of namespaces). A value is cut at its first quote, so an escaped quote
# can only shorten a name, and "|" or control characters become "?": a foreign alias can
# never read as one of ours.
# wp_inv_parse FILE: listings (see WP_AWK) into WP_INV/WP_LINKS/WP_ADDRS/WP_ROUTES.
# A WP_LINKS entry is "alias|master|up|mtu|mac".
wp_inv_parse() {
  local kind ns a b c d e f
  awk "$WP_AWK" "$1" > "$1.rec"
  while IFS='|' read -r kind ns a b c d e f; do
    case $kind in
      N) WP_INV[@$ns]=1 ;;
      L) WP_LINKS[$ns|$a]="$b|$c|$d|$e|$f" ;;
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
# wp_link_props ENTRY MTU MAC NS IFNAME: 0 when the listed link has the designed MTU and
# MAC ('' = not designed), else 3 with WP_WHY naming each difference and WP_FIX the
# command that sets them in place (what a step's fix is: the designed values again).
# (Parameter expansion, not `read <<<`: this runs for every interface step of the plan.)
wp_link_props() {
  local props=${1#*|*|*|} mtu mac
  mtu=${props%%|*}; mac=${props#*|}
  WP_WHY=
  [[ -z $2 || $mtu == "$2" ]] || WP_WHY="mtu ${mtu:-?}, designed $2"
  [[ -z $3 || $mac == "$3" ]] || WP_WHY+="${WP_WHY:+; }mac ${mac:-?}, designed $3"
  [[ -n $WP_WHY ]] || return 0
  WP_FIX=("$4" ip link set dev "$5")
  [[ -z $2 ]] || WP_FIX+=(mtu "$2")
  [[ -z $3 ]] || WP_FIX+=(address "$3")
  return 3
}
# wp_probe_link NS IFNAME OWNER MTU MAC [PEER_NS PEER_IFNAME PEER_OWNER]
wp_probe_link() {
  local ns=$1 ifname=$2 owner=$3 entry alias peer
  wp_inv_load "$ns"
  [[ -n ${WP_LINKS[$ns|$ifname]+x} ]] || return 1
  entry=${WP_LINKS[$ns|$ifname]}
  alias=${entry%%|*}
  if [[ $alias != "$owner" ]]; then
    if [[ -n $alias ]]; then WP_WHY="$ifname is tagged $alias"; else WP_WHY="$ifname has no Wireplan tag"; fi
    # Another element of this design (an owner tag as compile writes them): made again.
    # Anything else, a look-alike with stray characters included, is someone else's.
    [[ $alias == "wireplan:$WP_TAG:"* && ${alias#"wireplan:$WP_TAG:"} =~ ^[a-z][a-z0-9_-]*(\.[ab]|/[a-z0-9-]+)?$ ]] && return 4
    return 2
  fi
  if (( $# > 5 )); then
    # A veth: its peer must be where the design puts it (untagged yet is fine: a later step tags it).
    wp_inv_load "$6"
    peer=${WP_LINKS[$6|$7]-}
    if [[ -z ${WP_LINKS[$6|$7]+x} || ( -n ${peer%%|*} && ${peer%%|*} != "$8" ) ]]; then
      WP_WHY="its peer $7 is not in ${6:-the root namespace}"
      return 4
    fi
  fi
  wp_link_props "$entry" "$4" "$5" "$ns" "$ifname"
}
# wp_probe_alias NS IFNAME OWNER MTU MAC: the tag an earlier step's interface carries.
wp_probe_alias() {
  local entry
  wp_inv_load "$1"
  entry=${WP_LINKS[$1|$2]:-}
  [[ -n $entry && ${entry%%|*} == "$3" ]] || return 1
  wp_link_props "$entry" "$4" "$5" "$1" "$2"
}
wp_probe_linkstate() {
  local ns=$1 ifname=$2 master=$3 up=$4 entry
  wp_inv_load "$ns"
  entry=${WP_LINKS[$ns|$ifname]:-}
  [[ -n $entry ]] || return 1
  # "alias|master|up|mtu|mac"
  entry=${entry#*|}
  [[ $entry == "$master|$up|"* ]]
}
wp_probe_addr() {
  wp_inv_load "$1"
  [[ -n ${WP_ADDRS[$1|$2|$3]:-} ]]
}
# A route is keyed by its destination and metric (table main): 0 when the route with that
# key goes the designed way, 3 when it goes another way (WP_WHY: how), 1 when there is none.
wp_probe_route() {
  local ns=$1 family=$2 to=$3 via=$4 dev=$5 metric=$6 line have
  if [[ $family == 6 ]]; then wp_inv6_load "$ns"; else wp_inv_load "$ns"; fi
  # ip prints host routes without their /32 or /128; IPv6 routes get metric 1024 by default.
  [[ $family == 4 ]] && to=${to%/32}
  [[ $family == 6 ]] && to=${to%/128}
  [[ -n $metric ]] || { [[ $family == 6 ]] && metric=1024 || metric=0; }
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    have=0
    [[ $line =~ \ metric\ ([0-9]+)\  ]] && have=${BASH_REMATCH[1]}
    [[ $have == "$metric" ]] || continue
    if [[ ( -z $via || $line == *" via $via "* ) && ( -z $dev || $line == *" dev $dev "* ) ]]; then return 0; fi
    WP_WHY="the route is ${line% }"
    return 3
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

# wp_probe_qdisc NS IFNAME SHAPE DIGEST: link impairments (compile/impair.ts). Qdiscs carry
# no tag: Wireplan's are known by their handles (5770: root tbf, 5771: root netem, 5772:
# netem under the tbf), their values by what wp_qdisc_record read right after setting them.
# 1: the kernel's default (root handle 0:), 2: someone else's root qdisc, 4: ours but of
# another shape (replaced whole), 3: other values (the design changed, or a hand-made
# change): the do sets them again with `tc qdisc replace`.
wp_probe_qdisc() {
  local ns=$1 ifname=$2 shape=$3 digest=$4 line have='' child='' other='' rec f
  wp_qdisc_text "$ns" "$ifname" || return 1
  while IFS= read -r line; do
    case $line in
      "qdisc tbf 5770: root"*) have=tbf ;;
      "qdisc netem 5771: root"*) have=netem ;;
      "qdisc netem 5772: parent 5770:1"*) child=+netem ;;
      "qdisc "*" 0: root"*) ;;
      "qdisc "*" root"*) other=${line#qdisc } ;;
    esac
  done <<<"$WP_TC_SHOW"
  if [[ -z $have ]]; then
    [[ -n $other ]] || return 1
    WP_WHY="$ifname has root qdisc ${other%% root*}"
    return 2
  fi
  have+=$child
  if [[ $have != "$shape" ]]; then WP_WHY="qdiscs $have, designed $shape"; return 4; fi
  f=$(WP_NS=$ns wp_qdisc_file "$ifname")
  if [[ ! -e $f ]]; then WP_WHY="no record of the values Wireplan set"; return 3; fi
  rec=$(<"$f")
  if [[ ${rec%%"$WP_NL"*} != "$digest" ]]; then WP_WHY="impairments changed in the design"; return 3; fi
  if [[ ${rec#*"$WP_NL"} != "$WP_TC_SHOW" ]]; then WP_WHY="changed on the host: ${WP_TC_SHOW//$WP_NL/; }"; return 3; fi
  return 0
}
# wp_qdisc_text NS IFNAME: the interface's qdiscs as tc prints them into WP_TC_SHOW, one a
# line, without reference counts (they change as the kernel holds the qdisc).
wp_qdisc_text() {
  local out line re=' refcnt [0-9]+'
  out=$(WP_NS=$1 wp_in_ns tc qdisc show dev "$2" 2>/dev/null) || return 1
  WP_TC_SHOW=
  while IFS= read -r line; do
    [[ $line =~ $re ]] && line=${line/"${BASH_REMATCH[0]}"/}
    WP_TC_SHOW+="${WP_TC_SHOW:+$WP_NL}${line% }"
  done <<<"$out"
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
# Link impairments: after its tc commands a qdisc step records the digest it was made from
# and what the kernel then shows, so a later probe tells a design change from a hand-made one.
wp_qdisc_file() { local ns=${WP_NS:-}; printf '%s/qdisc/%s%s' "$WP_STATE_DIR" "${ns:+$ns@}" "$1"; }
wp_qdisc_record() {
  local f
  f=$(wp_qdisc_file "$1")
  wp_qdisc_text "${WP_NS:-}" "$1" || return 1
  mkdir -p "${f%/*}" && printf '%s\n%s\n' "$2" "$WP_TC_SHOW" > "$f"
}
wp_qdisc_forget() { rm -f "$(wp_qdisc_file "$1")"; }
wp_nft_load() { wp_in_ns nft -f /dev/stdin <<<"$1"; }

# ---- routes taken over -------------------------------------------------------------
# wp_route_words LINE: a route as `ip route show` prints it, as words `ip route replace`
# takes back (flags the kernel reports but does not accept are dropped).
wp_route_words() {
  local w skip=0
  local -a out=()
  for w in $1; do
    if (( skip )); then skip=0; continue; fi
    case $w in
      linkdown|dead|offload|trap|rt_offload|rt_trap|onlink_dead) ;;
      expires) skip=1 ;;
      *) out+=("$w") ;;
    esac
  done
  printf '%s\n' "${out[*]}"
}
wp_route_file() { local ns=${WP_NS:-}; printf '%s/routes/%s%s' "$WP_STATE_DIR" "${ns:+$ns@}" "${1//\//%}"; }
# wp_route_record FAMILY TO METRIC: keeps the routes with this key (table main) before a
# design takes the key over; only the first record counts (it is what was there before us).
wp_route_record() {
  local fam=$1 to=$2 metric=$3 f line have
  f=$(wp_route_file "$fam-$to-$metric")
  [[ -e $f ]] && return 0
  mkdir -p "${f%/*}"
  [[ -n $metric ]] || { [[ $fam == 6 ]] && metric=1024 || metric=0; }
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    have=0; [[ $line =~ \ metric\ ([0-9]+) ]] && have=${BASH_REMATCH[1]}
    [[ $have == "$metric" ]] && wp_route_words "$line"
  done < <(wp_in_ns ip "-$fam" route show exact "$to") > "$f.tmp"
  mv -f "$f.tmp" "$f"
}
# wp_route_restore FAMILY TO METRIC: puts the recorded routes back.
wp_route_restore() {
  local f line
  f=$(wp_route_file "$1-$2-$3")
  [[ -e $f ]] || return 0
  while IFS= read -r line; do
    # shellcheck disable=SC2086 # the recorded words, split as `ip` printed them
    [[ -z $line ]] || wp_in_ns ip "-$1" route replace $line || return 1
  done < "$f"
  rm -f "$f"
}

# ---- bridged mode: a host NIC as a bridge port -----------------------------------
# wp_nic_enslave NIC BRIDGE: the NIC becomes a port of BRIDGE and hands the bridge its
# global addresses and its routes, in one `ip -batch` (the host keeps its LAN: routes move
# before the NIC's addresses go). What the NIC held is recorded first, under the state dir,
# so wp_nic_release gives exactly that back, whatever happened in between.
wp_nic_record() { printf '%s/nic/%s' "$WP_STATE_DIR" "$1"; }
# With --take-mac the bridge first takes the NIC's MAC (and keeps it after release, so the
# bridge's own neighbours are not thrown off either).
wp_nic_enslave() {
  local nic=$1 br=$2 take=${3:-} rec f kind a rest mac
  rec=$(wp_nic_record "$nic")
  if [[ ! -e $rec ]]; then
    mkdir -p "${rec%/*}"
    wp_nic_snapshot "$nic" "$br" > "$rec.tmp" && mv -f "$rec.tmp" "$rec" || return 1
  fi
  f=$rec.batch
  mac=
  if [[ $take == --take-mac ]]; then
    mac=$(ip -o link show dev "$nic") || return 1
    [[ $mac =~ link/ether\ ([0-9a-f:]{17}) ]] && mac=${BASH_REMATCH[1]} || mac=
  fi
  {
    [[ -z $mac ]] || printf 'link set dev %s address %s\n' "$br" "$mac"
    printf 'link set dev %s master %s up\n' "$nic" "$br"
    while read -r kind a rest; do
      case $kind in
        addr) rest=${rest#moved}; printf 'addr replace %s dev %s%s\n' "$a" "$br" "${rest#kept}" ;;
        route) printf 'route replace %s dev %s\n' "$a $rest" "$br" ;;
      esac
    done < "$rec"
    while read -r kind a rest; do [[ $kind != addr ]] || printf 'addr del %s dev %s\n' "$a" "$nic"; done < "$rec"
  } > "$f"
  ip -batch "$f"; local rc=$?
  rm -f "$f"
  return $rc
}
# What NIC holds now, as record lines: "addr CIDR moved|kept" (kept: BRIDGE has it too,
# so release leaves it there) and "route SPEC" without its device (ip reads the family
# from the addresses; an `ip -batch` line cannot carry -6). Routes the
# kernel or router advertisements made are left to the kernel.
wp_nic_snapshot() {
  local nic=$1 br=$2 fam cidr line rest w how opts
  while read -r _ _ fam cidr rest; do
    [[ $fam == inet || $fam == inet6 ]] || continue
    # The flags `ip addr add` takes back, so the NIC gets the very same address again.
    opts=
    # shellcheck disable=SC2086 # the words as ip printed them
    set -- $rest
    while (( $# )); do
      case $1 in
        brd) opts+=" brd $2"; shift ;;
        nodad|noprefixroute|home|mngtmpaddr) opts+=" $1" ;;
      esac
      shift
    done
    how=moved; ip -o addr show dev "$br" 2>/dev/null | grep -qF " $cidr " && how=kept
    printf 'addr %s %s%s\n' "$cidr" "$how" "$opts"
  done < <(ip -o addr show dev "$nic" scope global)
  for fam in 4 6; do
    while IFS= read -r line; do
      [[ -n $line ]] || continue
      line=$(wp_route_words "$line")
      [[ " $line " == *" proto kernel "* || " $line " == *" proto ra "* ]] && continue
      printf 'route %s\n' "$line"
    done < <(ip "-$fam" route show dev "$nic")
  done
}
# wp_nic_release NIC BRIDGE: the NIC leaves the bridge and gets back what it held.
wp_nic_release() {
  local nic=$1 br=$2 rec f kind a rest
  rec=$(wp_nic_record "$nic")
  if [[ ! -e $rec ]]; then ip link set dev "$nic" nomaster; return; fi
  f=$rec.batch
  {
    while read -r kind a how rest; do [[ $kind != addr ]] || printf 'addr replace %s dev %s%s\n' "$a" "$nic" "${rest:+ $rest}"; done < "$rec"
    printf 'link set dev %s nomaster\n' "$nic"
    while read -r kind a rest; do
      case $kind in
        route) printf 'route replace %s dev %s\n' "$a $rest" "$nic" ;;
      esac
    done < "$rec"
    while read -r kind a how rest; do [[ $kind != addr || $how != moved ]] || printf 'addr del %s dev %s\n' "$a" "$br"; done < "$rec"
  } > "$f"
  # Everything it can: one stuck line must not keep the NIC from the rest of its state.
  ip -force -batch "$f"; local rc=$?
  rm -f "$f"
  (( rc == 0 )) && rm -f "$rec"
  return $rc
}

# ---- programs in namespaces (docs/programs.md) ------------------------------------
# A program runs under a small supervisor (wp_prog_supervise: a fresh bash, in its own
# session, inside the namespace) that starts it with `env -i`, records its exit code when
# it ends and, with restart on, starts it again. All about one program is in its
# directory, $WP_STATE_DIR/prog/NS@NAME: digest (what it was started from), pid and child
# ("PID STARTTIME" of the supervisor and of the program), exit (the last exit code) and log
# (its stdout and stderr). A process counts as the program only while its start time is
# the recorded one and its environment carries WIREPLAN_PROGRAM=TAG:NS:NAME, so a pid the
# kernel gave to someone else meanwhile is never signalled.
wp_prog_dir() { printf '%s/prog/%s@%s' "$WP_STATE_DIR" "${WP_NS:-}" "$1"; }
# wp_prog_starttime PID: field 22 of /proc/PID/stat (after the command name, which may
# hold spaces and parentheses); fails for a process that is gone or a zombie.
wp_prog_starttime() {
  local s
  local -a f
  { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  read -ra f <<<"${s##*) }"
  [[ ${f[0]} != Z && -n ${f[19]:-} ]] || return 1
  printf '%s' "${f[19]}"
}
# wp_prog_alive "PID STARTTIME" ID: that process still runs and is this program's.
wp_prog_alive() {
  local pid=${1%% *} start=${1#* } now e
  local -a env=()
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  now=$(wp_prog_starttime "$pid") || return 1
  [[ $now == "$start" ]] || return 1
  { mapfile -d '' env <"/proc/$pid/environ"; } 2>/dev/null || return 1
  for e in "${env[@]}"; do [[ $e != "WIREPLAN_PROGRAM=$2" ]] || return 0; done
  return 1
}
# wp_prog_read DIR: the record into WP_PROG_SUP, WP_PROG_CHILD, WP_PROG_EXIT, WP_PROG_DIGEST ('' = none).
wp_prog_read() {
  local f v
  WP_PROG_SUP=; WP_PROG_CHILD=; WP_PROG_EXIT=; WP_PROG_DIGEST=
  for f in pid child exit digest; do
    v=
    [[ ! -e $1/$f ]] || IFS= read -r v <"$1/$f" || :
    case $f in pid) WP_PROG_SUP=$v ;; child) WP_PROG_CHILD=$v ;; exit) WP_PROG_EXIT=$v ;; digest) WP_PROG_DIGEST=$v ;; esac
  done
}
# "exited with code 143 (signal TERM)": a code above 128 is how bash reports a signal.
wp_prog_exit_text() {
  local code=$1 sig=''
  (( code > 128 && code < 193 )) && sig=$(kill -l "$((code - 128))" 2>/dev/null)
  printf 'exited with code %s%s' "$code" "${sig:+ (signal $sig)}"
}

# wp_probe_program NS NAME DIGEST: 0 running as designed; 1 never started (no record);
# 4 started from another command line, exited, or its supervisor gone: started again. It
# sets WP_PROG_STATE (running, exited or stopped, for status) and WP_WHY.
wp_probe_program() {
  local dir id="$WP_TAG:$1:$2"
  dir=$(WP_NS=$1 wp_prog_dir "$2")
  WP_PROG_STATE=
  [[ -e $dir/digest ]] || return 1
  wp_prog_read "$dir"
  if wp_prog_alive "$WP_PROG_SUP" "$id"; then
    WP_PROG_STATE=running
    if wp_prog_alive "$WP_PROG_CHILD" "$id"; then WP_WHY="pid ${WP_PROG_CHILD%% *}"; else WP_WHY="restarting"; fi
    [[ -z $WP_PROG_EXIT ]] || WP_WHY+=", last $(wp_prog_exit_text "$WP_PROG_EXIT")"
    [[ $WP_PROG_DIGEST != "$3" ]] || return 0
    WP_PROG_STATE=; WP_WHY="started from another command line ($WP_WHY)"
    return 4
  fi
  if [[ -n $WP_PROG_EXIT ]]; then WP_PROG_STATE=exited; WP_WHY=$(wp_prog_exit_text "$WP_PROG_EXIT")
  else WP_PROG_STATE=stopped; WP_WHY="not running (its supervisor is gone)"; fi
  return 4
}

# wp_prog_listening PORT...: every one of these TCP ports has a listening socket in
# namespace WP_NS (/proc/net/tcp and tcp6 as a process inside it sees them; 0A = LISTEN).
wp_prog_listening() {
  local port hex text
  text=$(wp_in_ns cat /proc/net/tcp /proc/net/tcp6 2>/dev/null) || return 1
  for port; do
    printf -v hex ':%04X 0' "$port"
    [[ $text =~ ${hex}[0-9A-F]*:[0-9A-F]+\ 0A\  ]] || return 1
  done
}

# wp_prog_start NAME DIGEST RESTART CWD PORTS NENV [K=V ...] ARGV... (in namespace WP_NS):
# starts the supervisor and returns once the program runs and listens on PORTS (a comma
# list, '' for none; bounded wait), or fails saying why.
wp_prog_start() {
  local name=$1 digest=$2 restart=$3 cwd=$4 dir id fd line code i
  local -a ports=()
  IFS=, read -ra ports <<<"$5"
  local -a inns=()
  dir=$(wp_prog_dir "$name"); id="$WP_TAG:${WP_NS:-}:$name"
  mkdir -p "$dir" || return 1
  rm -f "$dir/pid" "$dir/child" "$dir/exit" "$dir/ready"
  printf '%s\n' "$digest" >"$dir/digest"
  mkfifo "$dir/ready" || return 1
  # Open read-write: the open does not wait for the supervisor, and a supervisor that dies
  # before writing leaves a read that times out instead of one that hangs.
  exec {fd}<>"$dir/ready"
  [[ -z ${WP_NS:-} ]] || inns=(ip netns exec "$WP_NS")
  printf -v code '%s; wp_prog_supervise "$@"' "$(declare -f wp_prog_supervise wp_prog_starttime)"
  # A subshell that keeps none of this run's open files (the lock, the helper shell's pipes,
  # the SSH session's output), then `setsid -f`: a new session, run as a foreground command
  # so SIGINT and SIGQUIT are not ignored (as they are for `&` jobs of a script).
  (
    for line in "/proc/$BASHPID/fd/"*; do line=${line##*/}; (( line > 2 )) && exec {line}>&-; done 2>/dev/null
    exec </dev/null >>"$dir/log" 2>&1
    exec setsid -f "${inns[@]}" env -i PATH="$PATH" WIREPLAN_PROGRAM="$id" bash -c "$code" wp-prog "$dir" "$restart" "$cwd" "${@:6}"
  ) || { exec {fd}<&-; wp_err "program $name: could not start its supervisor"; return 1; }
  line=
  IFS= read -r -t 10 -u "$fd" line || :
  exec {fd}<&-
  rm -f "$dir/ready"
  if [[ $line != started* ]]; then
    if [[ -n $line ]]; then wp_err "program $name${WP_NS:+ in $WP_NS}: ${line#fail }"
    else wp_err "program $name${WP_NS:+ in $WP_NS}: no word from its supervisor within 10 s (see $dir/log)"; fi
    return 1
  fi
  (( ${#ports[@]} )) || return 0
  # Up means serving: wait (at most 10 s) until it listens on its ports, and say so when it
  # exits instead (with the end of its log).
  for (( i = 0; i < 500; i++ )); do
    wp_prog_listening "${ports[@]}" && return 0
    if [[ -e $dir/exit ]]; then
      wp_err "program $name${WP_NS:+ in $WP_NS}: $(wp_prog_exit_text "$(<"$dir/exit")") before listening on tcp port(s) ${ports[*]}; the end of its log ($dir/log):"
      tail -n 5 "$dir/log" >&2 || :
      return 1
    fi
    sleep 0.02
  done
  wp_err "program $name${WP_NS:+ in $WP_NS}: not listening on tcp port(s) ${ports[*]} after 10 s (see $dir/log)"
  return 1
}

# The supervisor: `bash -c` in the program's namespace and session, stdout/stderr on its
# log. wp_prog_supervise DIR RESTART CWD NENV [K=V ...] ARGV...
wp_prog_supervise() {
  local dir=$1 restart=$2 cwd=$3 nenv=$4 child='' rc stop=0 ready
  shift 4
  local -a env=("${@:1:nenv}")
  shift "$nenv"
  exec {ready}>"$dir/ready"
  if [[ ! -d $cwd ]]; then printf 'fail working directory %s does not exist\n' "$cwd" >&"$ready"; return 1; fi
  if [[ $1 == */* && ! -x $1 ]]; then printf 'fail %s is not an executable file\n' "$1" >&"$ready"; return 1; fi
  if [[ $1 != */* ]] && ! type -P -- "$1" >/dev/null; then printf 'fail %s is not in PATH (%s)\n' "$1" "$PATH" >&"$ready"; return 1; fi
  # Job control: the program gets a process group of its own (stop signals all of it) and
  # is not started with SIGINT ignored.
  set -m
  trap 'stop=1; [[ -z $child ]] || kill -TERM -- "-$child" 2>/dev/null' TERM INT HUP
  # (Its pid taken here: inside $(...) $BASHPID would be the substitution's own.)
  local me=$BASHPID
  printf '%s %s\n' "$me" "$(wp_prog_starttime "$me")" >"$dir/pid.tmp" && mv -f "$dir/pid.tmp" "$dir/pid"
  while :; do
    printf '== wireplan: %s: starting\n' "$(date -u +%FT%TZ)"
    (cd -- "$cwd" && exec env -i PATH="$PATH" HOME=/ WIREPLAN_PROGRAM="$WIREPLAN_PROGRAM" "${env[@]}" "$@") &
    child=$!
    printf '%s %s\n' "$child" "$(wp_prog_starttime "$child")" >"$dir/child.tmp" && mv -f "$dir/child.tmp" "$dir/child"
    if [[ -n $ready ]]; then printf 'started %s\n' "$child" >&"$ready"; exec {ready}>&-; ready=; fi
    # A trapped signal ends `wait` early: wait again until the program is really gone.
    while :; do rc=0; wait "$child" || rc=$?; kill -0 "$child" 2>/dev/null || break; done
    printf '%s\n' "$rc" >"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"
    rm -f "$dir/child"
    printf '== wireplan: %s: exited with code %s\n' "$(date -u +%FT%TZ)" "$rc"
    (( restart && !stop )) || break
    # Not a busy loop when it exits at once; a stop meanwhile ends it.
    sleep 1
    (( !stop )) || break
  done
}

# wp_prog_stop NAME (in namespace WP_NS): TERM to the supervisor and the program's process
# group, KILL after 5 s, then the record goes. Only processes that are provably this
# program's (wp_prog_alive) are signalled.
wp_prog_stop() {
  local name=$1 dir id sup child i
  dir=$(wp_prog_dir "$name"); id="$WP_TAG:${WP_NS:-}:$name"
  [[ -d $dir ]] || return 0
  wp_prog_read "$dir"
  sup=$WP_PROG_SUP; child=$WP_PROG_CHILD
  wp_prog_alive "$sup" "$id" || sup=
  wp_prog_alive "$child" "$id" || child=
  [[ -z $sup ]] || kill -TERM "${sup%% *}" 2>/dev/null || :
  [[ -z $child ]] || kill -TERM -- "-${child%% *}" 2>/dev/null || kill -TERM "${child%% *}" 2>/dev/null || :
  for (( i = 0; i < 250; i++ )); do
    [[ -n $sup ]] && ! wp_prog_alive "$sup" "$id" && sup=
    [[ -n $child ]] && ! wp_prog_alive "$child" "$id" && child=
    [[ -n $sup$child ]] || break
    sleep 0.02
  done
  if [[ -n $sup$child ]]; then
    wp_err "program $name did not stop within 5 s of SIGTERM: killing it"
    [[ -z $sup ]] || kill -KILL "${sup%% *}" 2>/dev/null || :
    [[ -z $child ]] || kill -KILL -- "-${child%% *}" 2>/dev/null || kill -KILL "${child%% *}" 2>/dev/null || :
    for (( i = 0; i < 250; i++ )); do
      [[ -n $sup ]] && ! wp_prog_alive "$sup" "$id" && sup=
      [[ -n $child ]] && ! wp_prog_alive "$child" "$id" && child=
      [[ -n $sup$child ]] || break
      sleep 0.02
    done
    [[ -z $sup$child ]] || { wp_err "program $name: pid ${sup%% *}${child%% *} survives SIGKILL"; return 1; }
  fi
  rm -rf "$dir"
}

# `report`: one line per program record of this design, for live state (shared/observe/program-state.ts):
# "prog NS NAME DIGEST running PID | exited CODE | gone" (NS "-" for the root namespace).
wp_prog_report() {
  local dir base ns name id
  for dir in "$WP_STATE_DIR"/prog/*@*; do
    [[ -e $dir/digest ]] || continue
    base=${dir##*/}; ns=${base%@*}; name=${base##*@}; id="$WP_TAG:$ns:$name"
    wp_prog_read "$dir"
    if wp_prog_alive "$WP_PROG_SUP" "$id" && wp_prog_alive "$WP_PROG_CHILD" "$id"; then
      printf 'prog %s %s %s running %s\n' "${ns:--}" "$name" "$WP_PROG_DIGEST" "${WP_PROG_CHILD%% *}"
    elif wp_prog_alive "$WP_PROG_SUP" "$id"; then
      printf 'prog %s %s %s running %s\n' "${ns:--}" "$name" "$WP_PROG_DIGEST" "${WP_PROG_SUP%% *}"
    elif [[ -n $WP_PROG_EXIT ]]; then
      printf 'prog %s %s %s exited %s\n' "${ns:--}" "$name" "$WP_PROG_DIGEST" "$WP_PROG_EXIT"
    else
      printf 'prog %s %s %s gone\n' "${ns:--}" "$name" "$WP_PROG_DIGEST"
    fi
  done
}

# ---- state, lock, journal -------------------------------------------------------
wp_lock() {
  mkdir -p "$WP_STATE_DIR" || wp_die "cannot create $WP_STATE_DIR"
  # A saved plan run by the `up` or `down` of a newer one: that run holds the lock.
  [[ -z ${WP_LOCK_HELD:-} ]] || return 0
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
wp_out_flush() {
  if [[ -n $WP_OWNOUT ]]; then printf '%s' "$WP_OWNOUT" >> "$WP_STATE_DIR/owned"; WP_OWNOUT=; fi
  if [[ -n $WP_JOUT ]]; then printf '%s' "$WP_JOUT" >> "$WP_STATE_DIR/journal"; WP_JOUT=; fi
  if [[ -n $WP_OUT ]]; then printf '%s' "$WP_OUT"; WP_OUT=; fi
}

wp_probe_step() { local rc=0; "wp_s$1_probe" || rc=$?; return $rc; }

# ---- ownership of untagged objects ---------------------------------------------
wp_owned_load() {
  local id
  WP_OWNED=()
  [[ -e $WP_STATE_DIR/owned ]] || return 0
  while IFS= read -r id; do [[ -n $id ]] && WP_OWNED[$id]=1; done < "$WP_STATE_DIR/owned"
}
# Step i carries no tag (address, route, PVID)? The step table names those kinds (step-table.ts
# UNTAGGED); of the other kinds only netns, sysctl and program steps have a WP_KIND.
wp_untagged() { case ${WP_KIND[$1]:-} in ''|netns|sysctl|program) return 1 ;; esac; return 0; }
# Step i is ours to undo: tagged objects by their tag (the probe), untagged ones by record.
wp_ours() { ! wp_untagged "$1" || [[ -n ${WP_OWNED[${WP_ID[$1]}]:-} ]]; }
# Writes the records back (after a rollback took some away).
wp_owned_save() {
  local ids=''
  (( ${#WP_OWNED[@]} == 0 )) || printf -v ids '%s\n' "${!WP_OWNED[@]}"
  printf '%s' "$ids" > "$WP_STATE_DIR/owned.tmp" && mv -f "$WP_STATE_DIR/owned.tmp" "$WP_STATE_DIR/owned"
}

# ---- the last converged plan -----------------------------------------------------
# Writes this very script to the state dir, so a later `up` of another plan can ask it to
# prune and to restore. Only when it changed. A copy of the script's file when it runs from
# one; piped into `bash -s`, its variables and functions as bash prints them (slower: about
# a second for 500 namespaces).
wp_plan_save() {
  wp_saved_hash
  [[ $WP_SAVED_HASH != "$WP_PLAN_HASH" ]] || return 0
  # The plan this one replaces stays until the next change: a commit-confirmed run that
  # is not confirmed reverts to it (wp_rollback converged).
  if [[ -n $WP_SAVED_HASH ]]; then mv -f "$WP_SAVED" "$WP_BEFORE" && mv -f "$WP_SAVED.hash" "$WP_BEFORE.hash"; fi
  if [[ -f $WP_SELF ]] && grep -qxF -m1 "WP_PLAN_HASH=$WP_PLAN_HASH" "$WP_SELF"; then
    cp -f "$WP_SELF" "$WP_SAVED.tmp"
  else
    wp_plan_print > "$WP_SAVED.tmp"
  fi
  mv -f "$WP_SAVED.tmp" "$WP_SAVED"
  printf '%s\n' "$WP_PLAN_HASH" > "$WP_SAVED.hash"
}
# This script as bash holds it: the plan's variables, then every function.
wp_plan_print() {
  printf '#!/usr/bin/env bash\n# The plan Wireplan last converged design %s to (kept by the runtime).\nset -euo pipefail\nexport LC_ALL=C\n' "$WP_TAG"
  declare -p WP_TAG WP_PLAN_HASH WP_STEPS WP_ID WP_KIND WP_DESC WP_COVER WP_OBJ WP_ROOTIF WP_SYSCTL_NS WP_SYSCTL_KEY
  # shellcheck disable=SC2016 # written as code for the saved plan to expand
  printf 'WP_STATE_DIR=${WIREPLAN_STATE_DIR:-/run/wireplan/$WP_TAG}\nWP_CUR=0\nWP_BATCHING=0\n'
  declare -f
  printf 'wp_globals\nwp_main "$@" </dev/null\nexit\n'
}
# The saved plan, when it is not this one.
wp_prev_plan() { [[ -e $WP_SAVED ]] && wp_saved_hash && [[ -n $WP_SAVED_HASH && $WP_SAVED_HASH != "$WP_PLAN_HASH" ]]; }
# The saved plan's hash into WP_SAVED_HASH, read without a fork ('' when there is none).
wp_saved_hash() { WP_SAVED_HASH=; [[ ! -e $WP_SAVED.hash ]] || IFS= read -r WP_SAVED_HASH < "$WP_SAVED.hash" || :; }
# Runs a subcommand of the saved plan under the lock this run holds.
wp_prev() { wp_saved_run "$WP_SAVED" "$@"; }
# wp_saved_run FILE ARGS...: a saved plan's subcommand, under the lock this run holds.
wp_saved_run() { local f=$1; shift; WP_LOCK_HELD=1 WIREPLAN_STATE_DIR=$WP_STATE_DIR bash "$f" "$@"; }

# `prune KEEP`: undo, newest first, what this (saved) plan made that the plan listed in
# KEEP (one step id a line) no longer has; untagged objects only where they are ours.
wp_prune() {
  local keep=$1 i j skip rc id n=0
  local -A kept=() pruned=()
  local -a links=()
  while IFS= read -r id; do kept[$id]=1; done < "$keep"
  wp_owned_load
  wp_inv_load_plan
  for (( i = WP_STEPS; i >= 1; i-- )); do
    id=${WP_ID[$i]}
    [[ -z ${kept[$id]:-} ]] || continue
    skip=0
    for j in ${WP_COVER[$i]:-}; do [[ -z ${kept[${WP_ID[$j]}]:-} ]] && skip=1; done
    if (( skip )); then
      # A sysctl of a namespace that goes: nothing to restore, only its record to forget.
      [[ ${WP_KIND[$i]:-} != sysctl ]] || rm -f "$(WP_NS=${WP_SYSCTL_NS[$i]} wp_sysctl_file "${WP_SYSCTL_KEY[$i]}")"
      continue
    fi
    if [[ ${WP_KIND[$i]:-} == sysctl ]]; then
      wp_sysctl_recorded "$i" || continue
    else
      rc=0; wp_probe_step "$i" || rc=$?
      # (A program that exited, or whose supervisor is gone, still has its record to remove.)
      (( rc == 0 || rc == 3 )) || [[ ${WP_KIND[$i]:-} == program && $rc == 4 ]] || continue
      wp_ours "$i" || continue
    fi
    printf '@wp prune %d/%d %s\n' "$i" "$WP_STEPS" "$id"
    [[ -n ${WP_ROOTIF[$i]:-} ]] && links+=("${WP_ROOTIF[$i]}")
    "wp_s${i}_undo" || wp_err "could not remove ${WP_DESC[$i]}"
    pruned[$id]=1; n=$((n + 1))
  done
  # A root-side veth end whose peer's namespace went dies with it a moment later (`ip netns
  # del` returns first), even where the new plan keeps it: wait for that too, or the new
  # plan's probe would find it still there and then lose it under its feet.
  if (( n )); then
    for (( i = 1; i <= WP_STEPS; i++ )); do
      [[ -n ${WP_ROOTIF[$i]:-} && -z ${pruned[${WP_ID[$i]}]:-} ]] || continue
      for j in ${WP_COVER[$i]:-}; do
        if [[ ${WP_KIND[$j]:-} == netns && -n ${pruned[${WP_ID[$j]}]:-} ]]; then links+=("${WP_ROOTIF[$i]}"); break; fi
      done
    done
  fi
  # What went is no longer owned.
  if (( n )) && [[ -e $WP_STATE_DIR/owned ]]; then
    while IFS= read -r id; do [[ -n ${pruned[$id]:-} ]] || printf '%s\n' "$id"; done < "$WP_STATE_DIR/owned" > "$WP_STATE_DIR/owned.tmp"
    mv -f "$WP_STATE_DIR/owned.tmp" "$WP_STATE_DIR/owned"
  fi
  (( ${#links[@]} )) && wp_wait_gone "${links[@]}"
  return 0
}
# Before `up` of a changed plan: the saved plan prunes what this one no longer has.
wp_prune_prev() {
  local keep=$WP_STATE_DIR/keep i
  wp_prev_plan || return 0
  for (( i = 1; i <= WP_STEPS; i++ )); do printf '%s\n' "${WP_ID[$i]}"; done > "$keep"
  wp_prev prune "$keep" || wp_err "the previous plan could not remove everything it made"
  rm -f "$keep"
}

# ---- subcommands ----------------------------------------------------------------
# wp_rollback [converged]: undo this run's steps (WP_RAN), newest first, then restore the
# plan the host had before: the saved one while this run had not converged, or with
# `converged` (undoing a run that did, see wpx_revert) the one it replaced.
# shellcheck disable=SC2120 # the apply helpers' revert passes `converged`
wp_rollback() {
  local i j skip rc restore=''
  printf '@wp rollback-start\n'
  wp_journal "rollback"
  WP_BATCH=(); WP_BATCH_STEP=(); WP_BATCHING=0
  wp_inv_reset
  wp_inv_load_plan
  local -a gone=()
  for (( i = WP_CUR; i >= 1; i-- )); do
    [[ -n ${WP_RAN[$i]:-} ]] || continue
    # A property set in place stays: restoring the saved plan below sets it back.
    [[ ${WP_RAN[$i]} == fix ]] && continue
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
    unset -v 'WP_OWNED[${WP_ID[$i]}]'
  done
  (( ${#gone[@]} )) && wp_wait_gone "${gone[@]}"
  wp_owned_save
  # What this run pruned or set in place: the plan before it makes the host what it was.
  if [[ ${1:-} == converged ]]; then
    [[ -e $WP_BEFORE ]] && restore=$WP_BEFORE
  elif wp_prev_plan; then
    restore=$WP_SAVED
  fi
  if [[ -n $restore ]]; then
    printf '@wp restore %s\n' "$(<"$restore.hash")"
    wp_saved_run "$restore" up >/dev/null || wp_err "the previous plan could not be restored"
  fi
  wp_journal "end rolled-back"
}

wp_up() {
  local keep=0 i rc changed=0 how
  [[ ${1:-} == --keep-partial ]] && keep=1
  wp_lock
  : > "$WP_STATE_DIR/journal"
  wp_journal "begin $WP_PLAN_HASH"
  printf '@wp plan %s steps %d\n' "$WP_PLAN_HASH" "$WP_STEPS"
  wp_prune_prev
  wp_owned_load
  wp_inv_load_plan
  WP_BATCHING=1
  for (( i = 1; i <= WP_STEPS; i++ )); do
    WP_CUR=$i
    rc=0; WP_WHY=; WP_FIX=(); "wp_s${i}_probe" || rc=$?
    if (( rc == 0 )); then WP_OUT+="@wp step $i/$WP_STEPS present ${WP_ID[$i]}$WP_NL"; continue; fi
    # An untagged object (route, address) that differs and was there before us is someone else's.
    # (Unless the design takes it over: route-take records and restores it.)
    if (( rc == 3 )) && ! wp_ours "$i" && [[ ${WP_KIND[$i]} != route-take ]]; then rc=2; fi
    if (( rc == 2 )); then
      wp_out_flush
      wp_err "${WP_DESC[$i]}: an object with this name exists but Wireplan did not create it (${WP_WHY:-no ownership tag}); refusing to touch it"
      WP_FAILED_STEP=$i
      break
    fi
    how=; (( rc == 3 )) && how="fix ($WP_WHY): "; (( rc == 4 )) && how="replace ($WP_WHY): "
    WP_OUT+="@wp step $i/$WP_STEPS run ${WP_ID[$i]} $how${WP_DESC[$i]}$WP_NL"; WP_JOUT+="run $i ${WP_ID[$i]}$WP_NL"
    WP_RAN[i]=1; changed=$((changed + 1))
    if wp_untagged "$i" && [[ -z ${WP_OWNED[${WP_ID[$i]}]:-} ]]; then WP_OWNED[${WP_ID[$i]}]=1; WP_OWNOUT+="${WP_ID[$i]}$WP_NL"; fi
    if [[ ${WP_KIND[$i]:-} == netns ]]; then wp_inv_fresh "${WP_OBJ[$i]:-}"; fi
    if (( rc == 3 && ${#WP_FIX[@]} )); then
      WP_RAN[i]=fix
      if ! wp_x "${WP_FIX[@]}"; then [[ $WP_FAILED_STEP == 0 ]] && WP_FAILED_STEP=$i; break; fi
      continue
    fi
    if (( rc == 4 )); then
      # Made differently: remove it, and read the kernel again for what depended on it.
      wp_out_flush
      if ! { "wp_s${i}_undo" && wp_flush; }; then [[ $WP_FAILED_STEP == 0 ]] && WP_FAILED_STEP=$i; break; fi
      [[ -n ${WP_ROOTIF[$i]:-} ]] && wp_wait_gone "${WP_ROOTIF[$i]}"
      if ! { "wp_s${i}_do" && wp_flush; }; then [[ $WP_FAILED_STEP == 0 ]] && WP_FAILED_STEP=$i; break; fi
      wp_inv_reset
      continue
    fi
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
  wp_plan_save
  wp_journal "end converged"
  printf '@wp result converged changed=%d\n' "$changed"
}

wp_down() {
  local i j skip rc failed=0
  wp_lock
  wp_journal "down $WP_PLAN_HASH"
  # What an older plan of this design made (it was never applied over): its own down first.
  if wp_prev_plan; then wp_prev down >/dev/null || { wp_err "the previous plan could not remove everything it made"; failed=1; }; fi
  wp_owned_load
  # Which steps are present (ours) now. Covers come before what they cover, so one
  # forward pass can skip probing anything that goes away with a present container:
  # a namespace of ours is checked once (its tag) and then deleted whole.
  local -a present=()
  wp_inv_load_plan
  for (( i = 1; i <= WP_STEPS; i++ )); do
    skip=0
    for j in ${WP_COVER[$i]:-}; do [[ -n ${present[$j]:-} ]] && skip=1; done
    if (( skip )); then present[i]=covered; continue; fi
    rc=0; wp_probe_step "$i" || rc=$?
    # Ours as designed or drifted; an untagged object only where this design made it.
    if (( rc == 0 || rc == 3 || rc == 4 )) && wp_ours "$i"; then present[i]=1; fi
  done
  WP_BATCHING=1; WP_BATCH_FORCE=1
  local -a gone=()
  for (( i = WP_STEPS; i >= 1; i-- )); do
    # A root-side veth end of ours, removed here or with its namespace: wait for it below.
    [[ -n ${present[$i]:-} && -n ${WP_ROOTIF[$i]:-} ]] && gone+=("${WP_ROOTIF[$i]}")
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
  (( ${#gone[@]} )) && wp_wait_gone "${gone[@]}"
  rm -rf "$WP_STATE_DIR/sysctl" "$WP_STATE_DIR/journal" "$WP_STATE_DIR/holder" "$WP_STATE_DIR"/batch.* \
    "$WP_STATE_DIR/owned" "$WP_SAVED" "$WP_SAVED.hash" "$WP_BEFORE" "$WP_BEFORE.hash" "$WP_STATE_DIR/nic" "$WP_STATE_DIR/routes" "$WP_STATE_DIR/prog" "$WP_STATE_DIR/qdisc"
  printf '@wp result removed\n'
}

# `ip netns del` returns before the kernel has destroyed the namespace's devices; the
# root-side veth ends linger briefly. Wait (bounded) until those root interfaces are gone,
# so "down" and "rolled back" mean gone. (By name, never by tag prefix: a foreign link
# whose alias merely starts with our tag would hold every down for the whole bound.)
wp_wait_gone() {
  local i links name pending
  for (( i = 0; i < 250; i++ )); do
    # (JSON: see the inventory; the text listing is slow while hundreds of namespaces go)
    links=$(ip -j link show 2>/dev/null)
    pending=0
    for name in "$@"; do [[ $links == *"\"ifname\":\"$name\""* ]] && pending=1; done
    (( pending )) || return 0
    sleep 0.02
  done
  wp_err "some interfaces of design $WP_TAG are still being removed by the kernel"
}

wp_status() {
  local i rc missing=0 state
  wp_inv_load_plan
  for (( i = 1; i <= WP_STEPS; i++ )); do
    rc=0; WP_WHY=; wp_probe_step "$i" || rc=$?
    case $rc in
      0) state=present ;;
      2) state=foreign; missing=1 ;;
      3|4) state=drifted; missing=1 ;;
      *) state=missing; missing=1 ;;
    esac
    # A program says running or exited (with its code) instead of present or drifted.
    if [[ ${WP_KIND[$i]:-} == program && -n ${WP_PROG_STATE:-} ]]; then state=$WP_PROG_STATE
    elif (( rc == 4 )); then WP_WHY="replace: $WP_WHY"; fi
    printf '%-8s %s%s  (%s)\n' "$state" "${WP_DESC[$i]}" "${WP_WHY:+: $WP_WHY}" "${WP_ID[$i]}"
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
usage: $0 up [--keep-partial] | down | status | plan | report
  up      create everything in the plan that is missing (safe to run again)
  down    remove only what this plan creates and restore changed sysctls
  status  show each step as present, missing, drifted (and how) or foreign, and each program as
          running or exited with its code (exit 3 if not all present and running)
  plan    print the commands, one step at a time
  report  one line per program of this design: running PID, exited CODE or gone
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
    prune) wp_prune "$2" ;;
    status) wp_status ;;
    report) wp_prog_report ;;
    plan) wp_print_plan ;;
    -h|--help|help) wp_usage ;;
    *) wp_usage >&2; exit 2 ;;
  esac
  wp_spawn_end
}
wp_globals
