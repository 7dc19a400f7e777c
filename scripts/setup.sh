#!/usr/bin/env bash
# Installs everything Wireplan and its tests need on a fresh Debian/Ubuntu machine:
# Debian packages (only the missing ones) and the npm dependencies.
#   bash scripts/setup.sh          app + test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

# Tools the tests drive for real: the kernel's network stack (iproute2, nftables,
# iptables), a real OpenSSH server for lab hosts, a real browser, ping and nc for
# connectivity checks, flock/unshare/nsenter (util-linux) for the script runtime and sandboxes,
# the shell linter that `npm run check:sh` runs over the on-host programs, Graphviz (the DOT
# export test renders it), systemd (systemd-analyze verifies the exported unit) and tcpdump
# (packet capture runs it on the host; the pcap reader is tested against its files),
# python3-minimal (a shell in the sandbox runs on its pty relay) and bsdutils (`script`: the
# CLI shell test drives `wireplan shell` on a pseudo-terminal) and poppler-utils (pdftoppm
# renders the PDF export in its tests).
PACKAGES=(iproute2 nftables iptables openssh-server openssh-client iputils-ping netcat-openbsd
  util-linux procps psmisc sudo chromium ca-certificates shellcheck
  graphviz systemd tcpdump python3-minimal bsdutils poppler-utils)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node: the checkout declares Node >= 22.12 (package.json engines), because Electron 45 and
# its build tooling need it. Where the machine's Node is older, the official Node 22 binary
# comes from the npm registry (the node-linux-ARCH package carries it, with the headers
# node-gyp builds ssh2's native helper against) into .tools/node, and npm ci runs with it,
# so the install prints no engine warning. Tests and the CLI also run on the machine's own
# Node (>= 20.19): ssh2 then uses its pure-JavaScript fallback for the native helper.
node_ok() { "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; }
npm_env=()
if ! { command -v node >/dev/null 2>&1 && node_ok node; }; then
  if ! { [[ -x .tools/node/bin/node ]] && node_ok .tools/node/bin/node; }; then
    case $(uname -m) in
      x86_64) node_arch=x64 ;;
      aarch64) node_arch=arm64 ;;
      *) echo "setup: no Node 22 package for $(uname -m) on the npm registry; install Node >= 22.12 yourself" >&2; exit 1 ;;
    esac
    echo "setup: fetching Node 22 (npm package node-linux-$node_arch) into .tools/node; this machine has Node $(node --version 2>/dev/null || echo none)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-$node_arch@22" >/dev/null)
    tar -xzf "$tmp"/node-linux-"$node_arch"-*.tgz -C "$tmp"
    node_ok "$tmp/package/bin/node" || { echo "setup: the fetched Node is not >= 22.12: $("$tmp/package/bin/node" --version)" >&2; exit 1; }
    rm -rf .tools/node
    mkdir -p .tools
    mv "$tmp/package" .tools/node
    rm -rf "$tmp"
  fi
  npm_env=(PATH="$PWD/.tools/node/bin:$PATH" npm_config_nodedir="$PWD/.tools/node")
  echo "setup: npm ci runs on Node $(.tools/node/bin/node --version) from .tools/node (put $PWD/.tools/node/bin first in PATH to build the app with it)"
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages"
  # The Electron binary cannot be downloaded everywhere; the app runs headless without it.
  env "${npm_env[@]}" ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
