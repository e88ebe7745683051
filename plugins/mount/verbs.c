/* SPDX-License-Identifier: MIT */
/*
 * The verb table: adapters from values to the typed API (linx/mount.h).
 *
 *   mount.mount        {target, source?, fstype?, flags?, data?, create?,
 *                       root?, in?}                          -> nil
 *   mount.bind         {source, target, flags?, create?, root?, in?} -> nil
 *   mount.remount      {target, flags?, data?, in?}         -> nil
 *   mount.move         {source, target, root?, in?}         -> nil
 *   mount.propagation  {target, type, recursive?, in?}      -> nil
 *   mount.umount       {target, flags?, in?}                -> nil
 *   mount.pivot_root   {new_root, put_old?, in?}            -> nil
 *   mount.setattr      {target, set?, clear?, recursive?, in?} -> nil
 *   mount.bind_idmapped {source, target, userns, recursive?, create?,
 *                       root?, in?}                          -> nil
 *   mount.fsmount      {fstype, target, source?, data?, attrs?, create?,
 *                       root?, in?}                          -> nil
 *   mount.list         {pid?, path?}                        -> [entry]
 *   mount.flags        {}                                   -> [name]
 *   mount.rootfs       {path?, proc?, dev?, binds?, tmpfs?, mounts?,
 *                       readonly?}         (child-side) -> nil
 *
 * Flags are lists of names (linx_mount_flag); an unknown one is refused
 * with "bad_flag" naming it.  Every verb that mounts is BLOCKING (a mount
 * can wait on a slow filesystem or a network server).
 */
#include <errno.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>

#include "mount-internal.h"

#define IN_TYPES (LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING | LINX_TM_MAP)
#define IN_DOC                                                               \
	"mount namespace: \"self\" (default), a pid, an nsfs path, or "      \
	"{\"pid\": N} / {\"path\": P}"
#define FLAGS_DOC "list of flag names (\"ro\", \"nosuid\", \"rec\", ...)"

