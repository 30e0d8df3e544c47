#!/usr/bin/env bash
# All-pairs reachability over the star of bench/matrix.vnet (N hosts): vsh's ping block
# (N*N checks: `ping { for i in 1..N { for j in 1..N { hI -> ADDR } } }`) against the seed's
# way, one `ip netns exec hI ping -c 1 -W 1 ADDR` process per check. Each N in a throwaway
# network + mount namespace. The seed's way runs every check up to SAMPLE checks, else an
# even sample of SAMPLE of them, and its total is extrapolated from the sample (printed as
# such). Needs root.
#   bench/matrix.sh [N...]         (default 30 100 300; SAMPLE=2000)
#   VSH=path/to/vsh                (default: the release build, target/release/vsh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export VSH=${VSH:-${CARGO_TARGET_DIR:-$root/target}/release/vsh}
export SAMPLE=${SAMPLE:-2000}

# One N inside the sandbox: matrix.sh --one N
if [ "${1:-}" = --one ]; then
    n=$2
    mount -t tmpfs bench /run && mount -t sysfs sysfs /sys || { echo "error=sandbox"; exit 1; }
    ip link set lo up
    work=$(mktemp -d -p /run)
    "$VSH" "$here/matrix.vnet" "$n" >"$work/out" 2>&1 || { head -c 2000 "$work/out" >&2; echo "error=build"; exit 1; }
    addr() { echo "10.0.$(($1 / 256)).$(($1 % 256))"; }
    block="ping { for i in 1..$n { for j in 1..$n { h\$i -> 10.0.\${j / 256}.\${j % 256} } } }"
    t0=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$work/rss" "$VSH" -c "$block" >"$work/block" 2>&1 || { tail -c 2000 "$work/block" >&2; echo "error=vsh-block"; exit 1; }
    t1=$EPOCHREALTIME
    total=$((n * n))
    grep -q "^$total checks, $total held, 0 failed" "$work/block" || { tail -3 "$work/block" >&2; echo "error=vsh-report"; exit 1; }
    # The seed: one process per check, every k-th pair.
    step=$(( total > SAMPLE ? (total + SAMPLE - 1) / SAMPLE : 1 ))
    done=0 failed=0
    t2=$EPOCHREALTIME
    for ((c = 0; c < total; c += step)); do
        i=$((c / n + 1)) j=$((c % n + 1))
        ip netns exec "h$i" ping -c 1 -W 1 "$(addr "$j")" >/dev/null 2>&1 || failed=$((failed + 1))
        done=$((done + 1))
    done
    t3=$EPOCHREALTIME
    [ "$failed" -eq 0 ] || { echo "error=seed-failed-$failed"; exit 1; }
    echo "checks=$total vsh_s=$(echo "$t1 - $t0" | bc) rss_kb=$(cat "$work/rss") seed_checks=$done seed_s=$(echo "$t3 - $t2" | bc)"
    exit 0
fi

sizes=${*:-30 100 300}
[ -x "$VSH" ] || { echo "no vsh at $VSH: cargo build --release" >&2; exit 2; }
echo "machine: $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %7s %8s %8s %11s %12s %14s %9s\n' N checks vsh_s vsh_MB ms/check seed_ms/check seed_total_s seed/vsh
for n in $sizes; do
    line=$(unshare --net --mount --propagation private bash "$0" --one "$n")
    case $line in
        checks=*) ;;
        *) echo "N=$n failed: $line" >&2; exit 1 ;;
    esac
    eval "$line"
    per_vsh=$(echo "scale=4; $vsh_s * 1000 / $checks" | bc)
    per_seed=$(echo "scale=3; $seed_s * 1000 / $seed_checks" | bc)
    seed_total=$(echo "scale=1; $seed_s * $checks / $seed_checks" | bc)
    mark=""
    [ "$seed_checks" -lt "$checks" ] && mark="*"
    printf "%-5s %7s %8.3f %8.1f %11.4f %12.3f %13s%1s %9.0f\n" "$n" "$checks" "$vsh_s" \
        "$(echo "scale=1; $rss_kb / 1024" | bc)" "$per_vsh" "$per_seed" "$seed_total" "$mark" \
        "$(echo "$seed_total / $vsh_s" | bc -l)"
done
echo "* extrapolated from an even sample of $SAMPLE checks"
