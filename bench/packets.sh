#!/usr/bin/env bash
# Packet benchmark: vsh's builtin ping vs iputils' ping (100 echoes, -i 0, between two
# namespaces), and a capture during a 1000-echo flood (must drop nothing). Everything runs
# inside `vsh --isolated`: the host is not touched. Usage: bench/packets.sh [PATH/TO/vsh]
set -euo pipefail
VSH=${1:-$(dirname "$0")/../target/release/vsh}
ROUNDS=${ROUNDS:-5}
out=$("$VSH" --isolated -c "
netns add b
netns a {
    veth va peer vb netns b
    addr add 10.9.0.1/24 dev va
    link set va up
    link set lo up
}
netns b {
    addr add 10.9.0.2/24 dev vb
    link set vb up
}
netns a {
    ping -q -c 3 -i 0.3 10.9.0.2
    for r in 1..$ROUNDS {
        exec date +vsh-start:%s.%N
        ping -q -c 100 -i 0 10.9.0.2
        exec date +vsh-end:%s.%N
        exec date +iputils-start:%s.%N
        exec ping -q -c 100 -i 0 10.9.0.2
        exec date +iputils-end:%s.%N
        exec date +empty-start:%s.%N
        exec true
        exec date +empty-end:%s.%N
    }
    capture va { ping -q -c 1000 -i 0 10.9.0.2 }
}
")
span() { # mean of END-START over the rounds, in ms
    paste <(grep "^$1-start:" <<<"$out" | cut -d: -f2) <(grep "^$1-end:" <<<"$out" | cut -d: -f2) |
        awk '{ s += ($2 - $1) * 1000; n++ } END { printf "%.2f", s / n }'
}
echo "100 echoes, -i 0, namespace a -> b, mean of $ROUNDS rounds (wall clock, ms):"
echo "  vsh builtin ping:            $(span vsh)"
echo "  iputils ping (via exec):     $(span iputils)"
echo "  of which exec overhead (true): $(span empty)"
echo "capture during a 1000-echo flood:"
grep -E "packets (transmitted|captured|received by filter|dropped by kernel)" <<<"$out" | tail -4 | sed 's/^/  /'
