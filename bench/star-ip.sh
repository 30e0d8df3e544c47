#!/usr/bin/env bash
# The star as a bash script of `ip` commands, one process per step, same steps as star.vnet.
#   bench/star-ip.sh N
set -e
n=$1
ip link add br0 type bridge
ip link set br0 up
for ((i = 1; i <= n; i++)); do
    ip netns add h$i
    ip link add v$i type veth peer name e$i
    ip link set e$i netns h$i
    ip link set v$i master br0
    ip link set v$i up
    ip -n h$i addr add 10.0.$((i / 256)).$((i % 256))/16 dev e$i
    ip -n h$i link set e$i up
done
