#!/usr/bin/env bash
# Commit-confirmed, the confirming side (see confirm.ts): run over a FRESH connection, it
# writes the confirm file of the run in DIR and reports what the run's timer decided.
#   bash -c "$CONFIRM_SH" wp-confirm DIR
d=$1
[ -d "$d" ] || { echo "@wpx confirm no-run"; exit 3; }
: > "$d/confirm"
# The timer looks every 0.1 s; its answer is what counts (it may have decided just before).
i=0 s=none
while [ "$i" -lt 600 ]; do
  s=$(cat "$d/timer.state" 2>/dev/null || echo none)
  case $s in confirmed|reverting|reverted) echo "@wpx confirm $s"; exit 0 ;; esac
  sleep 0.05; i=$((i + 1))
done
echo "@wpx confirm timeout $s"
