#!/usr/bin/env bash
# The kernel, SSH and e2e suites beside a CPU hog on every core, ROUNDS times in a row
# (default 2): the suite must stay green on a busy machine, not only on an idle one.
# Runs on a fresh clone of HEAD in a temporary folder (never the checkout: no tracked file
# is written), laid out as scripts/test-all.sh runs them: kernel then e2e in one lane, SSH
# in the other. The hog is stress-ng (Debian package stress-ng), stopped by its PID.
#   bash scripts/test-under-load.sh [ROUNDS]     logs and JSON reports in $WP_LOAD_OUT
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-2}
[[ $rounds =~ ^[1-9][0-9]?$ ]] || { echo "usage: $0 [ROUNDS 1-99]" >&2; exit 2; }
command -v stress-ng >/dev/null || { echo "test-under-load: needs stress-ng (apt-get install stress-ng)" >&2; exit 2; }
[[ -d node_modules ]] || { echo "test-under-load: run bash scripts/setup.sh first" >&2; exit 2; }

out=${WP_LOAD_OUT:-$(mktemp -d /tmp/wireplan-load.XXXXXX)}
mkdir -p "$out"
clone=$(mktemp -d /tmp/wireplan-load-clone.XXXXXX)
git clone -q . "$clone" || exit 1
ln -s "$PWD/node_modules" "$clone/node_modules"
cd "$clone" || exit 1
export CI=true ELECTRON_SKIP_BINARY_DOWNLOAD=1
echo "test-under-load: $(git log --oneline -1 | cut -c1-72); logs in $out"

stress-ng --cpu 0 >/dev/null 2>&1 &
hog=$!
trap 'kill "$hog" 2>/dev/null; rm -rf "$clone"' EXIT

vitest_suite() { # vitest_suite ROUND PROJECT
  npx vitest run --project "$2" --reporter=default --reporter=json \
    --outputFile.json="$out/r$1-$2.json" >"$out/r$1-$2.log" 2>&1 </dev/null
}
e2e_suite() { # e2e_suite ROUND
  PLAYWRIGHT_JSON_OUTPUT_NAME="$out/r$1-e2e.json" npm run test:e2e -- --reporter=list,json \
    >"$out/r$1-e2e.log" 2>&1 </dev/null
}

status=0
for (( round = 1; round <= rounds; round++ )); do
  start=$(date +%s)
  ( rc=0
    vitest_suite "$round" kernel || rc=1
    e2e_suite "$round" || rc=1
    exit $rc ) &
  lane=$!
  rc=0
  vitest_suite "$round" ssh || rc=1
  wait "$lane" || rc=1
  (( rc == 0 )) || status=1
  echo "round $round: $([[ $rc == 0 ]] && echo green || echo FAILED) in $(( $(date +%s) - start )) s"
done
exit $status
