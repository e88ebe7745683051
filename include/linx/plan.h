/* SPDX-License-Identifier: MIT */
/*
 * linx/plan.h - what a workload gets at the checkpoint, as one value.
 *
 * A plan says how a parked workload is set up before it runs: its identity
 * (uid/gid maps), its cgroup and limits, its hostname and sysctls, its
 * network, its capabilities and its syscall filter.  linx_process_setup()
 * applies a plan to a session parked at READY, always in the same order
 * and with the same errors whoever calls it - `linx spawn`, a C program or
 * a binding - and undoes what it did if a step fails.  The agent runs the
 * steps; a binding that drives the agent itself sends the `setup` request
 * with the plan.
 *
 * ---- the plan ----------------------------------------------------------
 *
 * A map (nil or an empty map: nothing to do).  Every key is optional:
 *
 *   "uid_map"  [[inside, outside, count], ...]   user.setup_maps
 *   "gid_map"  the same; defaults to uid_map
 *   "cgroup"   {"path": P,                       cgroup.create (if absent)
 *               "memory_max": N | "max",         cgroup.set_memory_max
 *               "pids_max": N | "max",           cgroup.set_pids_max
 *               "cpu_max": {"quota": N | "max", "period": N}}
 *                                               then cgroup.add_process
 *   "hostname" "name"                            sysctl kernel.hostname
 *   "sysctls"  {"net.ipv4.ip_forward": "1", ...} (string or integer
 *                                               values), sysctl.write in
 *                                               the workload's namespaces
 *   "network"  {"links": ["ct0", ...],           moved in from the caller's
 *                                               network namespace
 *               "addresses": [{"dev": D, "address": "10.0.0.5/24"}, ...],
 *               "gateway": "10.0.0.1"}           a default route
 *   "nft"      {"tables": [...]}                 an nf_tables ruleset
 *                                               (docs/nft/schema.md):
 *                                               nft.open + nft.push in
 *                                               the workload's netns
 *                                               (needs "net"); the socket,
 *                                               owner of its owner tables,
 *                                               is kept for the session
 *   "rootfs"   {"path": DIR, "proc": bool, "dev": bool,
 *               "binds": [{"source", "target", "readonly"?}],
 *               "tmpfs": [{"target", "size"?}],
 *               "mounts": [{"target", "source"?, "fstype"?, "flags"?,
 *                           "data"?}],
 *               "readonly": bool}            mount.rootfs in the child
 *                                               (linx/mount.h): its own
 *                                               root, needs "mount"
 *   "caps"     {"keep": [names]} or {"drop": [names]}
 *                                               caps.drop_bounding in the
 *                                               child (keep: every other
 *                                               capability is dropped)
 *   "seccomp"  {"allow": [syscalls]} or
 *              {"deny": [syscalls], "deny_action": A}
 *                                               seccomp.allow_list or
 *                                               deny_list, then
 *                                               seccomp.install in the child
 *                                               (an allow list always lets
 *                                               execve through)
 *
 * The steps run in that order, except that rootfs is the last of the
 * child-side ones: the child loads plugins from the host's filesystem,
 * which it leaves when it pivots (capabilities dropped from the bounding
 * set stay effective until execve, so the mounts are still allowed).  A
 * child-side verb called after setup must come from a plugin the child
 * already has (linx_agent_options.preload).  Host-side ones are verbs the agent calls
 * in its own process; child-side ones are calls into the parked child.
 * Capability and syscall names are those the caps and seccomp plugins
 * take (caps with or without their "cap_" prefix, in any case).
 *
 * ---- errors ------------------------------------------------------------
 *
 * A malformed plan fails with EINVAL, op "plan", param naming the plan key
 * ("network", "caps", ...) and object naming the element where one is at
 * fault, before anything is done.  Setup adds the checks that need the
 * system: a kept capability the kernel does not know (EINVAL, message
 * ending "(bad_capability)"), and a sysctl whose namespace the workload
 * would share with the caller (EPERM, param "namespaces", object the
 * namespace to add - "net" - so the write would not change the caller's
 * system), or that no namespace owns (EPERM, param "sysctls").  A verb's
 * own failure keeps the verb's error, its message prefixed with the verb's
 * name ("cgroup.create: ...").
 */
#ifndef LINX_PLAN_H
#define LINX_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/process.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/*
 * Check the shape of `plan` (see above) without touching the system, for
 * a session created with LINX_NS_* `namespaces` (spawn) or by entering
 * another process (`enter`: its namespaces are joined, so the
 * network-namespace rule does not apply).  0 or -EINVAL.
 */
LINX_API int linx_plan_check(const struct linx_value *plan,
			     uint32_t namespaces, bool enter,
			     struct linx_error *err);

/*
 * Apply `plan` to `proc`, parked at READY (-EAGAIN "not_ready" before,
 * -EBUSY once proceed was sent or a setup was made, -ESRCH once
 * terminal).  The agent runs it (the `setup` request of
 * docs/process/protocol.md), with its own registry for the host-side
 * verbs, so a C program, `linx spawn` and a binding get the same steps
 * and the same errors.
 *
 * On success the workload is still parked: call linx_process_proceed().
 * A malformed plan (linx_plan_check) is refused with nothing done and the
 * workload still parked.  Any other failure ends the session with that
 * error (its terminal event is ERROR with the same error) and leaves
 * nothing of the plan behind: a cgroup the plan created is removed by the
 * agent once the workload is gone - when the session ends, or if a
 * process that escaped the workload keeps it busy, when the agent exits
 * and every process it adopted is gone.
 */
LINX_API int linx_process_setup(struct linx_process *proc,
				const struct linx_value *plan,
				struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_PLAN_H */
