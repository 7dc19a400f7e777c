#!/usr/bin/env bash
# Preflight, part two (see net-managers.ts): does NetworkManager or systemd-networkd manage
# one of the root-namespace interfaces the plan touches? Either may take a NIC back, re-add
# its addresses or tear down what Wireplan enslaved to it. Reads the daemons' own state:
#   systemd-networkd: /run/systemd/netif/links/IFINDEX (ADMIN_STATE=, NETWORK_FILE=)
#   NetworkManager:   `nmcli -t -f DEVICE,STATE,CONNECTION device status` when NM runs,
#                     else its per-device state /run/NetworkManager/devices/IFINDEX (managed=)
#   bash -s -- IFNAME...   (names allowlisted by the caller; interfaces not there yet are skipped)
# Output, one fact a line:
#   networkd IFNAME ADMIN_STATE NETWORK_FILE|-
#   nm-file IFNAME managed=true|false
#   nmcli LINE            (the terse line as nmcli printed it, for every device)
set +e
export LC_ALL=C
for ifname; do
  idx=$(cat "/sys/class/net/$ifname/ifindex" 2>/dev/null) || continue
  f=/run/systemd/netif/links/$idx
  if [ -r "$f" ]; then
    st=$(sed -n 's/^ADMIN_STATE=//p' "$f" | head -n1)
    nf=$(sed -n 's/^NETWORK_FILE=//p' "$f" | head -n1)
    echo "networkd $ifname ${st:-unknown} ${nf:--}"
  fi
  f=/run/NetworkManager/devices/$idx
  if [ -r "$f" ]; then
    m=$(sed -n 's/^managed=//p' "$f" | head -n1)
    echo "nm-file $ifname managed=${m:-unknown}"
  fi
done
if command -v nmcli >/dev/null 2>&1 && [ "$(nmcli -t -f RUNNING general 2>/dev/null)" = running ]; then
  nmcli -t -f DEVICE,STATE,CONNECTION device status 2>/dev/null | sed 's/^/nmcli /'
fi
exit 0
