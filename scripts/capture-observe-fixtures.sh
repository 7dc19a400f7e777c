#!/usr/bin/env bash
# Capture real observation output (ip/bridge/nft/iptables/sysctl) from THIS machine's kernel
# into tests/fixtures/observe/, for the pure parsers in shared/observe/.
#
# Everything happens inside a throwaway `unshare --net --mount` sandbox (tmpfs on /run so
# `ip netns add` stays private, fresh sysfs on /sys). Nothing touches the host's own network
# state, and the only traffic is a few UDP datagrams between namespaces inside the sandbox.
# The sandbox dies with the script.
#
# Usage: scripts/capture-observe-fixtures.sh [OUTDIR]   (root, or any user if user
#        namespaces are allowed: it then adds --user --map-root-user)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../tests/fixtures/observe}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [[ "${WP_CAPTURE_INSIDE:-}" != 1 ]]; then
  extra=()
  [[ "$(id -u)" == 0 ]] || extra=(--user --map-root-user)
  exec env WP_CAPTURE_INSIDE=1 unshare "${extra[@]}" --net --mount --propagation private \
    bash "${BASH_SOURCE[0]}" "$OUT"
fi

# ---------------------------------------------------------------- inside the sandbox
mount -t tmpfs wp-run /run
mount -t sysfs wp-sys /sys 2>/dev/null || true
export LC_ALL=C

MANIFEST="$OUT/MANIFEST.txt"
: >"$MANIFEST"
note() { printf '%s\n' "$*" >>"$MANIFEST"; }

# cap FILE CMD...: run a command, save stdout to FILE, stderr to FILE.stderr (only when
# non-empty), and record the exit status in the manifest.
cap() {
  local file="$1"; shift
  local rc=0
  "$@" >"$OUT/$file" 2>"$OUT/$file.stderr" || rc=$?
  [[ -s "$OUT/$file.stderr" ]] || rm -f "$OUT/$file.stderr"
  note "$file	rc=$rc	$(printf '%q ' "$@")"
}

# capin FILE INPUTFILE CMD...: like cap, with stdin from INPUTFILE (for -batch).
capin() {
  local file="$1" input="$2"; shift 2
  local rc=0
  "$@" <"$input" >"$OUT/$file" 2>"$OUT/$file.stderr" || rc=$?
  [[ -s "$OUT/$file.stderr" ]] || rm -f "$OUT/$file.stderr"
  note "$file	rc=$rc	$(printf '%q ' "$@") < $(basename "$input")"
}

# try DESCRIPTION CMD...: a step that may be unsupported by this kernel; record the outcome.
try() {
  local what="$1"; shift
  local err
  if err="$("$@" 2>&1)"; then note "setup ok: $what"; else note "setup FAILED: $what: ${err//$'\n'/ }"; fi
}

note "# Captured by scripts/capture-observe-fixtures.sh"
note "# kernel: $(uname -r)"
note "# $(ip -V)"
note "# $(bridge -V)"
note "# $(nft --version)"
note "# $(iptables --version)"
note "# file	exit status	command"

TAG=lab1
own() { printf 'wireplan:%s:%s' "$TAG" "$1"; }

ip link set lo up
ip netns add ns1
ip netns add ns2
# shellcheck disable=SC2016 # a literal name, on purpose
try "netns named with shell metacharacters" ip netns add 'h$(id)'

# Namespaces Wireplan created carry the owner alias on their lo.
ip -n ns1 link set lo up alias "$(own ns1)"
ip -n ns2 link set lo up alias "$(own ns2)"

# Bridge; vlan_filtering is attempted and its outcome recorded (absent on some kernels).
ip link add br0 type bridge stp_state 0
ip link set br0 alias "$(own br0)"
try "bridge vlan_filtering 1 (ip link set br0 type bridge vlan_filtering 1)" \
  ip link set br0 type bridge vlan_filtering 1
ip link add br1 type bridge
try "bridge br1 stp_state 1" ip link set br1 type bridge stp_state 1

