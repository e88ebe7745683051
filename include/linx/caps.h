/* SPDX-License-Identifier: MIT */
/*
 * linx/caps.h - Linux capabilities: read any process's five sets, shrink
 * a parked workload's.
 *
 * A set is a uint64_t bitmask indexed by capability number
 * (include/uapi/linux/capability.h: bit 12 is CAP_NET_ADMIN).  Names are
 * the lower-case constants, "cap_net_admin"; parsing also takes upper case
 * and the bare "net_admin".  An unknown name is an error (EINVAL, param
 * "caps", "bad_capability"), never silently ignored.
 *
 * Reading is host-side (/proc/<pid>/status, proc(5)).  Writing acts on the
 * calling thread (capset(2), prctl(2) PR_CAPBSET_DROP and PR_CAP_AMBIENT),
 * so for a workload it runs inside the child parked at the checkpoint:
 * the verbs caps.drop_bounding, caps.set_thread_sets and caps.set_ambient
 * are LINX_VERB_CHILD, and linx_caps_process_*() call them through a
 * session.  Kernel failures there end the session with the stage
 * "cap_drop_bounding", "cap_set_thread" or "cap_set_ambient".
 */
#ifndef LINX_CAPS_H
#define LINX_CAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>

LINX_BEGIN_DECLS

/* Capabilities this library has names for: 0 (chown) .. 40
 * (checkpoint_restore). */
#define LINX_CAPS_KNOWN 41

struct linx_caps_state {
	uint64_t effective;
	uint64_t permitted;
	uint64_t inheritable;
	uint64_t bounding;
	uint64_t ambient;
};

/* "cap_chown" ... for bit < LINX_CAPS_KNOWN, else NULL. */
const char *linx_caps_name(unsigned bit);

/* The bit for a name, or -1. */
int linx_caps_from_name(const char *name);

/* Parse a comma-separated list of names (or "all") into a mask. */
int linx_caps_parse(const char *list, uint64_t *ret, struct linx_error *err);

/* Every capability the running kernel knows (per libcap's cap_max_bits). */
uint64_t linx_caps_all(void);

/* Read /proc/<pid>/status (pid 0: the caller).  Errors: the errno of the
 * open (ENOENT for a gone pid), op "read", object the path; EBADMSG
 * ("bad_status") if a Cap line is missing. */
int linx_caps_read(pid_t pid, struct linx_caps_state *ret,
		   struct linx_error *err);

/* On the calling thread: drop `caps` from the bounding set (one-way).
 * Needs CAP_SETPCAP. */
int linx_caps_drop_bounding(uint64_t caps, struct linx_error *err);

/* On the calling thread: set E, P and I at once (capset(2)); the kernel
 * refuses E or I outside P, and raising P. */
int linx_caps_set_thread_sets(uint64_t effective, uint64_t permitted,
			      uint64_t inheritable, struct linx_error *err);

/* On the calling thread: make the ambient set exactly `caps` (each must be
 * in P and I). */
int linx_caps_set_ambient(uint64_t caps, struct linx_error *err);

/* True if /proc/self/status has a CapBnd line. */
bool linx_caps_supported(void);

/* ---- on a parked session (not available to plugin modules) ----------- */

struct linx_process;

/* caps == 0 (and the verb caps.drop_bounding with an empty list) is EINVAL
 * "empty_list", param "caps": dropping nothing is never a restriction.
 * For the sets, an empty list is the strictest value, "none". */
int linx_caps_process_drop_bounding(struct linx_process *proc, uint64_t caps,
				    struct linx_error *err);
int linx_caps_process_set_thread_sets(struct linx_process *proc,
				      uint64_t effective, uint64_t permitted,
				      uint64_t inheritable,
				      struct linx_error *err);
int linx_caps_process_set_ambient(struct linx_process *proc, uint64_t caps,
				  struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_CAPS_H */
