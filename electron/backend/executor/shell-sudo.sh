# A shell under sudo with a password (see ssh-shell.ts). The pty's echo is already off
# (the command line turned it off before sudo read the password from the pty), so neither
# the password nor the boundary line is shown. This asks for the random boundary line
# (WANT: only now, because sudo may flush pending terminal input when it sets up its own
# pty), discards input up to it (in case sudo did not prompt after all, the password line
# must never reach the shell), turns echo back on, prints the marker after which Wireplan
# shows output, and becomes the shell.
#   sudo -k -S -p '' -- bash -c "$SHELL_SUDO_SH" wireplan-shell WANT BOUNDARY MARKER ARGV...
want=$1
boundary=$2
marker=$3
shift 3
printf '%s\n' "$want"
while IFS= read -r l; do
  if [ "$l" = "$boundary" ]; then
    stty echo
    printf '%s\n' "$marker"
    exec "$@"
  fi
done
exit 97
