#!/usr/bin/env bash
# One command for a fresh machine: install what the app needs, build the designer and
# start it. Where the Electron binary can run, the desktop app opens; elsewhere (no
# display, or no Electron binary, as on our build machines) the same designer is served
# on http://127.0.0.1 for a local browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The desktop app needs the Electron binary (its npm package only downloads it) and, on
# Linux, a display.
ELECTRON_BIN=$(node -e "try { process.stdout.write(require('electron')) } catch {}" 2>/dev/null || true)
HAVE_DISPLAY=${DISPLAY:-}${WAYLAND_DISPLAY:-}
[[ $(uname -s) == Darwin ]] && HAVE_DISPLAY=yes
if [[ -n $ELECTRON_BIN && -x $ELECTRON_BIN && -n $HAVE_DISPLAY ]]; then
  npm run build:app
  exec "$ELECTRON_BIN" . "$@"
fi
if [[ -z $ELECTRON_BIN || ! -x $ELECTRON_BIN ]]; then
  echo "start: the Electron binary is not installed here; serving the designer to a local browser instead"
else
  echo "start: no display for the desktop app; serving the designer to a local browser instead"
fi
npm run build:renderer
# `wireplan serve` listens on 127.0.0.1 only and prints the address with its per-launch
# token (open exactly that address; anyone holding it can drive the backend). Saves and
# exports land in ~/Wireplan (or $WIREPLAN_WORKSPACE). Ctrl+C stops.
exec node bin/wireplan.mjs serve --port "${WIREPLAN_PORT:-0}" --dir "${WIREPLAN_WORKSPACE:-$HOME/Wireplan}" "$@"
