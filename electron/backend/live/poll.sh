#!/usr/bin/env bash
# One live poll (see poll-script.ts for the stdin entries, flags and output markers).
#   $1 nonce   $2 the ip batch lines   $3 mode flags (b boot id, c cpus, l /run/netns,
#   p programs, u boot unit, q qdisc records)   $4 the design tag (with p, u or q)
export LC_ALL=C
shopt -s nullglob
N=$1 B=$2 M=$3
m() { printf '\n@@%s:%s\n' "$N" "$1"; }
e2() { printf '\n@@%s:err:%s\n' "$N" "$1" >&2; }
x() {
  local i=$1 f=$2 k v e r; shift 2
  if [[ $f == *n* ]]; then
    if command -v nft >/dev/null 2>&1; then
      m "nft:$i"; { e=$(nft list ruleset 2>&1 >&3 3>&-); r=$?; } 3>&1
      [[ $r == 0 && -z $e ]] || { m "nfterr:$i:$r"; printf '%s' "$e"; }
      m "nftj:$i"; { e=$(nft -j list ruleset 2>&1 >&3 3>&-); r=$?; } 3>&1
      [[ $r == 0 && -z $e ]] || { m "nftjerr:$i:$r"; printf '%s' "$e"; }
    else m "nonft:$i"; fi
  fi
  if [[ $f == *s* ]]; then
    m "sysctl:$i"
    for k; do IFS= read -r v < "/proc/sys/$k" 2>/dev/null && printf '%s = %s\n' "$k" "$v"; done
  fi
  if [[ $f == *i* ]]; then
    if command -v iptables-save >/dev/null 2>&1; then
      m "ipt:$i"; iptables-save -c 2>/dev/null </dev/null
      m "ip6t:$i"; ip6tables-save -c 2>/dev/null </dev/null
    else m "noipt:$i"; fi
  fi
  return 0
}
X="$(declare -f m x)"
keys=() ents=() qd=()
while IFS= read -r -d '' e; do
  case ${e%%/*} in
    K) keys+=("${e#*/}") ;;
    # An interface whose qdiscs the entry before it reads (names hold no newline).
    Q) (( ${#ents[@]} )) && qd[${#ents[@]}-1]+="${e#*/}"$'\n' ;;
    *) ents+=("$e") ;;
  esac
done
exec </dev/null
if [[ $M == *b* ]]; then m boot; IFS= read -r v < /proc/sys/kernel/random/boot_id && printf '%s\n' "$v"; fi
# Whether the design comes back after a reboot (apply --persist: see apply/persist.sh):
# its script, its unit and the unit's wants link are all in place.
if [[ $M == *u* ]]; then
  m unit; u=/etc/systemd/system/wireplan-$4.service
  if [[ -f /usr/local/lib/wireplan/wireplan-$4.sh && -f $u && -L /etc/systemd/system/multi-user.target.wants/wireplan-$4.service ]]; then echo 1; else echo 0; fi
fi
if [[ $M == *c* ]]; then m cpus; IFS= read -r v < /sys/devices/system/cpu/online && printf '%s\n' "$v"; fi
if [[ $M == *l* ]]; then m names; for p in /run/netns/*; do printf '%s\0' "${p#/run/netns/}"; done; fi
# The design's programs, as the runtime's `report` prints them (shared/export/runtime.sh):
# a recorded pid counts while its start time (field 22 of /proc/PID/stat) is the recorded
# one. For display only: nothing here signals a process.
if [[ $M == *p* ]]; then
  m progs
  for d in "/run/wireplan/$4/prog/"*@*; do
    [[ -e $d/digest ]] || continue
    b=${d##*/} g='' c='' x='' st=gone
    IFS= read -r g <"$d/digest"; [[ -e $d/child ]] && IFS= read -r c <"$d/child"; [[ -e $d/exit ]] && IFS= read -r x <"$d/exit"
    if [[ -n $c ]] && { s=$(<"/proc/${c%% *}/stat"); } 2>/dev/null && s=${s##*) } && read -ra pf <<<"$s" && [[ ${pf[0]} != Z && ${pf[19]} == "${c#* }" ]]; then st="running ${c%% *}"
    elif [[ -n $x ]]; then st="exited $x"; fi
    n=${b%@*}; printf 'prog %s %s %s %s\n' "${n:--}" "${b##*@}" "$g" "$st"
  done
fi
i=0
for e in "${ents[@]}"; do
  f=${e%%/*} ns=${e#*/}
  if [[ $f == a ]]; then
    m "t:$i:$EPOCHREALTIME"; m "ip:$i"
    e2 "$i"; ip -j -d -batch - <<<"addr show dev $ns"; r=$?
    [[ $r == 0 ]] || m "iperr:$i:$r"
    i=$((i+1)); continue
  fi
  if [[ -n $ns && ! -e /run/netns/$ns ]]; then m "gone:$i"; i=$((i+1)); continue; fi
  m "t:$i:$EPOCHREALTIME"
  if [[ $f == *d* && -z $ns ]]; then m "dev:$i"; printf '%s\n' "$(</proc/net/dev)"; fi
  if [[ $f == *[lLr]* ]]; then
    o=(-j) bb=$B
    [[ -z $ns && $B != *"netns list-id"* ]] && bb+=$'\n''netns list-id'
    if [[ $f == *[lL]* ]]; then o+=(-d); [[ $f == *L* ]] && o+=(-s); else o+=(-s); bb='link show'; fi
    [[ -n $ns ]] && o=(-n "$ns" "${o[@]}")
    m "ip:$i"; e2 "$i"; ip "${o[@]}" -batch - <<<"$bb"; r=$?
    [[ $r == 0 ]] || m "iperr:$i:$r"
  fi
  # Link impairments (docs/impairments.md): each interface's qdiscs as the runtime's probe
  # reads them, and the runtime's record of what Wireplan set (wp_qdisc_file), if any.
  if [[ $f == *q* ]]; then
    k=0 o=(); [[ -n $ns ]] && o=(-n "$ns")
    while IFS= read -r d; do
      [[ -n $d ]] || continue
      m "tc:$i:$k"; tc "${o[@]}" qdisc show dev "$d" 2>/dev/null; r=$?
      [[ $r == 0 ]] || m "tcerr:$i:$k:$r"
      g=/run/wireplan/$4/qdisc/${ns:+$ns@}$d
      if [[ $M == *q* && -f $g ]]; then m "tcrec:$i:$k"; v=; IFS= read -r -d '' v <"$g" 2>/dev/null; printf '%s' "$v"; fi
      k=$((k+1))
    done <<<"${qd[$i]:-}"
  fi
  if [[ $f == *[nsi]* ]]; then
    if [[ -z $ns ]]; then x "$i" "$f" "${keys[@]}"
    else ip netns exec "$ns" bash -c "N=\$1; shift; $X; x \"\$@\"" wp-poll-ns "$N" "$i" "$f" "${keys[@]}"; fi
  fi
  i=$((i+1))
done
m cpu; times
m end
