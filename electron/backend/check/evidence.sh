# shellcheck shell=bash
# The runtime of the check's evidence script (see evidence-script.ts): functions only; the
# script sets wp_tag and calls wp_ev per namespace from a `main </dev/null` after this text.
set -u
export LC_ALL=C
wp_tag=
wp_say() { printf '%s %s\n' "$wp_tag" "$*"; }
# A namespace is a name under /run/netns, or (starting with /) the path of a namespace
# kept elsewhere: a sandbox's hidden "outside" behind its stand-in NICs.
wp_in() { local ns=$1; shift; case $ns in '') "$@" ;; /*) nsenter --net="$ns" -- "$@" ;; *) ip netns exec "$ns" "$@" ;; esac; }
wp_ev() {
  local idx=$1 ns=$2 d; shift 2
  if [ -n "$ns" ] && ! wp_in "$ns" true 2>/dev/null; then wp_say ev "$idx" missing; return; fi
  wp_say ev "$idx" addr
  wp_in "$ns" ip -j -d addr show 2>&1
  wp_say ev "$idx" sysctl
  # shellcheck disable=SC2016 # the inner program expands its own variables
  wp_in "$ns" sh -c 'for k in net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/conf/all/rp_filter; do v=$(cat "/proc/sys/$k" 2>/dev/null) || v=-; printf "%s = %s\n" "$k" "$v"; done' 2>&1
  for d in "$@"; do
    wp_say ev "$idx" route "$d"
    wp_in "$ns" ip -j route get "$d" 2>&1
  done
  wp_say ev "$idx" nft
  if command -v nft >/dev/null 2>&1; then wp_in "$ns" nft list ruleset 2>&1; else echo "nft: command not found"; fi
  wp_say ev "$idx" end
}
