#!/usr/bin/env bash
# Stand-in NICs inside a sandbox (see shared/sandbox/stand-ins.ts and sandbox-executor.ts).
# usage: sandbox-stand-ins.sh OUTSIDE_FILE [NAME HOST_CIDR OUTSIDE_CIDR]...
# OUTSIDE_FILE: where the hidden "outside" network namespace is kept (a bind mount of its
# nsfs file under the sandbox's private /run, not /run/netns, so `ip netns list`, apply,
# live view and import never see it). Made on first use. Each NIC NAME becomes a veth:
# NAME with HOST_CIDR in the sandbox's root namespace, its peer (also NAME) with
# OUTSIDE_CIDR in the outside namespace. The outside namespace routes everything back
# through the first NIC it got, like the LAN or ISP beyond a real host's NIC. A NIC that
# already exists is left as it is (idempotent; one deleted by hand is made again only
# when the caller asks for it again).
set -euo pipefail
outside=$1
shift
in_outside() { nsenter --net="$outside" -- "$@"; }
if ! in_outside true 2>/dev/null; then
  mkdir -p "${outside%/*}"
  : >"$outside"
  unshare --net="$outside" true
  in_outside ip link set lo up
fi
while (( $# >= 3 )); do
  name=$1 host_cidr=$2 outside_cidr=$3
  shift 3
  if ip link show dev "$name" >/dev/null 2>&1; then continue; fi
  ip link add "$name" type veth peer name "$name" netns "$outside"
  ip addr add "$host_cidr" dev "$name"
  ip link set "$name" up
  in_outside ip addr add "$outside_cidr" dev "$name"
  in_outside ip link set "$name" up
  # The route back: the first NIC made wins; later ones are reached on their own subnet.
  if ! in_outside ip -4 route show default | grep -q .; then
    in_outside ip route add default via "${host_cidr%/*}" dev "$name"
  fi
done
(( $# == 0 )) || { echo "sandbox-stand-ins: arguments come in threes (NAME HOST_CIDR OUTSIDE_CIDR)" >&2; exit 2; }
