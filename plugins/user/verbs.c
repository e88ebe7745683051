/* SPDX-License-Identifier: MIT */
/*
 * The user plugin's verbs: thin adapters over linx/user.h.  Maps travel as
 * lists of {"inside", "outside", "length"} maps or [inside, outside,
 * length] triples.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linx/plugin.h>
#include <linx/user.h>

static int get_pid(const struct linx_value *v, bool self_ok, pid_t *ret,
		   struct linx_error *err)
{
	int64_t pid;

	if (self_ok && v && v->type == LINX_STRING && strcmp(v->str, "self") == 0) {
		*ret = 0;
		return 0;
	}
	if (!linx_value_get_i64(v, &pid) || pid <= 0 || pid > INT32_MAX)
		return linx_error_param(err, "validate", "pid",
					"pid must be a positive integer%s",
					self_ok ? " or \"self\"" : "");
	*ret = (pid_t)pid;
	return 0;
}

static bool get_u32(const struct linx_value *v, uint32_t *ret)
{
	uint64_t u;

	if (!linx_value_get_u64(v, &u) || u > UINT32_MAX)
		return false;
	*ret = (uint32_t)u;
	return true;
}

/* Parse a list of entries; *ret is malloc'd (free()). */
static int parse_maps(const struct linx_value *v, const char *param,
		      struct linx_user_map **ret, size_t *ret_n,
		      struct linx_error *err)
{
	struct linx_user_map *maps;

	if (!v || v->type != LINX_LIST || v->len == 0)
		return linx_error_param(err, "bad_map", param,
					"%s map is empty: give a list of "
					"{inside, outside, length}",
					param);
	if (v->len > LINX_USER_MAP_MAX)
		return linx_error_param(err, "bad_map", param,
					"%s map has %u entries: too_many (the "
					"kernel takes at most %d)",
					param, v->len, LINX_USER_MAP_MAX);
	maps = calloc(v->len, sizeof(*maps));
	if (!maps)
		return linx_error_set(err, ENOMEM, "bad_map", NULL);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *e = &v->items[i];
		bool ok;

		if (e->type == LINX_LIST && e->len == 3)
			ok = get_u32(&e->items[0], &maps[i].inside) &&
			     get_u32(&e->items[1], &maps[i].outside) &&
			     get_u32(&e->items[2], &maps[i].length);
		else if (e->type == LINX_MAP && e->len == 3)
			ok = get_u32(linx_map_get(e, "inside"), &maps[i].inside) &&
			     get_u32(linx_map_get(e, "outside"), &maps[i].outside) &&
			     get_u32(linx_map_get(e, "length"), &maps[i].length);
		else
			ok = false;
		if (!ok) {
			free(maps);
			return linx_error_param(err, "bad_map", param,
						"%s map entry %u is a bad_entry: "
						"expected {inside, outside, "
						"length} of non-negative "
						"32-bit integers",
						param, i);
		}
	}
	if (linx_user_map_validate(maps, v->len, param, err) < 0) {
		free(maps);
		return -EINVAL;
	}
	*ret = maps;
	*ret_n = v->len;
	return 0;
}

static struct linx_value maps_value(const struct linx_user_map *maps, size_t n)
{
	struct linx_value list = linx_value_list();

	for (size_t i = 0; i < n; i++) {
		struct linx_value m = linx_value_map();

		linx_map_put_uint(&m, "inside", maps[i].inside);
		linx_map_put_uint(&m, "outside", maps[i].outside);
		linx_map_put_uint(&m, "length", maps[i].length);
		linx_list_push(&list, &m);
	}
	return list;
}

/* ---- verbs -------------------------------------------------------------- */

enum { SET_PID, SET_MAPS };
static const struct linx_param set_params[] = {
	[SET_PID] = { "pid", LINX_TM_INT | LINX_TM_UINT, LINX_PARAM_REQUIRED,
		      "host pid of a process in the user namespace" },
	[SET_MAPS] = { "maps", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		       "list of {inside, outside, length}" },
};

static int set_map(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err, bool uid)
{
	struct linx_user_map *maps = NULL;
	size_t n = 0;
	pid_t pid;
	int r;

	(void)ret;
	r = get_pid(linx_call_arg(call, SET_PID), false, &pid, err);
	if (r >= 0)
		r = parse_maps(linx_call_arg(call, SET_MAPS), uid ? "uid" : "gid",
			       &maps, &n, err);
	if (r >= 0)
		r = uid ? linx_user_set_uid_map(pid, maps, n, err)
			: linx_user_set_gid_map(pid, maps, n, err);
	free(maps);
	return r;
}

static int set_uid_map(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	return set_map(call, ret, err, true);
}

static int set_gid_map(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	return set_map(call, ret, err, false);
}