# veth pairs created directly with the peer in its namespace.
ip link add h-ns1 type veth peer name eth0 netns ns1
ip link set h-ns1 alias "$(own v1.a)" master br0 up
ip -n ns1 link set eth0 alias "$(own v1.b)" up
ip link add h-ns2 type veth peer name eth0 netns ns2
ip link set h-ns2 alias "$(own v2.a)" master br0 up
ip -n ns2 link set eth0 alias "$(own v2.b)" up
# A veth between two non-root namespaces.
ip -n ns1 link add x12 type veth peer name x21 netns ns2
ip -n ns1 link set x12 alias "$(own x.a)" mtu 9000 up
ip -n ns2 link set x21 alias "$(own x.b)" mtu 9000 up
# A veth with both ends in the root namespace (peer given by name, not by index).
ip link add pair-a type veth peer name pair-b
ip link set pair-a up
ip link set pair-b up

# A fake uplink (no NIC in the sandbox): a veth pair; macvlans hang off one end.
ip link add up0 type veth peer name up0-peer
ip link set up0 up
ip link set up0-peer up
ip addr add 10.99.0.1/24 dev up0
ip addr add fd99::1/64 dev up0 nodad
try "macvlan mode bridge on a veth parent" ip link add mv0 link up0 type macvlan mode bridge
try "macvlan mv0 into ns2" ip link set mv0 netns ns2
try "macvlan mode private" ip link add mv1 link up0 type macvlan mode private
try "macvlan mv1 alias" ip link set mv1 alias "$(own mv1)"
try "ipvlan (expected missing)" ip link add ipv0 link up0 type ipvlan mode l2
try "802.1Q vlan (expected missing)" ip link add up0.10 link up0 type vlan id 10
try "dummy (expected missing)" ip link add dum0 type dummy

# VXLAN: unicast v4 (bridged), multicast group, IPv6 remote.
try "vxlan unicast" ip link add vx0 type vxlan id 4242 local 10.99.0.1 remote 10.99.0.2 dstport 4789 dev up0
try "vxlan vx0 master br0" ip link set vx0 alias "$(own seg1)" master br0 up
try "vxlan multicast" ip link add vx1 type vxlan id 77 group 239.1.1.1 dev up0 dstport 4789
try "vxlan ipv6 remote" ip link add vx6 type vxlan id 16000000 remote fd99::2 local fd99::1 dstport 4790 dev up0
try "tap" ip tuntap add tap0 mode tap
try "tap alias" ip link set tap0 alias "$(own tap0)"

# Addresses.
ip addr add 10.10.0.1/24 dev br0
ip addr add fd10::1/64 dev br0 nodad
ip link set br0 up
ip -n ns1 addr add 10.10.0.2/24 dev eth0
ip -n ns1 addr add fd10::2/64 dev eth0 nodad
ip -n ns2 addr add 10.10.0.3/24 dev eth0
ip -n ns2 addr add fd10::3/64 dev eth0 nodad
ip -n ns1 addr add 10.12.0.1/30 dev x12
ip -n ns2 addr add 10.12.0.2/30 dev x21
ip -n ns1 addr add 10.12.0.5/32 peer 10.12.0.6/32 dev x12
ip -n ns1 addr add fd12::1/64 dev x12   # DAD may leave this one tentative: realistic
try "mv0 address in ns2" ip -n ns2 addr add 10.99.0.50/24 dev mv0
try "mv0 up in ns2" ip -n ns2 link set mv0 up

# Routes.
ip -n ns1 route add default via 10.10.0.1
ip -n ns1 -6 route add default via fd10::1
ip -n ns1 route add 192.168.50.0/24 via 10.10.0.1 metric 100
ip -n ns1 route add 10.13.0.0/16 via 10.12.0.2 dev x12
ip -n ns2 route add default via 10.10.0.1 dev eth0
ip route add 172.16.0.0/16 via 10.99.0.2
ip route add 10.77.0.5 dev up0
ip route add blackhole 10.66.0.0/16
try "multipath route" ip route add 10.88.0.0/16 nexthop via 10.99.0.2 weight 1 nexthop via 10.99.0.3 weight 2
ip -6 route add fd77::/48 via fd99::2 metric 512
ip route add 10.55.0.0/16 via 10.99.0.2 table 100

