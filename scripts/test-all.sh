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
# One project at a time: the kernel and SSH suites create real namespaces and processes,
# and their leak checks must not see each other's.
for project in unit kernel ssh; do
  npx vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json=".tsbuild/test-results/vitest-$project.json" || status=1
done
if npm run | grep -q '^  test:e2e'; then
  PLAYWRIGHT_JSON_OUTPUT_NAME=.tsbuild/test-results/playwright.json npm run test:e2e -- --reporter=list,json || status=1
fi
node scripts/test-summary.mjs
exit $status
