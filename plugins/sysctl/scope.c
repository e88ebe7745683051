/* SPDX-License-Identifier: MIT */
/*
 * Which namespace a sysctl belongs to.
 *
 * The kernel picks the value of a per-namespace sysctl from the namespaces
 * of the task that opens the file, whatever /proc mount the path goes
 * through:
 *   - net.*: the network namespace (net/sysctl_net.c, net_ctl_header_lookup()
 *     uses current->nsproxy->net_ns);
 *   - kernel.hostname, kernel.domainname: the UTS namespace
 *     (kernel/utsname_sysctl.c, get_uts() uses current->nsproxy->uts_ns);
 *   - the SysV IPC limits kernel.shm*, kernel.msg*, kernel.sem and the
 *     *_next_id knobs, and fs.mqueue.*: the IPC namespace (ipc/ipc_sysctl.c,
 *     ipc/mq_sysctl.c);
 *   - user.*: the user namespace (kernel/ucount.c, set_lookup() uses
 *     current_user_ns());
 *   - kernel.ns_last_pid: the pid namespace the reader runs in
 *     (kernel/pid_namespace.c, pid_ns_ctl_handler() uses
 *     task_active_pid_ns(current)).
 * Everything else is global: the same value from every namespace.
 *
 * Joining only the namespace a key needs keeps the caller's privileges for
 * everything else (after setns(2) into a child user namespace, a process
 * holds no capability over the host's knobs) and avoids the forked helper
 * that a user or pid namespace requires (setns(2) into a user namespace is
 * refused to a multi-threaded process; a pid namespace applies to children
 * only).
 */
#include <string.h>

#include "sysctl-internal.h"

struct scope_rule {
	const char *key;
	bool subtree; /* the rule covers key.* as well */
	uint32_t ns;
};

static const struct scope_rule rules[] = {
	{ "net", true, LINX_NS_NET },
	{ "kernel.hostname", false, LINX_NS_UTS },
	{ "kernel.domainname", false, LINX_NS_UTS },
	{ "kernel.shmmax", false, LINX_NS_IPC },
	{ "kernel.shmall", false, LINX_NS_IPC },
	{ "kernel.shmmni", false, LINX_NS_IPC },
	{ "kernel.shm_rmid_forced", false, LINX_NS_IPC },
	{ "kernel.shm_next_id", false, LINX_NS_IPC },
	{ "kernel.msgmax", false, LINX_NS_IPC },
	{ "kernel.msgmnb", false, LINX_NS_IPC },
	{ "kernel.msgmni", false, LINX_NS_IPC },
	{ "kernel.msg_next_id", false, LINX_NS_IPC },
	{ "kernel.auto_msgmni", false, LINX_NS_IPC },
	{ "kernel.sem", false, LINX_NS_IPC },
	{ "kernel.sem_next_id", false, LINX_NS_IPC },
	{ "fs.mqueue", true, LINX_NS_IPC },
	{ "user", true, LINX_NS_USER },
	{ "kernel.ns_last_pid", false, LINX_NS_PID },
};

/* Does `key` equal `base`, or lie below it? */
static bool within(const char *key, const char *base)
{
	size_t n = strlen(base);

	return strncmp(key, base, n) == 0 && (key[n] == '\0' || key[n] == '.');
}

uint32_t linx_sysctl_key_namespaces(const char *key)
{
	if (!linx_sysctl_key_valid(key))
		return 0;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].subtree ? within(key, rules[i].key)
				     : strcmp(key, rules[i].key) == 0)
			return rules[i].ns;
	}
	return 0;
}

/* Every namespace a walk of `prefix` (a valid dot-form key, or NULL for the
 * whole tree) may meet: the rules inside the subtree, and the rule the
 * subtree itself lies in. */
uint32_t sysctl_prefix_namespaces(const char *prefix)
{
	uint32_t ns = 0;

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!prefix || within(rules[i].key, prefix) ||
		    (rules[i].subtree && within(prefix, rules[i].key)))
			ns |= rules[i].ns;
	}
	return ns;
}
