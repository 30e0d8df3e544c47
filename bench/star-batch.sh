#!/usr/bin/env bash
# The star with hand-tuned `ip -batch`: every namespace in one batch, every veth created with
# its peer already inside its namespace, then one `ip -n hI -batch` per namespace.
#   bench/star-batch.sh N DIR   (DIR holds the batch files star-batch-gen.sh wrote)
set -e
n=$1 dir=$2
ip -batch "$dir/root.batch"
for ((i = 1; i <= n; i++)); do
    ip -n h$i -batch "$dir/h$i.batch"
done