# Sysctls (an interface name with a dot appears as "/" in sysctl's dotted keys).
sysctl -qw net.ipv4.ip_forward=1
ip link add v.100 type veth peer name v.101
sysctl -qw net.ipv4.conf.v/100.forwarding=1
ip netns exec ns1 sysctl -qw net.ipv4.conf.all.rp_filter=2

# nftables: the Wireplan table (comment carries the digest), a foreign table, counters.
nft -f - <<EOF
table inet wp_${TAG} {
  comment "wireplan:${TAG}:0123456789abcdef";
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "up0" tcp dport 8080 counter dnat ip to 10.10.0.2:80 comment "$(own pf1)"
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 10.10.0.0/24 ip daddr != 10.10.0.0/24 oifname "up0" counter masquerade comment "$(own nat1)"
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "br0" oifname "up0" counter packets 7 bytes 588 accept comment "$(own pol1)"
    ip6 daddr fd10::/64 tcp dport { 22, 443 } ct state new counter accept comment "<img src=x onerror=alert(1)> \$(id)"
    ip daddr { 10.10.0.2, 10.10.0.3 } counter drop comment "$(own pol2)"
  }
  chain output {
    type filter hook output priority filter; policy accept;
    udp dport 9 counter accept comment "$(own probe)"
  }
}
table ip foreign {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 22 counter accept
  }
}
EOF
ip netns exec ns1 nft -f - <<EOF
table inet wp_${TAG} {
  comment "wireplan:${TAG}:fedcba9876543210";
  chain input {
    type filter hook input priority filter; policy accept;
    udp dport 9 counter accept comment "$(own ns1-in)"
  }
}
EOF

# iptables (nf_tables backend here): FORWARD DROP like Docker, comments, counters, user chain.
iptables -P FORWARD DROP
iptables -N WP-LAB1
iptables -A FORWARD -j WP-LAB1
iptables -A WP-LAB1 -i br0 -o up0 -m comment --comment "$(own fw1)" -j ACCEPT
iptables -A WP-LAB1 -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "$(own fw2)" -j ACCEPT
iptables -t nat -A POSTROUTING -s 10.10.0.0/24 ! -d 10.10.0.0/24 -m comment --comment "$(own nat1)" -j MASQUERADE
iptables -t nat -A PREROUTING -p tcp --dport 8081 -m comment --comment "$(own pf2)" -j DNAT --to-destination 10.10.0.3:80
iptables -A OUTPUT -p udp --dport 9 -m comment --comment "<img src=x onerror=alert(1)> \"q\" \$(id)" -j ACCEPT
try "iptables comment with a newline" iptables -A OUTPUT -p udp --dport 10 -m comment --comment "$(printf 'line1\nline2')" -j ACCEPT
ip6tables -A FORWARD -i br0 -m comment --comment "$(own fw6)" -j ACCEPT

# Hostile data: what the kernel lets through in names and aliases.
# shellcheck disable=SC2016 # a literal name, on purpose
try "ifname a\$(id)" ip link add 'a$(id)' type veth peer name 'b;rm'
try "ifname x\"y" ip link add 'x"y' type veth peer name '<b>'
try "ifname with a control char" ip link add "$(printf 'c\001d')" type veth peer name 'é€'
try "ifname __proto__ / constructor" ip link add __proto__ type veth peer name constructor
try "ifname with a space (expected refused)" ip link add 'has space' type veth peer name hs1
try "ifname with a newline (expected refused)" ip link add "$(printf 'n\nl')" type veth peer name nl1
try "ifname 16 bytes (expected refused)" ip link add abcdefghijklmnop type veth peer name long1
ip link set h-ns1 alias "$(own v1.a)"
try "alias html" ip link set pair-a alias '<img src=x onerror=alert(1)>'
try "alias shell and quotes" ip link set pair-b alias "a\$(id) \"q\" 's' \`id\` \\ back"
try "alias newline" ip link set up0-peer alias "$(printf 'line1\nline2')"
try "alias control chars" ip link set vx1 alias "$(printf 'esc\033[31mred\001ctl\ttab\177del')"
try "alias utf8" ip link set vx6 alias "$(printf 'utf8 ünï €😀')"
try "alias 255 bytes" ip link set up0 alias "$(printf 'x%.0s' {1..255})"
try "alias in ns1" ip -n ns1 link set x12 alias "$(own x.a)"

