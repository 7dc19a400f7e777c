#!/usr/bin/env bash
# The sandbox's holder (see sandbox-executor.ts): a tmpfs on /run so `ip netns add` keeps
# its files inside, a sysfs that shows the sandbox's own interfaces, then it blocks on
# stdin. As PID 1 of the sandbox it reaps orphans (bash does on SIGCHLD); when stdin
# closes because the app died, it exits and the kernel kills everything else in the sandbox.
set -e
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t sysfs sysfs /sys 2>/dev/null || true
ip link set lo up
echo ready
while read -r _; do :; done
