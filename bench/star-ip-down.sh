#!/usr/bin/env bash
# Tear down with one `ip netns del` per namespace.
set -e
for ((i = 1; i <= $1; i++)); do
    ip netns del h$i
done
