#!/usr/bin/env bash
# Packet capture on one interface of the host (issue 14), run as root by the executor.
#
#   capture.sh start ID NETNS IFACE [FILTER]   tcpdump's pcap stream on stdout until stopped
#   capture.sh stop ID                          ends capture ID (tcpdump flushes and exits)
#
# ID is [a-z0-9-], checked by the caller and again here; NETNS "" is the root namespace.
# The FILTER arrives as one argument and reaches tcpdump as one argument: no shell ever
# parses it. tcpdump's pid is kept in /run/wireplan/capture/ID.pid so `stop` ends exactly
# this capture over a second connection: over SSH, a root login's channel ignores signals.
set -uo pipefail

dir=/run/wireplan/capture
mode=${1-}
id=${2-}
if [[ ! $id =~ ^[a-z0-9-]{1,64}$ ]]; then
  echo "wireplan-capture: bad capture id" >&2
  exit 2
fi
pidfile=$dir/$id.pid

if [[ $mode == stop ]]; then
  [[ -f $pidfile ]] || exit 0 # already ended
  pid=$(<"$pidfile")
  # Only our tcpdump: a pid file left by a killed run may name a pid reused since.
  if [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == tcpdump ]]; then
    kill -TERM "$pid" 2>/dev/null
  else
    rm -f "$pidfile"
  fi
  exit 0
fi

if [[ $mode != start || $# -lt 4 ]]; then
  echo "wireplan-capture: usage: capture.sh start ID NETNS IFACE [FILTER] | stop ID" >&2
  exit 2
fi
netns=$3
iface=$4
filter=${5-}

# Missing, or not a runnable program (a stub, a broken package): the same answer.
bin=$(command -v tcpdump || true)
if [[ -z $bin || ! -f $bin || ! -x $bin ]]; then
  echo "wireplan-capture: missing tcpdump: install it on the host (Debian/Ubuntu package: tcpdump)" >&2
  exit 3
fi
enter=()
if [[ -n $netns ]]; then
  if ! ip netns exec "$netns" true 2>/dev/null; then
    echo "wireplan-capture: no network namespace \"$netns\" on the host (is the design applied?)" >&2
    exit 4
  fi
  enter=(ip netns exec "$netns")
fi
if ! "${enter[@]}" ip link show dev "$iface" >/dev/null 2>&1; then
  echo "wireplan-capture: no interface \"$iface\"${netns:+ in namespace $netns} on the host (is the design applied?)" >&2
  exit 4
fi

mkdir -p "$dir"
# -U: write each packet as it arrives; --immediate-mode: no kernel batching delay, so the
# live list follows the wire. The stream goes to our stdout; tcpdump's notes to stderr.
args=(tcpdump -U --immediate-mode -w - -i "$iface")
[[ -n $filter ]] && args+=(-- "$filter")
"${enter[@]}" "${args[@]}" &
pid=$!
echo "$pid" >"$pidfile"
# The run's own end (a hang-up, a kill of this script) stops tcpdump too.
trap 'kill -TERM "$pid" 2>/dev/null' HUP INT TERM

# Over SSH: when the connection drops, sshd's session process ends but nothing signals us,
# and tcpdump would notice only when its next packet meets the closed pipe (never, on a
# quiet link). So find the nearest sshd ancestor (sshd, or sshd-session since OpenSSH 9.8)
# and stop tcpdump once it is gone. No sshd above us (the sandbox): nothing to watch.
session=
p=$PPID
for _ in 1 2 3 4 5 6 7 8; do
  [[ $p =~ ^[0-9]+$ && $p -gt 1 ]] || break
  comm=$(cat "/proc/$p/comm" 2>/dev/null) || break
  if [[ $comm == sshd* ]]; then
    session=$p
    break
  fi
  stat=$(cat "/proc/$p/stat" 2>/dev/null) || break
  stat=${stat##*) } # after the command name, which may hold spaces
  read -r _ p _ <<<"$stat"
done
if [[ -n $session ]]; then
  (
    while kill -0 "$pid" 2>/dev/null; do
      if ! kill -0 "$session" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        break
      fi
      sleep 1
    done
  ) </dev/null >/dev/null 2>&1 &
fi
rc=0
wait "$pid" || rc=$?
# A trapped signal interrupts wait: wait again for tcpdump's own exit.
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || rc=$?; done
rm -f "$pidfile"
# tcpdump exits 0 when stopped by SIGTERM; any other status is its failure (bad filter...).
exit "$rc"
