#!/bin/sh
# Runs `mix test` inside the fresh mount, network, UTS and IPC namespaces
# that mix/test_namespaces.exs created with unshare(1).  Mounts here are
# private (nothing propagates back to the machine).
set -eu

ip link set lo up 2>/dev/null || true
hostname linx-test

# A cgroup2 hierarchy of our own at /sys/fs/cgroup, hiding the machine's
# v1 tmpfs in this mount namespace only.  The tests create their cgroups
# under a uniquely named child and remove them.
if mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null; then
	LINX_TEST_CGROUP2=/sys/fs/cgroup
	export LINX_TEST_CGROUP2
fi

exec "$@"