# Some traffic so counters are non-zero: UDP datagrams from the sandbox root to ns1/ns2.
sleep 1
for _ in 1 2 3; do
  (echo hello >/dev/udp/10.10.0.2/9) 2>/dev/null || true
  (echo hello >/dev/udp/10.10.0.3/9) 2>/dev/null || true
  (echo hello >/dev/udp/fd10::2/9) 2>/dev/null || true
done
sleep 1

# ---------------------------------------------------------------- captures
# Root namespace, one command each.
cap root.link.json ip -j -d -s link show
cap root.link-plain.json ip -j link show
cap root.addr.json ip -j addr show
cap root.route-main.json ip -j route show
cap root.route6-main.json ip -j -6 route show
cap root.route-all.json ip -j route show table all
cap root.route-all-detail.json ip -j -d route show table all
cap root.netns-list.json ip -j netns list
cap root.netns-list-id.json ip -j netns list-id
cap root.bridge-link.json bridge -j link show
cap root.bridge-link-detail.json bridge -j -d link show
cap root.bridge-vlan.json bridge -j vlan show
cap root.nft.json nft -j list ruleset
cap root.nft.txt nft -a list ruleset
cap root.iptables-save.txt iptables-save -c
cap root.ip6tables-save.txt ip6tables-save -c
cap root.sysctl.txt sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.rp_filter \
  net.ipv4.conf.br0.forwarding net/ipv4/conf/v.100/forwarding net.ipv4.ip_local_port_range \
  net.ipv4.conf.no-such-if.forwarding
cap root.iptables-version.txt iptables --version
cap root.nft-version.txt nft --version
cap root.boot-id.txt cat /proc/sys/kernel/random/boot_id

# One `ip -batch` process per namespace: the shape the backend runs.
printf 'link show\naddr show\nroute show\n' >"$OUT/batch-basic.in"
printf 'link show\naddr show\nroute show table all\nnetns list-id\n' >"$OUT/batch-full.in"
printf 'link show\nlink show dev no-such-dev\naddr show\nroute show\n' >"$OUT/batch-error.in"
capin root.batch-basic.json "$OUT/batch-basic.in" ip -j -d -s -batch -
capin root.batch-full.json "$OUT/batch-full.in" ip -j -d -s -batch -
for ns in ns1 ns2; do
  capin "$ns.batch-basic.json" "$OUT/batch-basic.in" ip -n "$ns" -j -d -s -batch -
  capin "$ns.batch-full.json" "$OUT/batch-full.in" ip -n "$ns" -j -d -s -batch -
  cap "$ns.link.json" ip -n "$ns" -j -d -s link show
  cap "$ns.addr.json" ip -n "$ns" -j addr show
  cap "$ns.route-all.json" ip -n "$ns" -j route show table all
  cap "$ns.netns-list-id.json" ip -n "$ns" -j netns list-id
  cap "$ns.nft.json" ip netns exec "$ns" nft -j list ruleset
  cap "$ns.nft.txt" ip netns exec "$ns" nft -a list ruleset
  cap "$ns.sysctl.txt" ip netns exec "$ns" sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter
done
# A failing command inside a batch: without -force ip stops; with -force it goes on.
capin ns1.batch-error.json "$OUT/batch-error.in" ip -n ns1 -j -d -s -batch -
capin ns1.batch-error-force.json "$OUT/batch-error.in" ip -n ns1 -force -j -d -s -batch -

note "# done"
