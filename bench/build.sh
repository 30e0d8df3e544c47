#!/usr/bin/env bash
# Bring-up with and without `build { }`: the star of bench/star-bridges.vnet (N hosts, one
# bridge per 1000) run as written ("plain") and wrapped in `build { }` ("build"), each in a
# throwaway network + mount namespace, best of RUNS runs. Prints the time vsh took, the time
# until the network is ready (every port forwarding, h1 reaching hN and one in the middle),
# and build/plain ratios. Needs root.
#   bench/build.sh [N...]          (default 100 1000 3000; RUNS=3)
#   VSH=path/to/vsh                (default: the release build, target/release/vsh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export VSH=${VSH:-${CARGO_TARGET_DIR:-$root/target}/release/vsh}

# One measured run inside the sandbox: build.sh --one plain|build N WORK
if [ "${1:-}" = --one ]; then
    method=$2 n=$3 work=$4
    mount -t tmpfs bench /run && mount -t sysfs sysfs /sys || { echo "error=sandbox"; exit 1; }
    ip link set lo up
    fail() { echo "error=$1"; exit 1; }
    script=$here/star-bridges.vnet
    [ "$method" = build ] && script=$work/star-build.vnet
    t0=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$work/rss" "$VSH" "$script" "$n" >"$work/out" 2>&1 || { head -c 2000 "$work/out" >&2; fail build; }
    t1=$EPOCHREALTIME
    bridges=$(((n + 999) / 1000))
    ports=$((n + 2 * (bridges - 1)))
    [ "$(ip netns list | wc -l)" -eq "$n" ] || fail namespaces
    [ "$(bridge -j link | grep -o '"master":"br[0-9]*"' | wc -l)" -eq "$ports" ] || fail ports
    # Ready: every port forwarding (the kernel applies carrier changes a moment later).
    for ((k = 0; k < 1000; k++)); do
        [ "$(bridge -j link | grep -o '"state":"forwarding"' | wc -l)" -eq "$ports" ] && break
        sleep 0.01
    done
    [ "$k" -lt 1000 ] || fail forwarding
    addr() { echo "10.0.$(($1 / 256)).$(($1 % 256))"; }
    for j in "$n" $(((n + 1) / 2)); do
        ip -n "h$j" -j addr show dev "e$j" | grep -q "\"local\":\"$(addr "$j")\"" || fail "address-h$j"
        ip netns exec h1 ping -c 1 -W 2 "$(addr "$j")" >/dev/null || fail "ping-h$j"
    done
    t2=$EPOCHREALTIME
    echo "vsh_s=$(echo "$t1 - $t0" | bc) ready_s=$(echo "$t2 - $t0" | bc) rss_kb=$(cat "$work/rss")"
    exit 0
fi

runs=${RUNS:-3}
sizes=${*:-100 1000 3000}
[ -x "$VSH" ] || { echo "no vsh at $VSH: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same script inside `build { }`: the `let` lines stay outside.
{ grep '^let ' "$here/star-bridges.vnet"; echo 'build {'; grep -v '^let \|^#' "$here/star-bridges.vnet"; echo '}'; } >"$work/star-build.vnet"

best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
ratio() { echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }

echo "machine: $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), best of $runs runs"
printf '%-6s %-6s %8s %9s %8s\n' N method vsh_s ready_s rss_MB
for n in $sizes; do
    declare -A vsh=() ready=() rss=()
    for m in plain build; do
        for ((r = 1; r <= runs; r++)); do
            line=$(unshare --net --mount --propagation private bash "$0" --one "$m" "$n" "$work")
            case $line in
                vsh_s=*) ;;
                *) echo "N=$n $m run $r failed: $line" >&2; exit 1 ;;
            esac
            eval "$line"
            vsh[$m]=$(best "${vsh[$m]:-}" "$vsh_s")
            ready[$m]=$(best "${ready[$m]:-}" "$ready_s")
            rss[$m]=$(( rss_kb > ${rss[$m]:-0} ? rss_kb : ${rss[$m]:-0} ))
        done
        printf '%-6s %-6s %8.3f %9.3f %8.1f\n' "$n" "$m" "${vsh[$m]}" "${ready[$m]}" "$(echo "scale=1; ${rss[$m]} / 1024" | bc)"
    done
    echo "N=$n build/plain: vsh $(ratio "${vsh[build]}" "${vsh[plain]}"), ready $(ratio "${ready[build]}" "${ready[plain]}")"
    unset vsh ready rss
done
