/* SPDX-License-Identifier: MIT */
/*
 * The cgroup plugin's verbs: thin adapters from verb arguments to the
 * typed calls in linx/cgroup.h, and from their results to values.  The
 * core has already checked each argument's type against the schemas
 * below; what a type cannot say ("max" is the only string a limit takes,
 * a pid fits pid_t) is checked here, as EINVAL naming the parameter.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"

/* enable_controllers takes at most this many names (the kernel has about
 * fifteen controllers); it bounds the per-name error array. */
#define CG_VERB_CONTROLLERS_MAX 64

#define PATH_PARAM(doc) { "path", LINX_TM_STRING, LINX_PARAM_REQUIRED, doc }
#define CG_PATH_DOC "absolute path of the cgroup directory (on cgroup2)"

static const char *arg_str(const struct linx_call *call, unsigned i)
{
	const struct linx_value *v = linx_call_arg(call, i);

	return v ? v->str : NULL;
}

/* A limit argument: a non-negative integer, or the string "max"
 * (LINX_CGROUP_MAX). */
static int arg_limit(const struct linx_call *call, unsigned i,
		     uint64_t *ret, struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, i);
	const char *name = call->verb->params[i].name;

	if (v->type == LINX_STRING) {
		if (strcmp(v->str, "max") == 0) {
			*ret = LINX_CGROUP_MAX;
			return 0;
		}
		return cg_refuse(err, name, call->verb->name,
				 "%s: parameter \"%s\" must be a non-negative "
				 "integer or \"max\", not \"%.32s\"",
				 call->verb->name, name, v->str);
	}
	/* UINT64_MAX is LINX_CGROUP_MAX, i.e. "max", as in the C API. */
	if (!linx_value_get_u64(v, ret))
		return cg_refuse(err, name, call->verb->name,
				 "%s: parameter \"%s\" must not be negative",
				 call->verb->name, name);
	return 0;
}

/* ---- cgroup.create / cgroup.destroy -------------------------------------- */

static const struct linx_param path_only_params[] = {
	PATH_PARAM(CG_PATH_DOC),
};

static int verb_create(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	const struct linx_value *path = linx_call_arg(call, 0);
	int r = linx_cgroup_create(path->str, err);

	if (r < 0)
		return r;
	r = linx_value_string(ret, path->str, path->len);
	if (r < 0)
		return cg_fail(err, -r, "create", path->str,
			       "cannot return the path");
	return 0;
}

static int verb_destroy(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	(void)ret;
	return linx_cgroup_destroy(arg_str(call, 0), err);
}

/* ---- cgroup.add_process -------------------------------------------------- */

enum { ADD_PATH, ADD_PID };

static const struct linx_param add_process_params[] = {
	[ADD_PATH] = PATH_PARAM(CG_PATH_DOC),
	[ADD_PID] = { "pid", LINX_TM_UINT, LINX_PARAM_REQUIRED,
		      "process to move (its whole thread group)" },
};

static int verb_add_process(const struct linx_call *call,
			    struct linx_value *ret, struct linx_error *err)
{
	uint64_t pid = 0;

	(void)ret;
	linx_value_get_u64(linx_call_arg(call, ADD_PID), &pid);
	/* pid_t is int: anything larger is no process. */
	if (pid == 0 || pid > INT32_MAX)
		return cg_refuse(err, "pid", call->verb->name,
				 "%s: parameter \"pid\" must be between 1 and "
				 "%d, not %" PRIu64,
				 call->verb->name, INT32_MAX, pid);
	return linx_cgroup_add_process(arg_str(call, ADD_PATH), (pid_t)pid,
				       err);
}

/* ---- cgroup.enable_controllers ------------------------------------------- */

enum { EN_PATH, EN_CONTROLLERS };

static const struct linx_param enable_params[] = {
	[EN_PATH] = PATH_PARAM(CG_PATH_DOC),
	[EN_CONTROLLERS] = { "controllers", LINX_TM_LIST, LINX_PARAM_REQUIRED,
			     "controller names to enable for the children, "
			     "e.g. [\"memory\", \"pids\"]" },
};

