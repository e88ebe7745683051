/* SPDX-License-Identifier: MIT */
/*
 * The verb table: thin adapters from the value model to the typed API.
 *
 *   sysctl.read      {key, in?}         -> string (bytes if not UTF-8)
 *   sysctl.read_int  {key, in?}         -> int (uint above INT64_MAX)
 *   sysctl.read_ints {key, in?}         -> [int]
 *   sysctl.write     {key, value, in?}  -> nil; value: int | string | [int]
 *   sysctl.list      {prefix?, in?}     -> [{"key", "value", "path"}]
 *   sysctl.supported {}                 -> bool
 *   sysctl.namespaces {key}             -> ["net"] | ["uts"] | ... | []
 *   sysctl.reconcile {desired, last_applied?, in?, revert_on_release?}
 *                                       -> report (linx/reconcile.h)
 *   sysctl.diff      {observed, desired, last_applied?, revert_on_release?}
 *                                       -> [op]
 *   sysctl.observe   {keys, in?}        -> {key: string}
 *
 * Every verb that touches a knob is LINX_VERB_BLOCKING.  Flags are static
 * and any of them may fork a helper (a key owned by a user or pid namespace
 * with a target in another one), and even in the caller's own namespaces a
 * write can wait on kernel locks for long (most net.* handlers take the
 * RTNL lock; vm.drop_caches and vm.compact_memory do real work).  The cost
 * for a front-end is a dirty-scheduler hop on a call of a few microseconds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysctl-internal.h"

#define IN_TYPES (LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING | LINX_TM_MAP)
#define IN_DOC                                                               \
	"namespace target: \"self\" (default), a pid, a namespace file "     \
	"path, or {\"pid\": N} / {\"path\": P}"

enum { KEY_KEY, KEY_IN };

static const struct linx_param key_params[] = {
	[KEY_KEY] = { "key", LINX_TM_STRING, LINX_PARAM_REQUIRED,
		      "sysctl key in dot form, e.g. net.ipv4.ip_forward" },
	[KEY_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

enum { WRITE_KEY, WRITE_VALUE, WRITE_IN };

static const struct linx_param write_params[] = {
	[WRITE_KEY] = { "key", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"sysctl key in dot form, e.g. net.ipv4.ip_forward" },
	[WRITE_VALUE] = { "value",
			  LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING |
				  LINX_TM_BYTES | LINX_TM_LIST,
			  LINX_PARAM_REQUIRED | LINX_PARAM_INT_LIST,
			  "an integer, a string (no newline), or a list of "
			  "integers written space-separated" },
	[WRITE_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

enum { LIST_PREFIX, LIST_IN };

static const struct linx_param list_params[] = {
	[LIST_PREFIX] = { "prefix", LINX_TM_STRING, 0,
			  "subtree or knob in dot form (default: all of "
			  "/proc/sys)" },
	[LIST_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

/* The key and target every knob verb starts from. */
static int knob_args(const struct linx_call *call, unsigned key_i,
		     unsigned in_i, struct sysctl_key *k,
		     struct linx_ns_target *t, struct linx_error *err)
{
	int r = sysctl_key_init(k, linx_call_arg(call, key_i)->str, "key", err);

	if (r < 0)
		return r;
	return linx_ns_target_from_value(linx_call_arg(call, in_i), "in", t,
					 err);
}

/* A string when the bytes allow it, else bytes. */
static int text_value(struct linx_value *ret, const char *s, size_t len)
{
	if (linx_utf8_valid(s, len))
		return linx_value_string(ret, s, len);
	return linx_value_bytes(ret, s, len);
}

static int out_of_memory(const struct sysctl_key *k, const char *op, int r,
			 struct linx_error *err)
{
	return sysctl_fail(err, r, op, k->path,
			   "sysctl %s: cannot build the result: %s", k->key,
			   linx_strerror(r));
}

static int verb_read(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	struct linx_ns_target t;
	struct sysctl_key k;
	char *value;
	size_t len;
	int r;

	r = knob_args(call, KEY_KEY, KEY_IN, &k, &t, err);
	if (r < 0)
		return r;
	r = sysctl_read_raw(&k, &t, &value, &len, err);
	if (r < 0)
		return r;
	r = text_value(ret, value, len);
	free(value);
	return r < 0 ? out_of_memory(&k, "read", r, err) : 0;
}