static const struct linx_param pid_params[] = {
	{ "pid", LINX_TM_INT | LINX_TM_UINT, LINX_PARAM_REQUIRED,
	  "host pid of the process" },
};

static int deny_setgroups(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	pid_t pid;
	int r = get_pid(linx_call_arg(call, 0), false, &pid, err);

	(void)ret;
	return r < 0 ? r : linx_user_deny_setgroups(pid, err);
}

enum { SETUP_PID, SETUP_UID, SETUP_GID, SETUP_SETGROUPS };
static const struct linx_param setup_params[] = {
	[SETUP_PID] = { "pid", LINX_TM_INT | LINX_TM_UINT, LINX_PARAM_REQUIRED,
			"host pid of a process in the user namespace" },
	[SETUP_UID] = { "uid", LINX_TM_LIST, LINX_PARAM_REQUIRED,
			"uid map: list of {inside, outside, length}" },
	[SETUP_GID] = { "gid", LINX_TM_LIST, LINX_PARAM_REQUIRED,
			"gid map: list of {inside, outside, length}" },
	[SETUP_SETGROUPS] = { "setgroups", LINX_TM_STRING, 0,
			      "\"deny\" (default) or \"skip\"" },
};

static int setup_maps(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const struct linx_value *sg = linx_call_arg(call, SETUP_SETGROUPS);
	struct linx_user_map *uid = NULL, *gid = NULL;
	enum linx_user_setgroups mode = LINX_USER_SETGROUPS_DENY;
	size_t n_uid = 0, n_gid = 0;
	pid_t pid;
	int r;

	(void)ret;
	if (sg && strcmp(sg->str, "deny") != 0 && strcmp(sg->str, "skip") != 0)
		return linx_error_param(err, "bad_setgroups", "setgroups",
					"setgroups must be \"deny\" or "
					"\"skip\", not \"%s\"",
					sg->str);
	if (sg && strcmp(sg->str, "skip") == 0)
		mode = LINX_USER_SETGROUPS_SKIP;
	r = get_pid(linx_call_arg(call, SETUP_PID), false, &pid, err);
	if (r >= 0)
		r = parse_maps(linx_call_arg(call, SETUP_UID), "uid", &uid,
			       &n_uid, err);
	if (r >= 0)
		r = parse_maps(linx_call_arg(call, SETUP_GID), "gid", &gid,
			       &n_gid, err);
	if (r >= 0)
		r = linx_user_setup_maps(pid, uid, n_uid, gid, n_gid, mode, err);
	free(uid);
	free(gid);
	return r;
}

static const struct linx_param read_params[] = {
	{ "pid", LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING,
	  LINX_PARAM_REQUIRED, "pid, or \"self\"" },
};

static int read_map(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err, bool uid)
{
	struct linx_user_map *maps = NULL;
	size_t n = 0;
	pid_t pid;
	int r = get_pid(linx_call_arg(call, 0), true, &pid, err);

	if (r >= 0)
		r = uid ? linx_user_read_uid_map(pid, &maps, &n, err)
			: linx_user_read_gid_map(pid, &maps, &n, err);
	if (r >= 0)
		*ret = maps_value(maps, n);
	free(maps);
	return r;
}

static int read_uid_map(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	return read_map(call, ret, err, true);
}

static int read_gid_map(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	return read_map(call, ret, err, false);
}

static int supported(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_user_supported());
	return 0;
}

static const struct linx_verb verbs[] = {
	{ .name = "user.set_uid_map",
	  .summary = "Write a process's uid_map (write-once)",
	  LINX_PARAMS(set_params), .fn = set_uid_map },
	{ .name = "user.set_gid_map",
	  .summary = "Write a process's gid_map (write-once)",
	  LINX_PARAMS(set_params), .fn = set_gid_map },
	{ .name = "user.deny_setgroups",
	  .summary = "Write \"deny\" to a process's setgroups file",
	  LINX_PARAMS(pid_params), .fn = deny_setgroups },
	{ .name = "user.setup_maps",
	  .summary = "deny_setgroups, set_uid_map and set_gid_map in order",
	  LINX_PARAMS(setup_params), .fn = setup_maps },
	{ .name = "user.read_uid_map",
	  .summary = "Read a process's uid_map",
	  LINX_PARAMS(read_params), .fn = read_uid_map,
	  .result_doc = "list of {inside, outside, length}" },
	{ .name = "user.read_gid_map",
	  .summary = "Read a process's gid_map",
	  LINX_PARAMS(read_params), .fn = read_gid_map,
	  .result_doc = "list of {inside, outside, length}" },
	{ .name = "user.supported",
	  .summary = "Whether the kernel has user namespaces",
	  .fn = supported,
	  .result_doc = "bool" },
};

LINX_PLUGIN_DEFINE(user, "0.1.0", "user-namespace uid/gid maps and setgroups",
		   NULL, NULL, verbs);
