# The check's TCP listener in python3, where perl lacks IO::Socket::IP (see probe.sh and
# perl-listener.pl: same arguments, same output).   argv: address port id
import os, socket, sys
addr, port, lid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(64)
except OSError as e:
    print('fail', e.strerror, flush=True); sys.exit(3)
print('ready', flush=True); os.close(1)
while True:
    c, a = s.accept(); p = a[0]
    if p.startswith('::ffff:'): p = p[7:]
    try: c.sendall(('wpchk %s %s\n' % (lid, p)).encode())
    except OSError: pass
    c.close()