/* One failure as the map the bindings expect. */
static int push_failure(struct linx_value *list, const char *controller,
			const struct linx_error *e)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "controller", controller);
	linx_map_put_int(&m, "code", e->code);
	linx_map_put_cstring(&m, "errno", linx_errno_name(e->code));
	linx_map_put_cstring(&m, "op", e->op);
	linx_map_put_cstring(&m, "path", e->object);
	linx_map_put_cstring(&m, "message", e->message);
	return linx_list_push(list, &m);
}

static int verb_enable_controllers(const struct linx_call *call,
				   struct linx_value *ret,
				   struct linx_error *err)
{
	const struct linx_value *list = linx_call_arg(call, EN_CONTROLLERS);
	const char **names = NULL;
	struct linx_error *failures = NULL;
	int r;

	if (list->len > CG_VERB_CONTROLLERS_MAX)
		return cg_refuse(err, "controllers", call->verb->name,
				 "%s: at most %d controllers per call, not %u",
				 call->verb->name, CG_VERB_CONTROLLERS_MAX,
				 list->len);
	for (uint32_t i = 0; i < list->len; i++)
		if (list->items[i].type != LINX_STRING)
			return cg_refuse(err, "controllers", call->verb->name,
					 "%s: element %u of \"controllers\" "
					 "is a %s, expected a string",
					 call->verb->name, i,
					 linx_type_name(list->items[i].type));
	*ret = linx_value_list();
	if (list->len == 0)
		return linx_cgroup_enable_controllers(arg_str(call, EN_PATH),
						      NULL, 0, NULL, err);
	names = calloc(list->len, sizeof(*names));
	failures = calloc(list->len, sizeof(*failures));
	if (!names || !failures) {
		r = cg_fail(err, ENOMEM, "write", arg_str(call, EN_PATH),
			    "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < list->len; i++)
		names[i] = list->items[i].str;
	r = linx_cgroup_enable_controllers(arg_str(call, EN_PATH), names,
					   list->len, failures, err);
	if (r <= 0)
		goto out;
	for (uint32_t i = 0; i < list->len; i++)
		if (failures[i].code != 0)
			push_failure(ret, names[i], &failures[i]);
	r = linx_value_status(ret);
	if (r < 0)
		cg_fail(err, -r, "write", arg_str(call, EN_PATH),
			"cannot build the list of failures");
out:
	free(names);
	free(failures);
	return r;
}

/* ---- limits -------------------------------------------------------------- */

enum { MEM_PATH, MEM_BYTES };

static const struct linx_param memory_max_params[] = {
	[MEM_PATH] = PATH_PARAM(CG_PATH_DOC),
	[MEM_BYTES] = { "bytes", LINX_TM_UINT | LINX_TM_STRING,
			LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
			"limit in bytes (rounded down to pages), or \"max\"" },
};

static int verb_set_memory_max(const struct linx_call *call,
			       struct linx_value *ret, struct linx_error *err)
{
	uint64_t bytes;
	int r;

	(void)ret;
	r = arg_limit(call, MEM_BYTES, &bytes, err);
	if (r < 0)
		return r;
	return linx_cgroup_set_memory_max(arg_str(call, MEM_PATH), bytes, err);
}

enum { PIDS_PATH, PIDS_MAX };

static const struct linx_param pids_max_params[] = {
	[PIDS_PATH] = PATH_PARAM(CG_PATH_DOC),
	[PIDS_MAX] = { "max", LINX_TM_UINT | LINX_TM_STRING,
		       LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
		       "most processes the cgroup may hold, or \"max\"" },
};

static int verb_set_pids_max(const struct linx_call *call,
			     struct linx_value *ret, struct linx_error *err)
{
	uint64_t max;
	int r;

	(void)ret;
	r = arg_limit(call, PIDS_MAX, &max, err);
	if (r < 0)
		return r;
	return linx_cgroup_set_pids_max(arg_str(call, PIDS_PATH), max, err);
}

enum { CPU_PATH, CPU_QUOTA, CPU_PERIOD };

static const struct linx_param cpu_max_params[] = {
	[CPU_PATH] = PATH_PARAM(CG_PATH_DOC),
	[CPU_QUOTA] = { "quota", LINX_TM_UINT | LINX_TM_STRING,
			LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
			"CPU time per period in microseconds (1000 .. 2^44-1), "
			"or \"max\"" },
	[CPU_PERIOD] = { "period", LINX_TM_UINT, LINX_PARAM_NONNEG,
			 "period in microseconds (1000 .. 1000000, default "
			 "100000)" },
};

static int verb_set_cpu_max(const struct linx_call *call,
			    struct linx_value *ret, struct linx_error *err)
{
	const struct linx_value *pv = linx_call_arg(call, CPU_PERIOD);
	uint64_t quota, period = LINX_CGROUP_CPU_PERIOD_DEFAULT_US;
	int r;

	(void)ret;
	r = arg_limit(call, CPU_QUOTA, &quota, err);
	if (r < 0)
		return r;
	if (pv) {
		linx_value_get_u64(pv, &period);
		/* 0 means "default" in the C API; a verb caller who writes
		 * 0 made a mistake. */
		if (period == 0)
			return cg_refuse(err, "period", call->verb->name,
					 "%s: parameter \"period\" must be "
					 "between %u and %u",
					 call->verb->name,
					 LINX_CGROUP_CPU_PERIOD_MIN_US,
					 LINX_CGROUP_CPU_PERIOD_MAX_US);
	}
	return linx_cgroup_set_cpu_max(arg_str(call, CPU_PATH), quota, period,
				       err);
}

/* ---- freeze / thaw ------------------------------------------------------- */

enum { FRZ_PATH, FRZ_TIMEOUT };

static const struct linx_param freeze_params[] = {
	[FRZ_PATH] = PATH_PARAM(CG_PATH_DOC),
	[FRZ_TIMEOUT] = { "timeout_ms", LINX_TM_UINT, LINX_PARAM_NONNEG,
			  "how long to wait for cgroup.events to confirm "
			  "(default 5000; 0: do not wait)" },
};

static int arg_timeout(const struct linx_call *call, uint32_t *ret,
		       struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, FRZ_TIMEOUT);
	uint64_t ms = LINX_CGROUP_FREEZE_TIMEOUT_DEFAULT_MS;

	if (v)
		linx_value_get_u64(v, &ms);
	if (ms > UINT32_MAX)
		return cg_refuse(err, "timeout_ms", call->verb->name,
				 "%s: parameter \"timeout_ms\" must be at "
				 "most %" PRIu32,
				 call->verb->name, UINT32_MAX);
	*ret = (uint32_t)ms;
	return 0;
}

static int verb_freeze(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	uint32_t ms;
	int r;

	(void)ret;
	r = arg_timeout(call, &ms, err);
	if (r < 0)
		return r;
	return linx_cgroup_freeze(arg_str(call, FRZ_PATH), ms, err);
}

static int verb_thaw(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	uint32_t ms;
	int r;

	(void)ret;
	r = arg_timeout(call, &ms, err);
	if (r < 0)
		return r;
	return linx_cgroup_thaw(arg_str(call, FRZ_PATH), ms, err);
}

/* ---- read / write -------------------------------------------------------- */

enum { RD_PATH, RD_FILE };

static const struct linx_param read_params[] = {
	[RD_PATH] = PATH_PARAM(CG_PATH_DOC),
	[RD_FILE] = { "file", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		      "interface file name, e.g. \"memory.current\"" },
};

static int verb_read(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	const char *path = arg_str(call, RD_PATH);
	const char *file = arg_str(call, RD_FILE);
	char *text, object[512];
	size_t len;
	int r;

	r = linx_cgroup_read(path, file, &text, &len, err);
	if (r < 0)
		return r;
	r = linx_value_string(ret, text, len);
	free(text);
	if (r < 0)
		return cg_fail(err, -r, "read",
			       cg_join(object, sizeof(object), path, file),
			       r == -EINVAL ? "the file is not valid UTF-8 "
					      "text (or contains NUL)"
					    : "cannot return the contents");
	return 0;
}

enum { WR_PATH, WR_FILE, WR_VALUE };

static const struct linx_param write_params[] = {
	[WR_PATH] = PATH_PARAM(CG_PATH_DOC),
	[WR_FILE] = { "file", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		      "interface file name, e.g. \"memory.high\"" },
	[WR_VALUE] = { "value", LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING,
		       LINX_PARAM_REQUIRED,
		       "value to write as is (an integer is written in "
		       "decimal)" },
};

static int verb_write(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, WR_VALUE);
	char num[32];
	const char *text = num;

