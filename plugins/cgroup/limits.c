/* SPDX-License-Identifier: MIT */
/*
 * The typed limit setters: memory.max, pids.max, cpu.max.
 *
 * Each renders the kernel's syntax ("max" for no limit, cgroup-v2.rst
 * "Interface Files" / "Controllers") and checks the value against what
 * the kernel would accept, so a bad value is refused as an argument error
 * naming the parameter instead of coming back as a bare EINVAL from a
 * write.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "cgroup-internal.h"

int linx_cgroup_set_memory_max(const char *path, uint64_t bytes,
			       struct linx_error *err)
{
	char buf[32];
	int len;

	/* mm/memcontrol.c memory_max_write(): any byte count is taken
	 * (page_counter_memparse() rounds it down to pages and caps it at
	 * PAGE_COUNTER_MAX), so there is no range to check. */
	if (bytes == LINX_CGROUP_MAX)
		len = snprintf(buf, sizeof(buf), "max");
	else
		len = snprintf(buf, sizeof(buf), "%" PRIu64, bytes);
	return cg_write_file(path, "memory.max", buf, (size_t)len, "write",
			     err);
}

int linx_cgroup_set_pids_max(const char *path, uint64_t max,
			     struct linx_error *err)
{
	char buf[32];
	int len;

	if (max == LINX_CGROUP_MAX) {
		len = snprintf(buf, sizeof(buf), "max");
	} else if (max > LINX_CGROUP_PIDS_MAX_LIMIT) {
		return cg_refuse(err, "max", path,
				 "pids.max must be at most %u (PID_MAX_LIMIT) "
				 "or \"max\", not %" PRIu64,
				 LINX_CGROUP_PIDS_MAX_LIMIT, max);
	} else {
		len = snprintf(buf, sizeof(buf), "%" PRIu64, max);
	}
	return cg_write_file(path, "pids.max", buf, (size_t)len, "write",
			     err);
}

int linx_cgroup_set_cpu_max(const char *path, uint64_t quota_us,
			    uint64_t period_us, struct linx_error *err)
{
	char buf[64];
	int len;

	if (period_us == 0)
		period_us = LINX_CGROUP_CPU_PERIOD_DEFAULT_US;
	/* tg_set_cfs_bandwidth() / tg_set_bandwidth() in
	 * kernel/sched/core.c: the period must lie in [1 ms, 1 s] even when
	 * the quota is "max"; a finite quota must be at least 1 ms and at
	 * most max_cfs_runtime. */
	if (period_us < LINX_CGROUP_CPU_PERIOD_MIN_US ||
	    period_us > LINX_CGROUP_CPU_PERIOD_MAX_US)
		return cg_refuse(err, "period", path,
				 "the cpu.max period must be between %u and "
				 "%u microseconds, not %" PRIu64,
				 LINX_CGROUP_CPU_PERIOD_MIN_US,
				 LINX_CGROUP_CPU_PERIOD_MAX_US, period_us);
	if (quota_us == LINX_CGROUP_MAX) {
		len = snprintf(buf, sizeof(buf), "max %" PRIu64, period_us);
	} else if (quota_us < LINX_CGROUP_CPU_QUOTA_MIN_US ||
		   quota_us > LINX_CGROUP_CPU_QUOTA_MAX_US) {
		return cg_refuse(err, "quota", path,
				 "the cpu.max quota must be between %u and "
				 "%" PRIu64 " microseconds or \"max\", not "
				 "%" PRIu64,
				 LINX_CGROUP_CPU_QUOTA_MIN_US,
				 (uint64_t)LINX_CGROUP_CPU_QUOTA_MAX_US,
				 quota_us);
	} else {
		len = snprintf(buf, sizeof(buf), "%" PRIu64 " %" PRIu64,
			       quota_us, period_us);
	}
	return cg_write_file(path, "cpu.max", buf, (size_t)len, "write", err);
}
