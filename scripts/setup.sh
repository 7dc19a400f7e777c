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
# CLI shell test drives `wireplan shell` on a pseudo-terminal).
PACKAGES=(iproute2 nftables iptables openssh-server openssh-client iputils-ping netcat-openbsd
  util-linux procps psmisc sudo chromium ca-certificates shellcheck
  graphviz systemd tcpdump python3-minimal bsdutils)

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

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages"
  # The Electron binary cannot be downloaded everywhere; the app runs headless without it.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
