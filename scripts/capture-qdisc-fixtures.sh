#!/usr/bin/env bash
# Capture real `tc qdisc show dev IF` output (text, as the runtime and the live poll read it)
# from THIS machine's kernel into tests/fixtures/observe/tc/, for shared/observe/tc-qdisc.ts.
# Everything happens inside a throwaway `unshare --net` sandbox (one veth pair); the shapes
# Wireplan makes with tbf (compile/impair.ts), a hand-made change of its rate, someone
# else's root qdiscs, the kernel's default, and an interface that does not exist. netem
# is not captured: kernels without sch_netem (this one) refuse it (see the test's note).
#
# Usage: scripts/capture-qdisc-fixtures.sh [OUTDIR]   (root)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../tests/fixtures/observe/tc}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [[ "${WP_CAPTURE_INSIDE:-}" != 1 ]]; then
  exec env WP_CAPTURE_INSIDE=1 unshare --net bash "${BASH_SOURCE[0]}" "$OUT"
fi
export LC_ALL=C
ip link add v0 type veth peer name v1
ip link set v0 up && ip link set v1 up
show() { tc qdisc show dev "$2" > "$OUT/$1.txt"; }
show default v0
tc qdisc replace dev v0 root handle 5770: tbf rate 1000kbit burst 16000 latency 50ms && show tbf-1mbit v0
tc qdisc change dev v0 root handle 5770: tbf rate 5mbit burst 16000 latency 50ms && show tbf-5mbit-by-hand v0
tc qdisc replace dev v0 root handle 5770: tbf rate 100000000kbit burst 125000000 latency 50ms && show tbf-100gbit v0
tc qdisc del dev v0 root && show deleted v0
tc qdisc replace dev v0 root handle 8001: tbf rate 2mbit burst 16000 latency 50ms && show foreign-tbf v0
tc qdisc del dev v0 root && tc qdisc add dev v0 root pfifo limit 100 && show foreign-pfifo v0
{ tc qdisc show dev nope > "$OUT/missing-device.txt" 2> "$OUT/missing-device.stderr"; echo "exit $?" >> "$OUT/missing-device.stderr"; } || :
{ printf 'kernel %s, %s\n' "$(uname -r)" "$(tc -V)"; tc qdisc add dev v1 root netem delay 10ms 2>&1 && echo "netem: available" || echo "netem: refused (above)"
  echo '*.handwritten.txt: written by hand (this kernel has no netem), in the format iproute2 6.1 q_netem.c'
  echo 'prints ("limit N delay D  J loss L%"; a child netem has "parent 5770:1" and no refcnt).'
} > "$OUT/MANIFEST.txt"