/* An int when it fits, a uint above INT64_MAX (kernel.shmmax). */
static struct linx_value number_value(const struct sysctl_number *n)
{
	int64_t i;

	if (sysctl_number_to_i64(n, &i))
		return linx_value_int(i);
	return linx_value_uint(n->magnitude);
}

static bool number_fits(const struct sysctl_number *n)
{
	int64_t i;

	return !n->negative || sysctl_number_to_i64(n, &i);
}

static int verb_read_int(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	struct sysctl_number *nums;
	struct linx_ns_target t;
	struct sysctl_key k;
	size_t n;
	int r;

	r = knob_args(call, KEY_KEY, KEY_IN, &k, &t, err);
	if (r < 0)
		return r;
	r = sysctl_read_numbers(&k, &t, true, &nums, &n, err);
	if (r < 0)
		return r;
	if (n != 1)
		r = sysctl_fail(err, EINVAL, "parse", k.path,
				"sysctl %s holds %zu integers, not one", k.key,
				n);
	else if (!number_fits(&nums[0]))
		r = sysctl_fail(err, ERANGE, "parse", k.path,
				"sysctl %s: -%llu is below the 64-bit range",
				k.key, (unsigned long long)nums[0].magnitude);
	else
		*ret = number_value(&nums[0]);
	free(nums);
	return r;
}

static int verb_read_ints(const struct linx_call *call,
			  struct linx_value *ret, struct linx_error *err)
{
	struct sysctl_number *nums;
	struct linx_ns_target t;
	struct sysctl_key k;
	size_t n;
	int r;

	r = knob_args(call, KEY_KEY, KEY_IN, &k, &t, err);
	if (r < 0)
		return r;
	r = sysctl_read_numbers(&k, &t, false, &nums, &n, err);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct linx_value v;

		if (!number_fits(&nums[i])) {
			r = sysctl_fail(err, ERANGE, "parse", k.path,
					"sysctl %s: value %zu is below the "
					"64-bit range",
					k.key, i);
			break;
		}
		v = number_value(&nums[i]);
		linx_list_push(ret, &v);
	}
	free(nums);
	if (r >= 0 && (r = linx_value_status(ret)) < 0)
		return out_of_memory(&k, "read", r, err);
	return r;
}

/* Render a list of int/uint values (the core checked the element types),
 * space-separated, into a malloc'd buffer. */
static int render_list(const struct sysctl_key *k, const struct linx_value *l,
		       char **ret, size_t *ret_len, struct linx_error *err)
{
	size_t len = 0;
	char *buf;

	if (l->len == 0)
		return sysctl_fail_param(err, EINVAL, "value", k->path,
					 "sysctl %s: the list of integers is "
					 "empty",
					 k->key);
	buf = malloc((size_t)l->len * 21);
	if (!buf)
		return out_of_memory(k, "write", ENOMEM, err);
	for (uint32_t i = 0; i < l->len; i++) {
		const struct linx_value *e = &l->items[i];

		if (i)
			buf[len++] = ' ';
		len += e->type == LINX_UINT ? sysctl_format_u64(buf + len, e->u)
					    : sysctl_format_i64(buf + len, e->i);
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int verb_write(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, WRITE_VALUE);
	struct linx_ns_target t;
	struct sysctl_key k;
	char num[24], *list = NULL;
	size_t len = 0;
	int r;

	(void)ret;
	r = knob_args(call, WRITE_KEY, WRITE_IN, &k, &t, err);
	if (r < 0)
		return r;
	switch (v->type) {
	case LINX_INT:
		return sysctl_write_raw(&k, &t, num,
					sysctl_format_i64(num, v->i), 0, err);
	case LINX_UINT:
		return sysctl_write_raw(&k, &t, num,
					sysctl_format_u64(num, v->u), 0, err);
	case LINX_STRING:
	case LINX_BYTES:
		r = sysctl_value_check(&k, v->type == LINX_STRING
						   ? v->str
						   : (const char *)v->bytes,
				       v->len, err);
		if (r < 0)
			return r;
		return sysctl_write_raw(&k, &t,
					v->type == LINX_STRING
						? v->str
						: (const char *)v->bytes,
					v->len, 0, err);
	case LINX_LIST:
		r = render_list(&k, v, &list, &len, err);
		if (r < 0)
			return r;
		r = sysctl_write_raw(&k, &t, list, len, v->len, err);
		free(list);
		return r;
	default:
		/* The schema admits nothing else. */
		return sysctl_fail_param(err, EINVAL, "value", k.path,
					 "sysctl %s: unsupported value type %s",
					 k.key, linx_type_name(v->type));
	}
}

static int verb_list(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	const struct linx_value *prefix = linx_call_arg(call, LIST_PREFIX);
	struct linx_sysctl_entry *entries;
	struct linx_ns_target t;
	size_t n;
	int r;

	r = linx_ns_target_from_value(linx_call_arg(call, LIST_IN), "in", &t,
				      err);
	if (r < 0)
		return r;
	r = linx_sysctl_list(prefix ? prefix->str : NULL, &t, &entries, &n,
			     err);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct linx_value m = linx_value_map(), s;

		r = text_value(&s, entries[i].key, strlen(entries[i].key));
		if (r >= 0)
			r = linx_map_put(&m, "key", &s);
		if (r >= 0)
			r = text_value(&s, entries[i].value,
				       entries[i].value_len);
		if (r >= 0)
			r = linx_map_put(&m, "value", &s);
		if (r >= 0)
			r = text_value(&s, entries[i].path,
				       strlen(entries[i].path));
		if (r >= 0)
			r = linx_map_put(&m, "path", &s);
		if (r >= 0)
			r = linx_list_push(ret, &m);
		else
			linx_value_clear(&m);
	}
	linx_sysctl_list_free(entries, n);
	if (r >= 0)
		r = linx_value_status(ret);
	if (r < 0)
		return sysctl_fail(err, -r, "list", SYSCTL_ROOT,
				   "sysctl list: cannot build the result: %s",
				   linx_strerror(-r));
	return 0;
}

