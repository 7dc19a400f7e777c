#!/usr/bin/env bash
# The on-host programs and the project's own scripts, checked as what they are:
#   bash -n      every .sh (the golden plan scripts too)
#   ShellCheck:  every .sh but the goldens (generated) and the exclusions below
#   perl -c, python3 -m py_compile   the check's listener programs
# `npm run check:sh` (part of `npm run check`). shellcheck is Debian's package shellcheck
# (scripts/setup.sh installs it).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

# Checked by bash -n but not (yet) by shellcheck, each with its reason.
SHELLCHECK_EXCLUDED=()

mapfile -t all < <(find shared electron scripts resources bench tests -name node_modules -prune -o -type f -name '*.sh' -print | LC_ALL=C sort)
status=0

for f in "${all[@]}"; do
  bash -n "$f" || { echo "check-sh: bash -n failed: $f" >&2; status=1; }
done

lint=()
for f in "${all[@]}"; do
  [[ $f == resources/golden/* ]] && continue
  skip=0
  for x in "${SHELLCHECK_EXCLUDED[@]}"; do [[ $f == "$x" ]] && skip=1; done
  (( skip )) || lint+=("$f")
done
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "check-sh: shellcheck is not installed (Debian package shellcheck; bash scripts/setup.sh installs it)" >&2
  status=1
elif ! shellcheck --shell=bash --external-sources "${lint[@]}"; then
  status=1
fi

while IFS= read -r f; do
  if command -v perl >/dev/null 2>&1; then perl -c "$f" 2>&1 | grep -v ' syntax OK$' && status=1; fi
done < <(find shared electron -name '*.pl' | LC_ALL=C sort)
while IFS= read -r f; do
  if command -v python3 >/dev/null 2>&1; then python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' "$f" || status=1; fi
done < <(find shared electron -name '*.py' | LC_ALL=C sort)

if (( status == 0 )); then echo "check-sh: ${#all[@]} shell files parse, ${#lint[@]} pass shellcheck"; fi
exit $status
