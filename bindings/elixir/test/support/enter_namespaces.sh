#!/bin/sh
# Runs `mix test` inside the fresh mount, network, UTS and IPC namespaces
# that mix/test_namespaces.exs created with unshare(1).  Mounts here are
# private (nothing propagates back to the machine).
set -eu

ip link set lo up 2>/dev/null || true
hostname linx-test

# A cgroup2 hierarchy at /sys/fs/cgroup: mounted there in this mount
# namespace only, hiding the machine's v1 tmpfs, unless cgroup2 is what is
# mounted there already (a v2-only system, the VM lane; mount(8) refuses a
# second identical mount).  The tests create their cgroups under a
# uniquely named child and remove them.
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] ||
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null; then
	LINX_TEST_CGROUP2=/sys/fs/cgroup
	export LINX_TEST_CGROUP2
fi

exec "$@"
