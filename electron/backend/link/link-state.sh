# Cut or restore a link of an applied design (a runtime action: the design and its saved
# plan are not changed). Arguments: STATE (up|down), then per veth end NS IFNAME OWNER
# (NS '-' = the root namespace). Each end must exist and carry the ownership tag the plan
# gave it, or nothing is touched: an interface that is not Wireplan's is never set down.
# Prints one "@wp link NS IFNAME STATE" line per end it set.
#   bash -c "$LINK_STATE_SH" wp-link down ns1 eth0 wireplan:lab:l1.a - v-ns1 wireplan:lab:l1.b
set -euo pipefail
state=$1; shift
case $state in up|down) ;; *) echo "wireplan: link state must be up or down, not '$state'" >&2; exit 2 ;; esac
(( $# > 0 && $# % 3 == 0 )) || { echo 'wireplan: expected NS IFNAME OWNER per link end' >&2; exit 2; }
ipn() { if [[ $1 == - ]]; then shift; ip "$@"; else local ns=$1; shift; ip -n "$ns" "$@"; fi; }
args=("$@")
# Check every end first, so a link is cut whole or not at all.
for (( i = 0; i < ${#args[@]}; i += 3 )); do
  ns=${args[i]} ifname=${args[i+1]} owner=${args[i+2]}
  where=${ns/#-/the root namespace}
  if ! out=$(ipn "$ns" -o link show dev "$ifname" 2>/dev/null); then
    echo "wireplan: $ifname is not in $where: apply the design first" >&2; exit 3
  fi
  if [[ $out != *" alias $owner"* ]]; then
    echo "wireplan: $ifname in $where is not tagged $owner: not Wireplan's, left alone" >&2; exit 3
  fi
done
for (( i = 0; i < ${#args[@]}; i += 3 )); do
  ipn "${args[i]}" link set dev "${args[i+1]}" "$state"
  printf '@wp link %s %s %s\n' "${args[i]}" "${args[i+1]}" "$state"
done
