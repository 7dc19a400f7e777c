#!/usr/bin/env bash
# After a destroy (see destroy-host.ts): removes the apply machinery's files when no
# commit-confirmed timer is pending (the lock file stays, as the script leaves it).
#   bash -c "$DESTROY_CLEANUP_SH" wp-cleanup RUNS PLAN_SCRIPT EXT
r=$1
busy=0
for d in "$r"/*/; do
  [ -d "$d" ] || continue
  case $(cat "$d/timer.state" 2>/dev/null || echo none) in none|confirmed|reverted) rm -rf "$d" ;; *) busy=1 ;; esac
done
[ $busy = 1 ] || rm -rf "$r" "$2" "$3"
