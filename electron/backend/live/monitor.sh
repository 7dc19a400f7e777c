#!/usr/bin/env bash
# The live monitor (see monitor-script.ts): `ip -ts monitor all-nsid` for the host, plus
# `nft monitor` and per-namespace `ip monitor` for the stdin entries, each line prefixed
# with its source, and a heartbeat every second that doubles as the remote watchdog.
#   $1     the run's nonce
#   stdin  NUL-terminated "n/<netns>" (nft monitor; "" = root) and "i/<netns>" (ip monitor)
export LC_ALL=C
N=$1
trap 'trap - TERM EXIT; kill 0 2>/dev/null' EXIT
ents=()
while IFS= read -r -d '' e; do ents+=("$e"); done
exec </dev/null
ip -ts monitor all-nsid link address route netconf nsid &
W=$!
i=0
for e in "${ents[@]}"; do
  f=${e%%/*} ns=${e#*/}
  case $f in
    n) { if [[ -z $ns ]]; then exec nft monitor; else exec ip netns exec "$ns" nft monitor; fi; } 2>/dev/null \
         | while IFS= read -r l; do printf '@@%s:nft:%s:%s\n' "$N" "$i" "$l"; done & ;;
    i) ip -n "$ns" -ts monitor link address route netconf 2>/dev/null \
         | while IFS= read -r l; do printf '@@%s:ipn:%s:%s\n' "$N" "$i" "$l"; done & ;;
  esac
  i=$((i+1))
done
trap '' PIPE
while kill -0 "$W" 2>/dev/null; do printf '@@%s:hb\n' "$N" || exit 0; sleep 1 || exit 0; done
exit 0
