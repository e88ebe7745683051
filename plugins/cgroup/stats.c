/* SPDX-License-Identifier: MIT */
/*
 * A curated snapshot of a cgroup's counters (the spec's Linx.Cgroup.Stats).
 *
 * Sources, from cgroup-v2.rst: cpu.stat (usage_usec, user_usec and
 * system_usec exist on every cgroup; nr_throttled and throttled_usec only
 * with the cpu controller), memory.current and memory.peak (memory
 * controller; memory.peak since Linux 5.19), pids.current (pids
 * controller).  A source that is missing, unreadable or malformed leaves
 * its fields out instead of failing the whole snapshot: the counters that
 * are there are still worth having.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-internal.h"

static const struct {
	const char *key;
	uint32_t bit;
	size_t offset;
} cpu_keys[] = {
	{ "usage_usec", LINX_CGROUP_STAT_CPU_USEC,
	  offsetof(struct linx_cgroup_stats, cpu_usec) },
	{ "user_usec", LINX_CGROUP_STAT_CPU_USER_USEC,
	  offsetof(struct linx_cgroup_stats, cpu_user_usec) },
	{ "system_usec", LINX_CGROUP_STAT_CPU_SYSTEM_USEC,
	  offsetof(struct linx_cgroup_stats, cpu_system_usec) },
	{ "nr_throttled", LINX_CGROUP_STAT_CPU_NR_THROTTLED,
	  offsetof(struct linx_cgroup_stats, cpu_nr_throttled) },
	{ "throttled_usec", LINX_CGROUP_STAT_CPU_THROTTLED_USEC,
	  offsetof(struct linx_cgroup_stats, cpu_throttled_usec) },
};

static uint64_t *field(struct linx_cgroup_stats *stats, size_t offset)
{
	return (uint64_t *)(void *)((char *)stats + offset);
}

static void cpu_stat_line(const char *key, size_t key_len, const char *value,
			  size_t value_len, void *arg)
{
	struct linx_cgroup_stats *stats = arg;

	for (size_t i = 0; i < sizeof(cpu_keys) / sizeof(cpu_keys[0]); i++) {
		uint64_t v;

		if (strlen(cpu_keys[i].key) != key_len ||
		    memcmp(cpu_keys[i].key, key, key_len) != 0)
			continue;
		if (cg_parse_u64(value, value_len, &v)) {
			*field(stats, cpu_keys[i].offset) = v;
			stats->present |= cpu_keys[i].bit;
		} else {
			*field(stats, cpu_keys[i].offset) = 0;
			stats->present &= ~cpu_keys[i].bit;
		}
		return;
	}
}

void cg_parse_cpu_stat(const char *buf, size_t len,
		       struct linx_cgroup_stats *stats)
{
	cg_parse_flat_keyed(buf, len, cpu_stat_line, stats);
}

/* Read a single-number file into one field, or leave it out.  Only
 * running out of memory is worth failing the snapshot for. */
static int read_single(int dfd, const char *file, uint32_t bit,
		       uint64_t *out, struct linx_cgroup_stats *stats)
{
	char *buf;
	size_t len;
	int r;

	r = cg_read_at(dfd, file, &buf, &len);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (cg_parse_single_u64(buf, len, out))
		stats->present |= bit;
	else
		*out = 0;
	free(buf);
	return 0;
}

int linx_cgroup_stats(const char *path, struct linx_cgroup_stats *ret,
		      struct linx_error *err)
{
	struct linx_cgroup_stats s;
	char *buf;
	size_t len;
	int dfd, r;

	if (!ret)
		return cg_refuse(err, "ret", path, "no output given");
	dfd = cg_dir_open(path, NULL, "stats", err);
	if (dfd < 0)
		return dfd;
	memset(&s, 0, sizeof(s));
	r = cg_read_at(dfd, "cpu.stat", &buf, &len);
	if (r == 0) {
		cg_parse_cpu_stat(buf, len, &s);
		free(buf);
	}
	if (r != -ENOMEM)
		r = read_single(dfd, "memory.current",
				LINX_CGROUP_STAT_MEMORY_CURRENT,
				&s.memory_current, &s);
	if (r >= 0)
		r = read_single(dfd, "memory.peak",
				LINX_CGROUP_STAT_MEMORY_PEAK, &s.memory_peak,
				&s);
	if (r >= 0)
		r = read_single(dfd, "pids.current",
				LINX_CGROUP_STAT_PIDS_CURRENT, &s.pids_current,
				&s);
	close(dfd);
	if (r < 0)
		return cg_fail(err, -r, "stats", path,
			       "out of memory reading the counters of %s",
			       path);
	*ret = s;
	return 0;
}
