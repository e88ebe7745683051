/* SPDX-License-Identifier: MIT */
/*
 * Capability names, reading the five sets, and changing the calling
 * thread's (capabilities(7)).  The writes go through libcap.
 */
#include <linx/plugin.h> /* first: host-table routing in module builds */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include <linx/caps.h>

/* include/uapi/linux/capability.h, by number. */
static const char *const names[LINX_CAPS_KNOWN] = {
	"cap_chown",	      "cap_dac_override",   "cap_dac_read_search",
	"cap_fowner",	      "cap_fsetid",	    "cap_kill",
	"cap_setgid",	      "cap_setuid",	    "cap_setpcap",
	"cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
	"cap_net_admin",      "cap_net_raw",	    "cap_ipc_lock",
	"cap_ipc_owner",      "cap_sys_module",	    "cap_sys_rawio",
	"cap_sys_chroot",     "cap_sys_ptrace",	    "cap_sys_pacct",
	"cap_sys_admin",      "cap_sys_boot",	    "cap_sys_nice",
	"cap_sys_resource",   "cap_sys_time",	    "cap_sys_tty_config",
	"cap_mknod",	      "cap_lease",	    "cap_audit_write",
	"cap_audit_control",  "cap_setfcap",	    "cap_mac_override",
	"cap_mac_admin",      "cap_syslog",	    "cap_wake_alarm",
	"cap_block_suspend",  "cap_audit_read",	    "cap_perfmon",
	"cap_bpf",	      "cap_checkpoint_restore",
};

const char *linx_caps_name(unsigned bit)
{
	return bit < LINX_CAPS_KNOWN ? names[bit] : NULL;
}

int linx_caps_from_name(const char *name)
{
	char low[40];
	size_t n;

	if (!name)
		return -1;
	n = strlen(name);
	if (n == 0 || n >= sizeof(low) - 4)
		return -1;
	if (strncasecmp(name, "cap_", 4) == 0) {
		for (size_t i = 0; i <= n; i++)
			low[i] = (char)tolower((unsigned char)name[i]);
	} else {
		memcpy(low, "cap_", 4);
		for (size_t i = 0; i <= n; i++)
			low[4 + i] = (char)tolower((unsigned char)name[i]);
	}
	for (int b = 0; b < LINX_CAPS_KNOWN; b++)
		if (strcmp(names[b], low) == 0)
			return b;
	return -1;
}

uint64_t linx_caps_all(void)
{
	int max = cap_max_bits();

	if (max <= 0 || max > 64)
		max = LINX_CAPS_KNOWN;
	return max == 64 ? ~0ull : (1ull << max) - 1;
}

int linx_caps_parse(const char *list, uint64_t *ret, struct linx_error *err)
{
	uint64_t mask = 0;
	const char *p = list;

	if (!ret)
		return linx_error_param(err, "validate", "ret", "no output");
	while (p && *p) {
		char name[40];
		size_t n = strcspn(p, ",");
		int bit;

		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, "all") == 0) {
			mask |= linx_caps_all();
		} else if (n) {
			bit = linx_caps_from_name(name);
			if (bit < 0)
				return linx_error_param(err, "validate", "caps",
							"bad_capability: "
							"unknown capability "
							"\"%s\"",
							name);
			mask |= 1ull << bit;
		}
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	*ret = mask;
	return 0;
}

int linx_caps_read(pid_t pid, struct linx_caps_state *ret,
		   struct linx_error *err)
{
	static const char *const keys[5] = { "CapInh:", "CapPrm:", "CapEff:",
					     "CapBnd:", "CapAmb:" };
	uint64_t *slots[5];
	char path[64], line[256];
	unsigned found = 0;
	FILE *f;

	if (!ret)
		return linx_error_param(err, "read", "ret", "no output");
	if (pid < 0)
		return linx_error_param(err, "read", "pid",
					"pid must be positive");
	slots[0] = &ret->inheritable;
	slots[1] = &ret->permitted;
	slots[2] = &ret->effective;
	slots[3] = &ret->bounding;
	slots[4] = &ret->ambient;
	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/status");
	else
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		int e = errno;

