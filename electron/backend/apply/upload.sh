#!/usr/bin/env bash
# Ships a plan to its host (see upload.ts): writes the plan script from stdin and the
# backend extension from an argument, each atomically and root-only, then runs the
# command in the remaining arguments (if any), e.g. the inspect.
#   bash -c "$UPLOAD_SH" wp-upload RUNS PLAN_SCRIPT EXT EXT_TEXT [COMMAND ARG...] < plan
set -e
umask 077
runs=$1 script=$2 ext=$3 text=$4
shift 4
mkdir -p "$runs"
cat > "$script.tmp"
mv -f "$script.tmp" "$script"
printf '%s' "$text" > "$ext.tmp"
mv -f "$ext.tmp" "$ext"
if (( $# )); then "$@" </dev/null; fi
