#!/usr/bin/env bash
# The performance harness: build and tear down a star of N namespaces (each with a veth whose
# other end is a port of bridge br0, an address, links up) with
#   vsh    bench/star.vnet, written the way the document teaches (make the pair, move one end)
#   ip     bench/star-ip.sh, the same steps as one `ip` process per step
#   batch  hand-tuned `ip -batch`: peers made in place, one `ip -n hI -batch` per namespace
# each run in a throwaway network + mount namespace (sandbox.sh), checked (namespaces, bridge
# ports forwarding, addresses, ping h1 -> hN), best of RUNS runs. Needs root.
#   bench/star.sh [N...]         (default 100 300 1000; RUNS=3, METHODS="vsh ip batch")
#   VSH=path/to/vsh              (default: the release build, target/release/vsh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export VSH=${VSH:-${CARGO_TARGET_DIR:-$root/target}/release/vsh}
runs=${RUNS:-3}
methods=${METHODS:-vsh ip batch}
sizes=${*:-100 300 1000}
[ -x "$VSH" ] || { echo "no vsh at $VSH: cargo build --release" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best OLD NEW: the smaller, for "best of RUNS".
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
ratio() { [ -n "$2" ] && echo "scale=2; $1 / $2" | bc | sed 's/^\./0./' || echo "-"; }

echo "machine: $(nproc) cores, kernel $(uname -r), $(ip -V | sed 's/.*\(iproute2-[^,]*\).*/\1/'), best of $runs runs"
printf '%-6s %-7s %9s %9s %8s %12s %11s\n' N method build_s down_s rss_MB build/batch down/batch
for n in $sizes; do
    bash "$here/star-batch-gen.sh" "$n" "$work"
    declare -A build=() down=() rss=()
    for m in $methods; do
        for ((r = 1; r <= runs; r++)); do
            line=$(unshare --net --mount --propagation private bash "$here/sandbox.sh" "$m" "$n" "$work")
            case $line in
                build=*) ;;
                *) echo "N=$n $m run $r failed: $line" >&2; exit 1 ;;
            esac
            eval "$line"
            build[$m]=$(best "${build[$m]:-}" "$build")
            down[$m]=$(best "${down[$m]:-}" "$down")
            rss[$m]=$(( rss_kb > ${rss[$m]:-0} ? rss_kb : ${rss[$m]:-0} ))
        done
    done
    for m in $methods; do
        mb=-
        [ "$m" = vsh ] && mb=$(echo "scale=1; ${rss[$m]} / 1024" | bc)
        printf '%-6s %-7s %9.3f %9.3f %8s %12s %11s\n' "$n" "$m" "${build[$m]}" "${down[$m]}" "$mb" \
            "$(ratio "${build[$m]}" "${build[batch]:-}")" "$(ratio "${down[$m]}" "${down[batch]:-}")"
    done
    unset build down rss
done
