#!/usr/bin/env bash
# One measured run, inside a throwaway network + mount namespace (star.sh starts it with
# `unshare --net --mount --propagation private`): build the star with METHOD, check what the
# kernel has, tear it down and wait for the kernel to finish, print one result line.
#   sandbox.sh vsh|ip|batch N WORKDIR
set -u
method=$1 n=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
vsh=${VSH:-vsh}

mount -t tmpfs bench /run && mount -t sysfs sysfs /sys || { echo "error=sandbox"; exit 1; }
ip link set lo up

fail() { echo "error=$1"; exit 1; }

rm -f "$work"/rss.*
t0=$EPOCHREALTIME
case $method in
    vsh) /usr/bin/time -f %M -o "$work/rss.build" "$vsh" "$here/star.vnet" "$n" >"$work/out" 2>&1 ;;
    ip) bash "$here/star-ip.sh" "$n" >"$work/out" 2>&1 ;;
    batch) bash "$here/star-batch.sh" "$n" "$work" >"$work/out" 2>&1 ;;
esac || { head -c 2000 "$work/out" >&2; fail build; }
t1=$EPOCHREALTIME

# The network must be what the script says: N namespaces, N forwarding ports on br0,
# addresses in place, and h1 reaching hN (and one in the middle) through the bridge.
count=$(ip netns list | wc -l)
[ "$count" -eq "$n" ] || fail "namespaces=$count"
ports=$(bridge -j link | grep -o '"master":"br0"' | wc -l)
[ "$ports" -eq "$n" ] || fail "ports=$ports"
fwd=$(bridge -j link | grep -o '"state":"forwarding"' | wc -l)
[ "$fwd" -eq "$n" ] || fail "forwarding=$fwd"
addr() { echo "10.0.$(($1 / 256)).$(($1 % 256))"; }
for j in "$n" $(((n + 1) / 2)); do
    ip -n "h$j" -j addr show dev "e$j" | grep -q "\"local\":\"$(addr "$j")\"" || fail "address-h$j"
    ip netns exec h1 ping -c 1 -W 1 "$(addr "$j")" >/dev/null || fail "ping-h$j"
done

t2=$EPOCHREALTIME
case $method in
    vsh) /usr/bin/time -f %M -o "$work/rss.down" "$vsh" "$here/star-down.vnet" "$n" >"$work/out" 2>&1 ;;
    ip) bash "$here/star-ip-down.sh" "$n" >"$work/out" 2>&1 ;;
    batch) ip -batch "$work/down.batch" >"$work/out" 2>&1 ;;
esac || { head -c 2000 "$work/out" >&2; fail teardown; }
# The kernel destroys a namespace's devices asynchronously: done when only lo and br0 remain.
until [ "$(ls /sys/class/net | wc -l)" -le 2 ]; do sleep 0.005; done
t3=$EPOCHREALTIME
[ "$(ip netns list | wc -l)" -eq 0 ] || fail "namespaces-left"

rss=0
[ -f "$work/rss.build" ] && rss=$(cat "$work/rss.build" "$work/rss.down" | sort -n | tail -1)
echo "build=$(echo "$t1 - $t0" | bc) down=$(echo "$t3 - $t2" | bc) rss_kb=$rss"
