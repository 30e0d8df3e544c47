#!/usr/bin/env bash
# Write the batch files for star-batch.sh (not timed: a hand-tuned script would ship them).
#   bench/star-batch-gen.sh N DIR
set -e
n=$1 dir=$2
mkdir -p "$dir"
{
    echo "link add br0 type bridge"
    echo "link set br0 up"
    for ((i = 1; i <= n; i++)); do echo "netns add h$i"; done
    for ((i = 1; i <= n; i++)); do
        echo "link add v$i type veth peer name e$i netns h$i"
        echo "link set v$i master br0 up"
    done
} >"$dir/root.batch"
for ((i = 1; i <= n; i++)); do
    printf 'addr add 10.0.%d.%d/16 dev e%d\nlink set e%d up\n' $((i / 256)) $((i % 256)) $i $i >"$dir/h$i.batch"
done
{
    for ((i = 1; i <= n; i++)); do echo "netns del h$i"; done
} >"$dir/down.batch"
