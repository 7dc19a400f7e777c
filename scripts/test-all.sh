#!/usr/bin/env bash
# One command for a fresh machine: install what the tests need, then run every test:
# typecheck, lint (zero warnings), bash -n and shellcheck, unit tests, real-kernel tests,
# SSH lab-host tests and the browser end-to-end tests. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
# Tests never download anything (the Electron binary least of all).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
cd "$(dirname "$0")/.." || exit 1
bash scripts/setup.sh || exit 1
npm run typecheck || exit 1
npm run lint || exit 1
mkdir -p .tsbuild/test-results
rm -f .tsbuild/test-results/*.json
status=0
# bash -n and shellcheck of every shell file: a finding fails the run, the tests still run.
npm run check:sh || status=1
# Two lanes side by side, about equally long, since most of the kernel, SSH and browser time
# is spent waiting on the kernel, sshd and Chromium rather than on the CPU. Each suite checks
# only what it created (namespaces, lab hosts, processes by PID), so lanes never see each
# other's objects. Each line is prefixed with its lane; each lane fails the run on its own.
run_suite() { # unit | kernel | ssh | e2e
  if [ "$1" = e2e ]; then
    PLAYWRIGHT_JSON_OUTPUT_NAME=.tsbuild/test-results/playwright.json npm run test:e2e -- --reporter=list,json
  else
    npx vitest run --project "$1" --reporter=default --reporter=json \
      --outputFile.json=".tsbuild/test-results/vitest-$1.json"
  fi
}
lane() { # lane NAME SUITE...: runs every suite even after a failure; fails if any failed
  local name=$1 rc=0 suite
  shift
  for suite in "$@"; do run_suite "$suite" 2>&1 | sed -u "s/^/[$name] /" || rc=1; done
  return $rc
}
lane kernel+e2e kernel e2e &
first=$!
lane unit+ssh unit ssh &
second=$!
wait "$first" || status=1
wait "$second" || status=1
node scripts/test-summary.mjs
exit $status
