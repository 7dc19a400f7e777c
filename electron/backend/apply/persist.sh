#!/usr/bin/env bash
# Makes a design survive a reboot on this host (apply --persist), removes that again
# (destroy), or says whether it is in place (live state). See persist.ts.
#   bash -c "$PERSIST_SH" wp-persist install TAG UNIT_TEXT   < exported script
#   bash -c "$PERSIST_SH" wp-persist remove TAG
#   bash -c "$PERSIST_SH" wp-persist state TAG
# The script goes to /usr/local/lib/wireplan/wireplan-TAG.sh and the unit to
# /etc/systemd/system/wireplan-TAG.service; `systemctl enable` makes the wants link.
# When systemd is not running (a chroot, a container, our test labs) systemctl works on
# the files alone (no daemon-reload), which is all a reboot needs.
# Output: one "@wp persist KEY VALUE" line per fact; errors on stderr, non-zero exit.
set -euo pipefail
op=$1 tag=$2
case $tag in '' | *[!a-z0-9]*) echo "wp-persist: bad design tag '$tag'" >&2; exit 2 ;; esac
lib=/usr/local/lib/wireplan
units=/etc/systemd/system
script=$lib/wireplan-$tag.sh
unit=wireplan-$tag.service
want=$units/multi-user.target.wants/$unit
booted=0
[ -d /run/systemd/system ] && booted=1 # sd_booted(3): systemd is the running init

need_systemctl() {
  command -v systemctl >/dev/null 2>&1 || { echo "wp-persist: systemctl not found: this host does not use systemd, so Wireplan cannot install a boot unit here" >&2; exit 3; }
}

case $op in
  install)
    need_systemctl
    mkdir -p "$lib" "$units"
    # Write beside the target, then rename: a crash never leaves half a script or unit.
    tmp=$(mktemp "$lib/.wireplan-$tag.XXXXXX")
    cat >"$tmp"
    chmod 0755 "$tmp"
    mv -f "$tmp" "$script"
    tmp=$(mktemp "$units/.$unit.XXXXXX")
    printf '%s' "$3" >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$units/$unit"
    if [ $booted = 1 ]; then systemctl daemon-reload; fi
    systemctl enable "$unit" </dev/null >/dev/null 2>&1 || { systemctl enable "$unit" </dev/null; exit 1; }
    [ -L "$want" ] || { echo "wp-persist: systemctl enable $unit made no link $want" >&2; exit 1; }
    echo "@wp persist script $script"
    echo "@wp persist unit $units/$unit"
    echo "@wp persist wants $want"
    echo "@wp persist booted $booted"
    ;;
  remove)
    removed=()
    if [ -e "$units/$unit" ] || [ -L "$want" ]; then
      if command -v systemctl >/dev/null 2>&1; then systemctl disable "$unit" </dev/null >/dev/null 2>&1 || true; fi
      # A link systemctl did not know about (or no systemctl at all) still goes.
      if [ -L "$want" ]; then rm -f "$want"; fi
      removed+=("$want")
    fi
    for f in "$units/$unit" "$script"; do
      if [ -e "$f" ]; then rm -f "$f"; removed+=("$f"); fi
    done
    rmdir "$lib" 2>/dev/null || true # only when no other design's script is left
    if [ $booted = 1 ] && [ ${#removed[@]} -gt 0 ]; then systemctl daemon-reload || true; fi
    for f in "${removed[@]}"; do echo "@wp persist removed $f"; done
    ;;
  state)
    s=0 u=0 w=0
    [ -f "$script" ] && s=1
    [ -f "$units/$unit" ] && u=1
    [ -L "$want" ] && w=1
    echo "@wp persist state script=$s unit=$u wants=$w"
    ;;
  *) echo "wp-persist: unknown operation '$op'" >&2; exit 2 ;;
esac