static int verb_supported(const struct linx_call *call,
			  struct linx_value *ret, struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_sysctl_supported());
	return 0;
}

static const struct linx_param ns_params[] = {
	{ "key", LINX_TM_STRING, LINX_PARAM_REQUIRED,
	  "sysctl key in dot form, e.g. net.ipv4.ip_forward" },
};

/* Which namespace a key follows: what a caller must not share with a
 * target if a write "in" that target is not to change its own system. */
static int verb_namespaces(const struct linx_call *call,
			   struct linx_value *ret, struct linx_error *err)
{
	static const struct {
		uint32_t bit;
		const char *name; /* as in /proc/<pid>/ns */
	} kinds[] = {
		{ LINX_NS_USER, "user" }, { LINX_NS_IPC, "ipc" },
		{ LINX_NS_UTS, "uts" },	  { LINX_NS_NET, "net" },
		{ LINX_NS_PID, "pid" },
	};
	const char *key = linx_call_arg(call, 0)->str;
	struct sysctl_key k;
	uint32_t owners;
	int r = sysctl_key_init(&k, key, "key", err);

	if (r < 0)
		return r;
	owners = linx_sysctl_key_namespaces(key);
	*ret = linx_value_list();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (owners & kinds[i].bit)
			linx_list_push_cstring(ret, kinds[i].name);
	return 0;
}

enum { REC_DESIRED, REC_LAST, REC_IN, REC_REVERT };

static const struct linx_param reconcile_params[] = {
	[REC_DESIRED] = LINX_RECONCILE_PARAM_DESIRED(
		"{key: int | string | [int]}"),
	[REC_LAST] = LINX_RECONCILE_PARAM_LAST_APPLIED,
	[REC_IN] = { "in", IN_TYPES, 0, IN_DOC },
	[REC_REVERT] = LINX_RECONCILE_PARAM_REVERT("key"),
};

static int verb_reconcile(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	struct linx_ns_target t;
	int r = linx_ns_target_from_value(linx_call_arg(call, REC_IN), "in", &t,
					  err);

	if (r < 0)
		return r;
	return linx_sysctl_reconcile(linx_call_arg(call, REC_DESIRED),
				     linx_call_arg(call, REC_LAST), &t,
				     linx_reconcile_flags(
					     linx_call_arg(call, REC_REVERT)),
				     ret, err);
}

enum { DIFF_OBSERVED, DIFF_DESIRED, DIFF_LAST, DIFF_REVERT };