		linx_error_set(err, e, "read", "open %s: %s", path,
			       linx_strerror(e));
		return linx_error_object(err, path);
	}
	memset(ret, 0, sizeof(*ret));
	while (fgets(line, sizeof(line), f)) {
		for (int i = 0; i < 5; i++) {
			size_t kl = strlen(keys[i]);
			unsigned long long v;

			if (strncmp(line, keys[i], kl) == 0 &&
			    sscanf(line + kl, "%llx", &v) == 1) {
				*slots[i] = v;
				found |= 1u << i;
			}
		}
	}
	fclose(f);
	if (found != 0x1f) {
		linx_error_set(err, EBADMSG, "read",
			       "bad_status: %s lacks a Cap line", path);
		return linx_error_object(err, path);
	}
	return 0;
}

int linx_caps_drop_bounding(uint64_t caps, struct linx_error *err)
{
	uint64_t known = linx_caps_all();

	for (unsigned b = 0; b < 64; b++) {
		if (!(caps & known & (1ull << b)))
			continue;
		/* PR_CAPBSET_DROP (prctl(2)) via libcap. */
		if (cap_drop_bound((cap_value_t)b) < 0)
			return linx_error_set(err, errno, "cap_drop_bounding",
					      "dropping %s from the bounding "
					      "set: %s",
					      linx_caps_name(b) ? linx_caps_name(b)
								: "?",
					      linx_strerror(errno));
	}
	return 0;
}

static int add_flags(cap_t c, cap_flag_t which, uint64_t mask)
{
	cap_value_t list[64];
	int n = 0;

	for (unsigned b = 0; b < 64; b++)
		if (mask & (1ull << b))
			list[n++] = (cap_value_t)b;
	return n ? cap_set_flag(c, which, n, list, CAP_SET) : 0;
}

int linx_caps_set_thread_sets(uint64_t effective, uint64_t permitted,
			      uint64_t inheritable, struct linx_error *err)
{
	uint64_t known = linx_caps_all();
	cap_t c = cap_init();
	int r, e;

	if (!c)
		return linx_error_set(err, ENOMEM, "cap_set_thread", NULL);
	r = add_flags(c, CAP_EFFECTIVE, effective & known);
	if (r == 0)
		r = add_flags(c, CAP_PERMITTED, permitted & known);
	if (r == 0)
		r = add_flags(c, CAP_INHERITABLE, inheritable & known);
	if (r == 0)
		r = cap_set_proc(c); /* capset(2) on this thread */
	e = errno;
	cap_free(c);
	if (r < 0)
		return linx_error_set(err, e, "cap_set_thread",
				      "capset(effective=%#llx, "
				      "permitted=%#llx, inheritable=%#llx): %s",
				      (unsigned long long)effective,
				      (unsigned long long)permitted,
				      (unsigned long long)inheritable,
				      linx_strerror(e));
	return 0;
}

int linx_caps_set_ambient(uint64_t caps, struct linx_error *err)
{
	uint64_t known = linx_caps_all();

	/* The kernel offers raise/lower per cap and clear-all, so "set to
	 * exactly" is clear, then raise (PR_CAP_AMBIENT in prctl(2)). */
	if (cap_reset_ambient() < 0)
		return linx_error_set(err, errno, "cap_set_ambient",
				      "clearing the ambient set: %s",
				      linx_strerror(errno));
	for (unsigned b = 0; b < 64; b++) {
		if (!(caps & known & (1ull << b)))
			continue;
		if (cap_set_ambient((cap_value_t)b, CAP_SET) < 0)
			return linx_error_set(err, errno, "cap_set_ambient",
					      "raising %s (it must be in the "
					      "permitted and inheritable "
					      "sets): %s",
					      linx_caps_name(b) ? linx_caps_name(b)
								: "?",
					      linx_strerror(errno));
	}
	return 0;
}

bool linx_caps_supported(void)
{
	struct linx_caps_state st;

	return linx_caps_read(0, &st, NULL) == 0;
}
