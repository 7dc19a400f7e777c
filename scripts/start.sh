#!/usr/bin/env bash
# One command for a fresh machine: install what the app needs, build the designer and
# start it. Where the Electron binary can run, the desktop app opens; elsewhere (no
# display, or no Electron binary, as on our build machines) the same designer is served
# on http://127.0.0.1 for a local browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build:renderer
ELECTRON_BIN=node_modules/electron/dist/electron
if [[ -x $ELECTRON_BIN && -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} && -f out/main/main.js ]]; then
  exec "$ELECTRON_BIN" .
fi
echo "Wireplan designer: open http://127.0.0.1:4174 in a browser (Ctrl+C to stop)"
exec npm run preview:renderer
