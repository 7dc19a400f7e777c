# A pty for a shell in the local sandbox (see sandbox-shell.ts). Node has no pty of its own
# and a native module (node-pty) would need building for Electron, so this small relay
# does it with Python's standard pty module (Debian: python3-minimal):
#   python3 -c "$PTY_RELAY_PY" COLS ROWS ARGV...
# fd 0 -> pty input, pty output -> fd 1, and fd 3 takes "COLS ROWS" lines (a resize: the
# kernel then sends SIGWINCH to the shell). The child gets the size before it starts.
# It exits with the shell's status (128+N for a signal) once the pty has hung up; EOF on
# fd 0 hangs the pty up (SIGHUP to the shell), which is how Wireplan closes a session.
import errno
import fcntl
import os
import pty
import select
import struct
import sys
import termios


def winsize(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()
    if pid == 0:
        winsize(0, cols, rows)
        try:
            os.execvp(argv[0], argv)
        except OSError as e:
            os.write(2, ("cannot start %s: %s\r\n" % (argv[0], e.strerror)).encode())
        os._exit(127)
    control = b""
    inputs = [0, 3, master]
    while master in inputs:
        ready, _, _ = select.select(inputs, [], [])
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                data = b""  # EIO: every process holding the pty has gone
            if not data:
                break
            os.write(1, data)
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                break  # Wireplan closed the session: hang up
            os.write(master, data)
        if 3 in ready:
            data = os.read(3, 4096)
            if not data:
                inputs.remove(3)
                continue
            control += data
            while b"\n" in control:
                line, control = control.split(b"\n", 1)
                c, r = line.split()
                winsize(master, int(c), int(r))
    os.close(master)  # the hang-up: the kernel sends SIGHUP to the shell's session
    _, status = os.waitpid(pid, 0)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


main()
