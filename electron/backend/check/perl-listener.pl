# The check's TCP listener (perl, see probe.sh): prints "ready" (or why not) once, closes
# stdout, then answers each connection with "wpchk <id> <peer>" and closes it. Bound to
# one address; ended by the `timeout` it runs under.   ARGV: address port id
use strict; use IO::Socket::IP;
my ($addr, $port, $id) = @ARGV;
$| = 1;
my $s = IO::Socket::IP->new(LocalHost => $addr, LocalPort => $port, Listen => 64, ReuseAddr => 1);
if (!$s) { print "fail $!\n"; exit 3; }
print "ready\n"; close STDOUT;
while (1) { my $c = $s->accept or next; my $p = $c->peerhost // "?"; $p =~ s/^::ffff://; print $c "wpchk $id $p\n"; close $c; }
