#!/usr/bin/env bash
# How fast vsh reads a long script: `vsh --check` (parse and static checks, nothing run) of a
# LINES-line script, the star of star.vnet written out statement by statement. Best of RUNS.
#   bench/parse.sh [LINES]       (default 100000; RUNS=5)
#   VSH=path/to/vsh              (default: the release build, target/release/vsh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
vsh=${VSH:-${CARGO_TARGET_DIR:-$root/target}/release/vsh}
lines=${1:-100000}
runs=${RUNS:-5}
[ -x "$vsh" ] || { echo "no vsh at $vsh: cargo build --release" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
script=$work/long.vnet
awk -v lines="$lines" 'BEGIN {
    print "link add br0 type bridge"; print "link set br0 up"; n = 2
    for (i = 1; n + 9 <= lines; i++) {
        printf "netns add h%d\nlink add v%d type veth peer name e%d\nlink set e%d netns h%d\n", i, i, i, i, i
        printf "link set v%d master br0\nlink set v%d up\nnetns h%d {\n", i, i, i
        printf "    addr add 10.%d.%d.%d/8 dev e%d\n    link set e%d up\n}\n", int(i / 65536), int(i / 256) % 256, i % 256, i, i
        n += 9
    }
    for (; n < lines; n++) print "link set br0 up"
}' >"$script"

best= rss=0
for ((r = 1; r <= runs; r++)); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$vsh" --check "$script" || { echo "vsh --check failed" >&2; exit 1; }
    read -r t kb <"$work/time"
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
done
echo "machine: $(nproc) cores, best of $runs runs"
printf '%-8s %-9s %8s %8s\n' lines bytes check_s rss_MB
printf '%-8s %-9s %8s %8s\n' "$(wc -l <"$script")" "$(wc -c <"$script")" "$best" "$(echo "scale=1; $rss / 1024" | bc)"