static const char *str_arg(const struct linx_call *call, unsigned i)
{
	const struct linx_value *v = linx_call_arg(call, i);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static bool bool_arg(const struct linx_call *call, unsigned i)
{
	const struct linx_value *v = linx_call_arg(call, i);

	return v && v->type == LINX_BOOL && v->b;
}

/* The options most verbs share, from their argument slots (~0u: the verb
 * has no such parameter). */
struct slots {
	unsigned flags, data, create, root, in;
};

static int opts_from(const struct linx_call *call, const struct slots *s,
		     struct linx_ns_target *in, struct linx_mount_opts *o,
		     struct linx_error *err)
{
	int r;

	memset(o, 0, sizeof(*o));
	if (s->flags != ~0u &&
	    (r = mount_flags_from_value(linx_call_arg(call, s->flags),
					"flags", &o->flags, err)) < 0)
		return r;
	if (s->data != ~0u)
		o->data = str_arg(call, s->data);
	if (s->create != ~0u)
		o->create = bool_arg(call, s->create);
	if (s->root != ~0u)
		o->root = str_arg(call, s->root);
	r = linx_ns_target_from_value(linx_call_arg(call, s->in), "in", in,
				      err);
	o->in = in;
	return r;
}

enum { M_TARGET, M_SOURCE, M_FSTYPE, M_FLAGS, M_DATA, M_CREATE, M_ROOT, M_IN };

static const struct linx_param mount_params[] = {
	[M_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "where to mount (absolute, or relative to root)" },
	[M_SOURCE] = { "source", LINX_TM_STRING | LINX_TM_NIL, 0,
		       "device or filesystem name (default: none)" },
	[M_FSTYPE] = { "fstype", LINX_TM_STRING | LINX_TM_NIL, 0,
		       "filesystem type (\"tmpfs\", \"proc\", ...)" },
	[M_FLAGS] = { "flags", LINX_TM_LIST | LINX_TM_NIL, 0, FLAGS_DOC },
	[M_DATA] = { "data", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "filesystem options (\"size=64m,mode=755\")" },
	[M_CREATE] = { "create", LINX_TM_BOOL, 0,
		       "create the target first (default false)" },
	[M_ROOT] = { "root", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "resolve the target beneath this directory" },
	[M_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_mount(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	static const struct slots s = { M_FLAGS, M_DATA, M_CREATE, M_ROOT,
					M_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r < 0)
		return r;
	return linx_mount(str_arg(call, M_SOURCE), str_arg(call, M_TARGET),
			  str_arg(call, M_FSTYPE), &o, err);
}

enum { B_SOURCE, B_TARGET, B_FLAGS, B_CREATE, B_ROOT, B_IN };

static const struct linx_param bind_params[] = {
	[B_SOURCE] = { "source", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "what to bind (absolute; symlinks followed)" },
	[B_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "where (no symlinks followed)" },
	[B_FLAGS] = { "flags", LINX_TM_LIST | LINX_TM_NIL, 0,
		      "rec, ro, nosuid, nodev, noexec, atime flags" },
	[B_CREATE] = { "create", LINX_TM_BOOL, 0,
		       "create the target first (default false)" },
	[B_ROOT] = { "root", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "resolve the target beneath this directory" },
	[B_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_bind(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	static const struct slots s = { B_FLAGS, ~0u, B_CREATE, B_ROOT, B_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r < 0)
		return r;
	return linx_mount_bind(str_arg(call, B_SOURCE),
			       str_arg(call, B_TARGET), &o, err);
}

enum { R_TARGET, R_FLAGS, R_DATA, R_IN };

static const struct linx_param remount_params[] = {
	[R_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "the mount to change" },
	[R_FLAGS] = { "flags", LINX_TM_LIST | LINX_TM_NIL, 0,
		      FLAGS_DOC "; add \"bind\" for a bind mount" },
	[R_DATA] = { "data", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "filesystem options" },
	[R_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_remount(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	static const struct slots s = { R_FLAGS, R_DATA, ~0u, ~0u, R_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r < 0)
		return r;
	return linx_mount_remount(str_arg(call, R_TARGET), &o, err);
}

enum { MV_SOURCE, MV_TARGET, MV_ROOT, MV_IN };

static const struct linx_param move_params[] = {
	[MV_SOURCE] = { "source", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"the mount point to move" },
	[MV_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"where it goes" },
	[MV_ROOT] = { "root", LINX_TM_STRING | LINX_TM_NIL, 0,
		      "resolve the target beneath this directory" },
	[MV_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_move(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	static const struct slots s = { ~0u, ~0u, ~0u, MV_ROOT, MV_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r < 0)
		return r;
	return linx_mount_move(str_arg(call, MV_SOURCE),
			       str_arg(call, MV_TARGET), &o, err);
}

enum { P_TARGET, P_TYPE, P_RECURSIVE, P_IN };

static const struct linx_param propagation_params[] = {
	[P_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "the mount" },
	[P_TYPE] = { "type", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		     "\"private\", \"shared\", \"slave\" or \"unbindable\"" },
	[P_RECURSIVE] = { "recursive", LINX_TM_BOOL, 0,
			  "the whole tree below too (default false)" },
	[P_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_propagation(const struct linx_call *call,
			    struct linx_value *ret, struct linx_error *err)
{
	const char *type = str_arg(call, P_TYPE);
	unsigned long f = linx_mount_flag(type);
	struct linx_ns_target in;
	int r;

	(void)ret;
	if (f != MS_PRIVATE && f != MS_SHARED && f != MS_SLAVE &&
	    f != MS_UNBINDABLE)
		return linx_error_param_object(err, EINVAL, "validate", "type",
					       type,
					       "propagation \"%s\" is not "
					       "private, shared, slave or "
					       "unbindable (bad_flag)", type);
	r = linx_ns_target_from_value(linx_call_arg(call, P_IN), "in", &in,
				      err);
	if (r < 0)
		return r;
	if (bool_arg(call, P_RECURSIVE))
		f |= MS_REC;
	return linx_mount_propagation(str_arg(call, P_TARGET), f, &in, err);
}

enum { U_TARGET, U_FLAGS, U_IN };

static const struct linx_param umount_params[] = {
	[U_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "the mount point" },
	[U_FLAGS] = { "flags", LINX_TM_LIST | LINX_TM_NIL, 0,
		      "\"force\", \"detach\", \"expire\", \"no_follow\"" },
	[U_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_umount(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	const struct linx_value *fl = linx_call_arg(call, U_FLAGS);
	struct linx_ns_target in;
	int flags = 0, r;

	(void)ret;
	for (uint32_t i = 0; fl && fl->type == LINX_LIST && i < fl->len; i++) {
		const struct linx_value *e = &fl->items[i];
		int f = e->type == LINX_STRING ? linx_mount_umount_flag(e->str)
					       : 0;

		if (!f)
			return linx_error_param_object(
				err, EINVAL, "validate", "flags",
				e->type == LINX_STRING ? e->str : NULL,
				"unknown umount flag (bad_flag)");
		flags |= f;
	}
	r = linx_ns_target_from_value(linx_call_arg(call, U_IN), "in", &in,
				      err);
	if (r < 0)
		return r;
	return linx_mount_umount(str_arg(call, U_TARGET), flags, &in, err);
}

enum { PV_NEW, PV_OLD, PV_IN };

static const struct linx_param pivot_params[] = {
	[PV_NEW] = { "new_root", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		     "a mount point, the new root" },
	[PV_OLD] = { "put_old", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "where the old root goes (default: stacked and "
		     "detached)" },
	[PV_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_pivot_root(const struct linx_call *call,
			   struct linx_value *ret, struct linx_error *err)
{
	struct linx_ns_target in;
	int r = linx_ns_target_from_value(linx_call_arg(call, PV_IN), "in",
					  &in, err);

	(void)ret;
	if (r < 0)
		return r;
	return linx_mount_pivot_root(str_arg(call, PV_NEW),
				     str_arg(call, PV_OLD), &in, err);
}

/* MOUNT_ATTR_* by name. */
static int attrs_from(const struct linx_value *v, const char *param,
		      uint64_t *ret, struct linx_error *err)
{
	static const struct {
		const char *name;
		uint64_t attr;
	} attrs[] = {
		{ "ro", MOUNT_ATTR_RDONLY },
		{ "nosuid", MOUNT_ATTR_NOSUID },
		{ "nodev", MOUNT_ATTR_NODEV },
		{ "noexec", MOUNT_ATTR_NOEXEC },
		{ "noatime", MOUNT_ATTR_NOATIME },
		{ "strictatime", MOUNT_ATTR_STRICTATIME },
		{ "nodiratime", MOUNT_ATTR_NODIRATIME },
		{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW },
	};

	*ret = 0;
	for (uint32_t i = 0; v && v->type == LINX_LIST && i < v->len; i++) {
		const struct linx_value *e = &v->items[i];
		size_t j = 0;

		while (j < ARRAY_SIZE(attrs) &&
		       !(e->type == LINX_STRING &&
			 strcmp(e->str, attrs[j].name) == 0))
			j++;
		if (j == ARRAY_SIZE(attrs))
			return linx_error_param_object(
				err, EINVAL, "validate", param,
				e->type == LINX_STRING ? e->str : NULL,
				"unknown mount attribute (bad_flag)");
		*ret |= attrs[j].attr;
	}
	return 0;
}

enum { SA_TARGET, SA_SET, SA_CLEAR, SA_RECURSIVE, SA_IN };

static const struct linx_param setattr_params[] = {
	[SA_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"the mount" },
	[SA_SET] = { "set", LINX_TM_LIST | LINX_TM_NIL, 0,
		     "attributes to set: ro, nosuid, nodev, noexec, noatime, "
		     "strictatime, nodiratime, nosymfollow" },
	[SA_CLEAR] = { "clear", LINX_TM_LIST | LINX_TM_NIL, 0,
		       "attributes to clear" },
	[SA_RECURSIVE] = { "recursive", LINX_TM_BOOL, 0,
			   "the whole tree, atomically (default false)" },
	[SA_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_setattr(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	struct linx_ns_target in;
	uint64_t set, clear;
	int r;

	(void)ret;
	if ((r = attrs_from(linx_call_arg(call, SA_SET), "set", &set, err)) <
		    0 ||
	    (r = attrs_from(linx_call_arg(call, SA_CLEAR), "clear", &clear,
			    err)) < 0 ||
	    (r = linx_ns_target_from_value(linx_call_arg(call, SA_IN), "in",
					   &in, err)) < 0)
		return r;
	return linx_mount_setattr(str_arg(call, SA_TARGET), set, clear,
				  bool_arg(call, SA_RECURSIVE), &in, err);
}

enum { I_SOURCE, I_TARGET, I_USERNS, I_RECURSIVE, I_CREATE, I_ROOT, I_IN };

static const struct linx_param idmapped_params[] = {
	[I_SOURCE] = { "source", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "the tree to bind" },
	[I_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		       "where" },
	[I_USERNS] = { "userns", IN_TYPES, LINX_PARAM_REQUIRED,
		       "the user namespace whose mapping applies: a pid or "
		       "an nsfs path" },
	[I_RECURSIVE] = { "recursive", LINX_TM_BOOL, 0,
			  "the whole tree (default false)" },
	[I_CREATE] = { "create", LINX_TM_BOOL, 0,
		       "create the target first (default false)" },
	[I_ROOT] = { "root", LINX_TM_STRING | LINX_TM_NIL, 0,
		     "resolve the target beneath this directory" },
	[I_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_bind_idmapped(const struct linx_call *call,
			      struct linx_value *ret, struct linx_error *err)
{
	static const struct slots s = { ~0u, ~0u, I_CREATE, I_ROOT, I_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in, userns;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r == 0)
		r = linx_ns_target_from_value(linx_call_arg(call, I_USERNS),
					      "userns", &userns, err);
	if (r < 0)
		return r;
	return linx_mount_bind_idmapped(str_arg(call, I_SOURCE),
					str_arg(call, I_TARGET), &userns,
					bool_arg(call, I_RECURSIVE), &o, err);
}

enum { FS_FSTYPE, FS_TARGET, FS_SOURCE, FS_DATA, FS_ATTRS, FS_CREATE,
       FS_ROOT, FS_IN };

static const struct linx_param fsmount_params[] = {
	[FS_FSTYPE] = { "fstype", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"filesystem type (\"tmpfs\", ...)" },
	[FS_TARGET] = { "target", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"where (no symlinks followed)" },
	[FS_SOURCE] = { "source", LINX_TM_STRING | LINX_TM_NIL, 0,
			"the source option, if the filesystem takes one" },
	[FS_DATA] = { "data", LINX_TM_STRING | LINX_TM_NIL, 0,
		      "options, each set on its own (\"size=64m,mode=755\")" },
	[FS_ATTRS] = { "attrs", LINX_TM_LIST | LINX_TM_NIL, 0,
		       "mount attributes: ro, nosuid, nodev, noexec, "
		       "noatime, strictatime, nodiratime, nosymfollow" },
	[FS_CREATE] = { "create", LINX_TM_BOOL, 0,
			"create the target first (default false)" },
	[FS_ROOT] = { "root", LINX_TM_STRING | LINX_TM_NIL, 0,
		      "resolve the target beneath this directory" },
	[FS_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_fsmount(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	static const struct slots s = { ~0u, ~0u, FS_CREATE, FS_ROOT, FS_IN };
	struct linx_mount_opts o;
	struct linx_ns_target in;
	uint64_t attrs;
	int r = opts_from(call, &s, &in, &o, err);

	(void)ret;
	if (r == 0)
		r = attrs_from(linx_call_arg(call, FS_ATTRS), "attrs", &attrs,
			       err);
	if (r < 0)
		return r;
	return linx_mount_fsmount(str_arg(call, FS_FSTYPE),
				  str_arg(call, FS_SOURCE),
				  str_arg(call, FS_DATA), attrs,
				  str_arg(call, FS_TARGET), &o, err);
}

enum { L_PID, L_PATH };

static const struct linx_param list_params[] = {
	[L_PID] = { "pid", LINX_TM_INT | LINX_TM_UINT, 0,
		    "whose mount table (default: the caller's)" },
	[L_PATH] = { "path", LINX_TM_STRING, 0,
		     "a mountinfo file to read instead" },
};

static int verb_list(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	const struct linx_value *pv = linx_call_arg(call, L_PID);
	struct linx_mount_entry *e;
	int64_t pid = 0;
	size_t n;
	int r;

	if (pv && (!linx_value_get_i64(pv, &pid) || pid <= 0 ||
		   pid > INT32_MAX))
		return linx_error_param(err, "validate", "pid",
					"pid must be a positive pid");
	r = linx_mount_list((pid_t)pid, str_arg(call, L_PATH), &e, &n, err);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		linx_mount_entry_value(&e[i], &v);
		linx_list_push(ret, &v);
	}
	linx_mount_entries_free(e, n);
	if (linx_value_status(ret) < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, ENOMEM, "list", NULL);
	}
	return 0;
}

static int verb_flags(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	static const char *const names[] = {
		"ro",	     "nosuid",	  "nodev",     "noexec",
		"sync",	     "remount",	  "mandlock",  "dirsync",
		"noatime",   "nodiratime", "bind",     "move",
		"rec",	     "silent",	  "private",   "shared",
		"slave",     "unbindable", "relatime", "strictatime",
		"lazytime",
	};

	(void)call;
	(void)err;
	*ret = linx_value_list();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		linx_list_push_cstring(ret, names[i]);
	return linx_value_status(ret);
}

enum { RF_PATH, RF_PROC, RF_DEV, RF_BINDS, RF_TMPFS, RF_MOUNTS, RF_RO };

static const struct linx_param rootfs_params[] = {
	[RF_PATH] = { "path", LINX_TM_STRING, 0,
		      "the new root (default: stay in the current one)" },
	[RF_PROC] = { "proc", LINX_TM_BOOL, 0, "mount /proc (default false)" },
	[RF_DEV] = { "dev", LINX_TM_BOOL, 0,
		     "a minimal /dev (default false)" },
	[RF_BINDS] = { "binds", LINX_TM_LIST, 0,
		       "[{source, target, readonly?}]: host paths bound in" },
	[RF_TMPFS] = { "tmpfs", LINX_TM_LIST, 0, "[{target, size?}]" },
	[RF_MOUNTS] = { "mounts", LINX_TM_LIST, 0,
			"[{target, source?, fstype?, flags?, data?}]" },
	[RF_RO] = { "readonly", LINX_TM_BOOL, 0,
		    "the root read-only at the end (default false)" },
};

static int verb_rootfs(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	static const char *const keys[] = { "path", "proc", "dev", "binds",
					    "tmpfs", "mounts", "readonly" };
	struct linx_value a = linx_value_map();
	int r;

	(void)ret;
	/* mount_rootfs reads a map: rebuild one from the checked
	 * arguments. */
	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct linx_value *v = linx_call_arg(call, i);
		struct linx_value copy;

		if (!v)
			continue;
		if (linx_value_copy(&copy, v) < 0 ||
		    linx_map_put(&a, keys[i], &copy) < 0) {
			linx_value_clear(&a);
			return linx_error_set(err, ENOMEM, "rootfs", NULL);
		}
	}
	r = mount_rootfs(&a, err);
	linx_value_clear(&a);
	return r;
}

static const struct linx_verb verbs[] = {
	{ .name = "mount.mount",
	  .summary = "Mount a filesystem (mount(2)), in any mount namespace",
	  LINX_PARAMS(mount_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_mount, .result_doc = "nil" },
	{ .name = "mount.bind",
	  .summary = "Bind a tree elsewhere; ro and friends by the follow-up "
		     "remount",
	  LINX_PARAMS(bind_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_bind, .result_doc = "nil" },
	{ .name = "mount.remount",
	  .summary = "Change the flags or options of a mount",
	  LINX_PARAMS(remount_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_remount, .result_doc = "nil" },
	{ .name = "mount.move",
	  .summary = "Move a mount to another place",
	  LINX_PARAMS(move_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_move, .result_doc = "nil" },
	{ .name = "mount.propagation",
	  .summary = "Make a mount private, shared, slave or unbindable",
	  LINX_PARAMS(propagation_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_propagation, .result_doc = "nil" },
	{ .name = "mount.umount",
	  .summary = "Unmount (umount2(2))",
	  LINX_PARAMS(umount_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_umount, .result_doc = "nil" },
	{ .name = "mount.pivot_root",
	  .summary = "Make a mount the root of its mount namespace",
	  LINX_PARAMS(pivot_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_pivot_root, .result_doc = "nil" },
	{ .name = "mount.setattr",
	  .summary = "Change mount attributes, recursively and atomically "
		     "(mount_setattr(2))",
	  LINX_PARAMS(setattr_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_setattr, .result_doc = "nil" },
	{ .name = "mount.bind_idmapped",
	  .summary = "Bind a tree with its ownership mapped through a user "
		     "namespace",
	  LINX_PARAMS(idmapped_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_bind_idmapped, .result_doc = "nil" },
	{ .name = "mount.fsmount",
	  .summary = "Mount a filesystem through fsopen/fsconfig/fsmount, "
		     "with the filesystem's own error messages",
	  LINX_PARAMS(fsmount_params), .flags = LINX_VERB_BLOCKING,
	  .fn = verb_fsmount, .result_doc = "nil" },
	{ .name = "mount.list",
	  .summary = "The mount table of a process, parsed",
	  LINX_PARAMS(list_params), .fn = verb_list,
	  .result_doc = "list of {mount_id, parent_id, device, root, "
			"mount_point, mount_options, propagation, fstype, "
			"source, super_options}" },
	{ .name = "mount.rootfs",
	  .summary = "Give the parked workload its own filesystem: proc, "
		     "/dev, binds, tmpfs, then pivot_root",
	  LINX_PARAMS(rootfs_params), .flags = LINX_VERB_CHILD,
	  .fn = verb_rootfs, .result_doc = "nil" },
	{ .name = "mount.flags",
	  .summary = "The mount flag names the verbs take",
	  .fn = verb_flags, .result_doc = "list of string" },
};

LINX_PLUGIN_DEFINE(mount, "0.1.0", "mounts in any mount namespace", NULL,
		   NULL, verbs);
