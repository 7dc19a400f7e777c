#!/bin/sh
# The `wireplan` command of the desktop installers: the .deb links /usr/bin/wireplan here
# (resources/cli/wireplan inside the app); from an AppImage run it as
# squashfs-root/resources/cli/wireplan after --appimage-extract. It runs the bundled,
# self-contained CLI (scripts/build-cli.ts --standalone) with the system's Node.js: the
# app's own Electron binary cannot stand in for node (its RunAsNode fuse is off).
self=$(readlink -f "$0")
dir=$(dirname "$self")
if ! command -v node >/dev/null 2>&1; then
  echo "wireplan: the command-line tool needs Node.js 20 or newer (Debian/Ubuntu: apt install nodejs, or https://nodejs.org); the desktop app (wireplan-desktop) does not" >&2
  exit 127
fi
major=$(node -e 'process.stdout.write(process.versions.node.split(".")[0])')
if [ "$major" -lt 20 ] 2>/dev/null; then
  echo "wireplan: Node.js $(node --version) is too old; the command-line tool needs Node.js 20 or newer" >&2
  exit 127
fi
exec node "$dir/wireplan.mjs" "$@"
