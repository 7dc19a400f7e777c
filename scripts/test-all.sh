#!/usr/bin/env bash
# One command for a fresh machine: install what the tests need, then run every test:
# typecheck, lint (zero warnings), unit tests, real-kernel tests, SSH lab-host tests and
# the browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run typecheck
npm run lint
npx vitest run
if npm run | grep -q '^  test:e2e'; then npm run test:e2e; fi
