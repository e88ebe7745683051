/* SPDX-License-Identifier: MIT */
/*
 * How long a written value may be before the kernel cuts it short.
 *
 * Two kinds of silent truncation exist in the sysctl handlers (measured on
 * Linux 6.18, kernel/sysctl.c):
 *
 *  - The integer handlers (__do_proc_dointvec(), __do_proc_doulongvec_minmax()
 *    and the proc_do_large_bitmap() ranges) look at no more than
 *    PAGE_SIZE - 1 bytes of a write and report the whole write as consumed:
 *    "1" followed by 4094 spaces and "7" sets the knob to 1 and drops the 7.
 *    Hence the generic limit of one page minus one byte for every key.
 *
 *  - proc_dostring() stores at most maxlen - 1 bytes, stops at a newline or
 *    NUL, and still reports every byte as written: a 65-byte
 *    kernel.hostname becomes its first 64 bytes (__NEW_UTS_LEN), and
 *    "<address>XYZ" written to net.ipv6.conf.*.stable_secret is accepted as
 *    the address alone.  maxlen is not visible from user space (the file
 *    shows the current value, not its room), so the string knobs and their
 *    buffer sizes are listed below, each with the kernel constant it comes
 *    from.  A string knob missing from this table is protected only by the
 *    generic limit; add it here.
 *
 * Integer knobs holding fewer values than written are the third case, but
 * there the kernel does say so (write(2) returns fewer bytes than given);
 * io.c reports that, and checks lists against the knob's current length
 * before writing.
 */
#include <string.h>
#include <unistd.h>

#include "sysctl-internal.h"

struct string_knob {
	const char *key; /* '*' stands for exactly one component */
	size_t max;	 /* bytes kept: the handler's maxlen - 1 */
};

static const struct string_knob string_knobs[] = {
	/* __NEW_UTS_LEN, include/uapi/linux/utsname.h */
	{ "kernel.hostname", 64 },
	{ "kernel.domainname", 64 },
	/* CORENAME_MAX_SIZE 128, include/linux/binfmts.h */
	{ "kernel.core_pattern", 127 },
	/* KMOD_PATH_LEN 256, include/linux/kmod.h */
	{ "kernel.modprobe", 255 },
	/* POWEROFF_CMD_PATH_LEN 256, include/linux/reboot.h */
	{ "kernel.poweroff_cmd", 255 },
	/* UEVENT_HELPER_PATH_LEN 256, include/linux/kobject.h */
	{ "kernel.hotplug", 255 },
	/* DEVKMSG_STR_MAX_SIZE 10, include/linux/printk.h */
	{ "kernel.printk_devkmsg", 9 },
	/* sizeof(seccomp_actions_avail), kernel/seccomp.c: the names of every
	 * action, space-separated (kernel.seccomp.actions_avail, 62 bytes) */
	{ "kernel.seccomp.actions_logged", 62 },
	/* IFNAMSIZ 16, set_default_qdisc() in net/core/sysctl_net_core.c */
	{ "net.core.default_qdisc", 15 },
	/* TCP_CA_NAME_MAX 16 and TCP_CA_BUF_MAX (16 * TCP_CA_MAX),
	 * include/net/tcp.h */
	{ "net.ipv4.tcp_congestion_control", 15 },
	{ "net.ipv4.tcp_allowed_congestion_control", 2047 },
	/* proc_tcp_fastopen_key(), net/ipv4/sysctl_net_ipv4.c: two keys of
	 * 2 * TCP_FASTOPEN_KEY_LENGTH hex digits plus separators, maxlen 74 */
	{ "net.ipv4.tcp_fastopen_key", 73 },
	/* STABLE_SECRET_LEN, net/ipv6/addrconf.c: the longest IPv6 text
	 * address plus NUL */
	{ "net.ipv6.conf.*.stable_secret", 39 },
	/* MPTCP_PM_NAME_MAX and MPTCP_SCHED_NAME_MAX 16, net/mptcp */
	{ "net.mptcp.path_manager", 15 },
	{ "net.mptcp.scheduler", 15 },
	/* NFLOGGER_NAME_LEN 64, include/net/netfilter/nf_log.h */
	{ "net.netfilter.nf_log.*", 63 },
};

/* Match a dot-form key against a pattern where '*' is one component. */
static bool key_matches(const char *pattern, const char *key)
{
	while (*pattern && *key) {
		if (*pattern == '*') {
			pattern++;
			while (*key && *key != '.')
				key++;
			continue;
		}
		if (*pattern != *key)
			return false;
		pattern++;
		key++;
	}
	return *pattern == '\0' && *key == '\0';
}

size_t linx_sysctl_value_max(const char *key)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t max = page > 0 ? (size_t)page - 1 : 4095;

	if (!key)
		return max;
	for (size_t i = 0; i < sizeof(string_knobs) / sizeof(string_knobs[0]);
	     i++) {
		if (key_matches(string_knobs[i].key, key))
			return string_knobs[i].max < max ? string_knobs[i].max
							 : max;
	}
	return max;
}
