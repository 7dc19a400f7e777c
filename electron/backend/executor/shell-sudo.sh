# A shell under sudo with a password (see ssh-shell.ts). The pty's echo is already off
# (the command line turned it off before sudo read the password from the pty), so neither
# the password nor the boundary line is shown. This discards input up to the random
# boundary line (in case sudo did not prompt after all, the password line must never reach
# the shell), turns echo back on, prints the marker after which Wireplan shows output,
# and becomes the shell.
#   sudo -k -S -p '' -- bash -c "$SHELL_SUDO_SH" wireplan-shell BOUNDARY MARKER ARGV...
boundary=$1
marker=$2
shift 2
while IFS= read -r l; do
  if [ "$l" = "$boundary" ]; then
    stty echo
    printf '%s\n' "$marker"
    exec "$@"
  fi
done
exit 97