	(void)ret;
	if (v->type == LINX_INT)
		snprintf(num, sizeof(num), "%" PRId64, v->i);
	else if (v->type == LINX_UINT)
		snprintf(num, sizeof(num), "%" PRIu64, v->u);
	else
		text = v->str;
	return linx_cgroup_write(arg_str(call, WR_PATH), arg_str(call, WR_FILE),
				 text, err);
}

/* ---- stats / supported --------------------------------------------------- */

static int put_stat(struct linx_value *map, const char *key,
		    const struct linx_cgroup_stats *s, uint32_t bit,
		    uint64_t value)
{
	if (s->present & bit)
		return linx_map_put_uint(map, key, value);
	return linx_map_put_nil(map, key);
}

static int verb_stats(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const char *path = arg_str(call, 0);
	struct linx_cgroup_stats s;
	int r;

	r = linx_cgroup_stats(path, &s, err);
	if (r < 0)
		return r;
	*ret = linx_value_map();
	put_stat(ret, "cpu_usec", &s, LINX_CGROUP_STAT_CPU_USEC, s.cpu_usec);
	put_stat(ret, "cpu_user_usec", &s, LINX_CGROUP_STAT_CPU_USER_USEC,
		 s.cpu_user_usec);
	put_stat(ret, "cpu_system_usec", &s, LINX_CGROUP_STAT_CPU_SYSTEM_USEC,
		 s.cpu_system_usec);
	put_stat(ret, "cpu_nr_throttled", &s,
		 LINX_CGROUP_STAT_CPU_NR_THROTTLED, s.cpu_nr_throttled);
	put_stat(ret, "cpu_throttled_usec", &s,
		 LINX_CGROUP_STAT_CPU_THROTTLED_USEC, s.cpu_throttled_usec);
	put_stat(ret, "memory_current", &s, LINX_CGROUP_STAT_MEMORY_CURRENT,
		 s.memory_current);
	put_stat(ret, "memory_peak", &s, LINX_CGROUP_STAT_MEMORY_PEAK,
		 s.memory_peak);
	put_stat(ret, "pids_current", &s, LINX_CGROUP_STAT_PIDS_CURRENT,
		 s.pids_current);
	r = linx_value_status(ret);
	if (r < 0)
		return cg_fail(err, -r, "stats", path,
			       "cannot build the result");
	return 0;
}

