# sudo with a password (see sudo.ts): stdin starts with the password line (read by
# `sudo -S`, if it prompts at all) and a random boundary line. This discards everything
# up to the boundary, then runs the command with the rest of stdin untouched (bash's
# `read` takes one byte at a time from a pipe, so nothing past the boundary is lost).
#   sudo -k -S -p '' -- bash -c "$SUDO_BOUNDARY_SH" wireplan-sudo BOUNDARY COMMAND
while IFS= read -r l; do [ "$l" = "$1" ] && exec bash -c "$2"; done
exit 97
