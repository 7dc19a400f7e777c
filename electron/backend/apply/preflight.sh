#!/usr/bin/env bash
# Preflight (see preflight.ts): what a host has before anything changes. Prints one fact
# a line: uid, tools, firewall (iptables/nft forward policies), bridge netfilter, the
# interfaces and route carrying the SSH session, and "feature NAME ok|missing: why" for
# each kernel feature named in the arguments, tried in a throwaway network namespace.
#   bash -s -- FEATURE...   (veth bridge bridge-vlan-filtering macvlan ipvlan vlan vxlan nftables tbf netem)
set +e
export LC_ALL=C

# Runs inside the throwaway namespace (handed over with `declare -f`): each test with
# wpf0/wpf1, a veth pair that parents the macvlan/ipvlan/vlan tests. Nothing of it stays.
# shellcheck disable=SC2317 # called in the throwaway namespace's shell
wpf_tests() {
  local f out
  wpf_try() {
    case $1 in
      veth) ip link add wpfv0 type veth peer name wpfv1 ;;
      bridge) ip link add wpfbr type bridge ;;
      bridge-vlan-filtering) ip link add wpfbv type bridge && ip link set dev wpfbv type bridge vlan_filtering 1 ;;
      macvlan) ip link add wpfmv link wpf0 type macvlan mode bridge ;;
      ipvlan) ip link add wpfiv link wpf0 type ipvlan mode l2 ;;
      vlan) ip link add wpfvl link wpf0 type vlan id 10 ;;
      vxlan) ip link add wpfvx type vxlan id 4242 dstport 4789 ;;
      nftables) nft add table inet wpf_probe ;;
      tbf) tc qdisc add dev wpf0 root tbf rate 1mbit burst 16000 latency 50ms ;;
      netem) tc qdisc add dev wpf1 root netem delay 1ms ;;
      *) echo "no test for it"; return 1 ;;
    esac
  }
  ip link set lo up 2>/dev/null || true
  ip link add wpf0 type veth peer name wpf1 2>/dev/null || true
  for f; do
    if out=$(wpf_try "$f" 2>&1); then echo "feature $f ok"; else echo "feature $f missing: $(printf '%s' "$out" | head -n1)"; fi
  done
}

echo "uid $(id -u)"
for t in bash ip bridge tc nft iptables iptables-legacy sysctl flock setsid tail unshare awk; do
  p=$(command -v "$t" 2>/dev/null); echo "tool $t ${p:--}"
done
echo "tail-pid $(tail --help 2>/dev/null | grep -c -- '--pid')"
if command -v iptables >/dev/null 2>&1; then
  echo "iptables-version $(iptables -V 2>&1 | head -n1)"
  echo "iptables-forward $(iptables -S FORWARD 2>/dev/null | head -n1)"
  iptables -S DOCKER-USER >/dev/null 2>&1 && echo "iptables-docker-user yes"
fi
if command -v iptables-legacy >/dev/null 2>&1; then echo "legacy-forward $(iptables-legacy -S FORWARD 2>/dev/null | head -n1)"; fi
if command -v nft >/dev/null 2>&1; then
  nft list ruleset 2>/dev/null | awk '$1 == "table" { fam = $2; tbl = $3 } $1 == "chain" { ch = $2 } /hook forward/ && /policy drop/ { print "nft-forward-drop", fam, tbl, ch }'
fi
echo "bridge-nf $(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0)"
conn=${SSH_CONNECTION:-}
p=$$
# Under sudo the environment is reset: the session's variable is still in an ancestor's.
while [ -z "$conn" ] && [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
  p=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $2}')
  [ -n "$p" ] || break
  conn=$(tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | sed -n 's/^SSH_CONNECTION=//p' | head -n1)
done
echo "ssh-connection ${conn:--}"
if [ -n "$conn" ]; then
  # "client-address client-port server-address server-port"
  read -r ssh_client _ ssh_server _ <<<"$conn"
  route=$(ip -o route get "$ssh_client" 2>/dev/null | head -n1 | tr -s ' ')
  echo "mgmt-route $route"
  dev=$(printf '%s\n' "$route" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
  if [ -n "$dev" ]; then
    echo "mgmt-if $dev"
    ip -o link show master "$dev" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print "mgmt-if", $2 }'
    m=$(ip -o link show dev "$dev" 2>/dev/null | sed -n 's/.* master \([^ ]*\) .*/\1/p')
    [ -n "$m" ] && echo "mgmt-if $m"
  fi
  ip -o addr show to "$ssh_server" 2>/dev/null | awk '{ print "mgmt-if", $2 }'
fi
# shellcheck disable=SC2016 # the inner shell expands its own arguments
tests='eval "$1"; wpf_tests "${@:2}"'
if command -v unshare >/dev/null 2>&1 && unshare --net true 2>/dev/null; then
  unshare --net bash -c "$tests" wpf-tests "$(declare -f wpf_tests)" "$@" 2>&1
else
  ns=wp-preflight-$$
  if ip netns add "$ns" 2>/dev/null; then ip netns exec "$ns" bash -c "$tests" wpf-tests "$(declare -f wpf_tests)" "$@" 2>&1; ip netns del "$ns"; else echo "feature-test-unavailable"; fi
fi
exit 0