static int verb_supported(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_cgroup_supported());
	return 0;
}

/* ---- desired state ------------------------------------------------------ */

enum { REC_PATH, REC_DESIRED, REC_LAST, REC_REVERT };

static const struct linx_param reconcile_params[] = {
	[REC_PATH] = PATH_PARAM(CG_PATH_DOC),
	[REC_DESIRED] = LINX_RECONCILE_PARAM_DESIRED(
		"{file: int | \"max\" | string | [int]}"),
	[REC_LAST] = LINX_RECONCILE_PARAM_LAST_APPLIED,
	[REC_REVERT] = LINX_RECONCILE_PARAM_REVERT("file"),
};

static int verb_reconcile(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	return linx_cgroup_reconcile(arg_str(call, REC_PATH),
				     linx_call_arg(call, REC_DESIRED),
				     linx_call_arg(call, REC_LAST),
				     linx_reconcile_flags(
					     linx_call_arg(call, REC_REVERT)),
				     ret, err);
}

enum { DIFF_OBSERVED, DIFF_DESIRED, DIFF_LAST, DIFF_REVERT };

static const struct linx_param diff_params[] = {
	[DIFF_OBSERVED] = LINX_RECONCILE_PARAM_OBSERVED(
		"{file: string}, the files' current text"),
	[DIFF_DESIRED] = LINX_RECONCILE_PARAM_DESIRED(
		"{file: int | \"max\" | string | [int]}"),
	[DIFF_LAST] = LINX_RECONCILE_PARAM_LAST_APPLIED,
	[DIFF_REVERT] = LINX_RECONCILE_PARAM_REVERT_OPS,
};