static const struct linx_param diff_params[] = {
	[DIFF_OBSERVED] = LINX_RECONCILE_PARAM_OBSERVED(
		"{key: string} as sysctl.observe returns it"),
	[DIFF_DESIRED] = LINX_RECONCILE_PARAM_DESIRED(
		"{key: int | string | [int]}"),
	[DIFF_LAST] = LINX_RECONCILE_PARAM_LAST_APPLIED,
	[DIFF_REVERT] = LINX_RECONCILE_PARAM_REVERT_OPS,
};

static int verb_diff(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	return linx_sysctl_reconcile_diff(
		linx_call_arg(call, DIFF_OBSERVED),
		linx_call_arg(call, DIFF_DESIRED),
		linx_call_arg(call, DIFF_LAST),
		linx_reconcile_flags(linx_call_arg(call, DIFF_REVERT)), ret,
		err);
}

enum { OBS_KEYS, OBS_IN };

static const struct linx_param observe_params[] = {
	[OBS_KEYS] = { "keys", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		       "sysctl keys in dot form" },
	[OBS_IN] = { "in", IN_TYPES, 0, IN_DOC },
};

static int verb_observe(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	const struct linx_value *l = linx_call_arg(call, OBS_KEYS);
	struct linx_ns_target t;
	const char **keys;
	int r;

	r = linx_ns_target_from_value(linx_call_arg(call, OBS_IN), "in", &t,
				      err);
	if (r < 0)
		return r;
	keys = calloc(l->len ? l->len : 1, sizeof(*keys));
	if (!keys)
		return linx_error_set(err, ENOMEM, "observe", NULL);
	for (uint32_t i = 0; i < l->len && r >= 0; i++) {
		if (l->items[i].type != LINX_STRING)
			r = linx_error_param(err, "validate", "keys",
					     "keys[%u] is not a string", i);
		else
			keys[i] = l->items[i].str;
	}
	if (r >= 0)
		r = linx_sysctl_observe(keys, l->len, &t, ret, err);
	free(keys);
	return r;
}

static const struct linx_verb verbs[] = {
	{
		.name = "sysctl.read",
		.summary = "Read a sysctl as text, trailing newline trimmed",
		LINX_PARAMS(key_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_read,
		.result_doc = "string (bytes if the value is not UTF-8)",
	},
	{
		.name = "sysctl.read_int",
		.summary = "Read a sysctl holding one integer",
		LINX_PARAMS(key_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_read_int,
		.result_doc = "int",
	},
	{
		.name = "sysctl.read_ints",
		.summary = "Read a sysctl holding whitespace-separated integers",
		LINX_PARAMS(key_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_read_ints,
		.result_doc = "list of int",
	},
	{
		.name = "sysctl.write",
		.summary = "Write an integer, a string or a list of integers "
			   "to a sysctl",
		LINX_PARAMS(write_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_write,
		.result_doc = "nil",
	},
	{
		.name = "sysctl.list",
		.summary = "Read every visible sysctl, or those under a prefix, "
			   "sorted by key",
		LINX_PARAMS(list_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_list,
		.result_doc = "list of {\"key\", \"value\", \"path\"}",
	},
	{
		.name = "sysctl.supported",
		.summary = "Whether this system exposes /proc/sys",
		.fn = verb_supported,
		.result_doc = "bool",
	},
	{
		.name = "sysctl.namespaces",
		.summary = "The namespaces a key is resolved against (empty "
			   "for a global knob)",
		LINX_PARAMS(ns_params),
		.fn = verb_namespaces,
		.result_doc = "list of namespace names (\"net\", \"uts\", "
			      "\"ipc\", \"user\", \"pid\")",
	},
	{
		.name = "sysctl.reconcile",
		.summary = "Converge sysctls on a desired state: one "
			   "best-effort pass",
		LINX_PARAMS(reconcile_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_reconcile,
		.result_doc = "{converged, applied, failed, pending, "
			      "last_applied}",
	},
	{
		.name = "sysctl.diff",
		.summary = "The ops that would converge observed sysctls on a "
			   "desired state (no I/O)",
		LINX_PARAMS(diff_params),
		.fn = verb_diff,
		.result_doc = "list of {op, key, value?}",
	},
	{
		.name = "sysctl.observe",
		.summary = "Read sysctls into {key: text}, leaving out those "
			   "that cannot be read",
		LINX_PARAMS(observe_params),
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_observe,
		.result_doc = "{key: string}",
	},
};

LINX_PLUGIN_DEFINE(sysctl, "0.1.0", "kernel tunables under /proc/sys", NULL,
		   NULL, verbs);