static int verb_diff(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	return linx_cgroup_reconcile_diff(
		linx_call_arg(call, DIFF_OBSERVED),
		linx_call_arg(call, DIFF_DESIRED),
		linx_call_arg(call, DIFF_LAST),
		linx_reconcile_flags(linx_call_arg(call, DIFF_REVERT)), ret,
		err);
}

/* ---- the table ----------------------------------------------------------- */

static const struct linx_verb cgroup_verbs[] = {
	{
		.name = "cgroup.create",
		.summary = "Create a cgroup (mkdir; an existing one is fine)",
		LINX_PARAMS(path_only_params),
		.fn = verb_create,
		.result_doc = "string: the path, for chaining",
	},
	{
		.name = "cgroup.destroy",
		.summary = "Remove an empty cgroup (EBUSY while populated)",
		LINX_PARAMS(path_only_params),
		.fn = verb_destroy,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.add_process",
		.summary = "Move a process into a cgroup (cgroup.procs)",
		LINX_PARAMS(add_process_params),
		.fn = verb_add_process,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.enable_controllers",
		.summary = "Enable controllers for a cgroup's children, one "
			   "write each (cgroup.subtree_control)",
		LINX_PARAMS(enable_params),
		.fn = verb_enable_controllers,
		.result_doc = "list of refused controllers, each a map "
			      "{controller, code, errno, op, path, message}; "
			      "empty when all were accepted",
	},
	{
		.name = "cgroup.set_memory_max",
		.summary = "Set memory.max (bytes or \"max\")",
		LINX_PARAMS(memory_max_params),
		.fn = verb_set_memory_max,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.set_pids_max",
		.summary = "Set pids.max (count or \"max\")",
		LINX_PARAMS(pids_max_params),
		.fn = verb_set_pids_max,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.set_cpu_max",
		.summary = "Set cpu.max (quota per period in microseconds, or "
			   "\"max\")",
		LINX_PARAMS(cpu_max_params),
		.fn = verb_set_cpu_max,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.freeze",
		.summary = "Freeze a cgroup and wait until cgroup.events says "
			   "frozen",
		LINX_PARAMS(freeze_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_freeze,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.thaw",
		.summary = "Thaw a cgroup and wait until cgroup.events says "
			   "thawed",
		LINX_PARAMS(freeze_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_thaw,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.read",
		.summary = "Read an interface file (trimmed)",
		LINX_PARAMS(read_params),
		.fn = verb_read,
		.result_doc = "string: the contents without surrounding white "
			      "space",
	},
	{
		.name = "cgroup.write",
		.summary = "Write a value to an interface file as is",
		LINX_PARAMS(write_params),
		.fn = verb_write,
		.result_doc = "nil",
	},
	{
		.name = "cgroup.stats",
		.summary = "Read cpu, memory and pids counters",
		LINX_PARAMS(path_only_params),
		.fn = verb_stats,
		.result_doc = "map: cpu_usec, cpu_user_usec, cpu_system_usec, "
			      "cpu_nr_throttled, cpu_throttled_usec, "
			      "memory_current, memory_peak, pids_current "
			      "(nil when unavailable)",
	},
	{
		.name = "cgroup.supported",
		.summary = "Is cgroup v2 mounted at /sys/fs/cgroup?",
		.fn = verb_supported,
		.result_doc = "bool",
	},
	{
		.name = "cgroup.reconcile",
		.summary = "Converge a cgroup's limits on a desired state: one "
			   "best-effort pass",
		LINX_PARAMS(reconcile_params),
		/* several reads and writes; a memory.max write can wait on
		 * reclaim */
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_reconcile,
		.result_doc = "{converged, applied, failed, pending, "
			      "last_applied}",
	},
	{
		.name = "cgroup.diff",
		.summary = "The ops that would converge a cgroup's observed "
			   "files on a desired state (no I/O)",
		LINX_PARAMS(diff_params),
		.fn = verb_diff,
		.result_doc = "list of {op, key, value?}",
	},
};

LINX_PLUGIN_DEFINE(cgroup, "0.1.0",
		   "cgroup v2: create, limit, freeze and read cgroups",
		   NULL, NULL, cgroup_verbs);
