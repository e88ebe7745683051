/* SPDX-License-Identifier: MIT */
/*
 * A plugin for the Elixir binding's tests: verbs that exercise what the
 * NIF must get right and that the subsystem plugins only touch in
 * passing - every value type in both directions, handles and their
 * release, blocking verbs on dirty schedulers, results at the limits.
 * Built as a module, like any plugin; the tests load it by path.
 */
#define LINX_PLUGIN_MODULE 1
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include <linx/plugin.h>

/* nif_test.echo: returns a copy of its argument (nil if absent). */
static const struct linx_param echo_params[] = {
	{ "value", LINX_TM_ANY, 0, "anything" },
};

static int echo(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, 0);
	int r;

	if (!v)
		return 0;
	r = linx_value_copy(ret, v);
	if (r < 0)
		return linx_error_set(err, -r, "echo", "cannot copy the value");
	return 0;
}

/* nif_test.types: one value of every kind. */
static int types(const struct linx_call *call, struct linx_value *ret,
		 struct linx_error *err)
{
	static const unsigned char raw[] = { 0xff, 0x00, 0xfe };
	struct linx_value list = linx_value_list(), inner = linx_value_map();

	(void)call;
	(void)err;
	*ret = linx_value_map();
	linx_map_put_nil(ret, "nil");
	linx_map_put_bool(ret, "true", true);
	linx_map_put_bool(ret, "false", false);
	linx_map_put_int(ret, "int_min", INT64_MIN);
	linx_map_put_int(ret, "int", -42);
	linx_map_put_uint(ret, "uint_max", UINT64_MAX);
	linx_map_put_cstring(ret, "string", "h\xc3\xa9llo");
	linx_map_put_bytes(ret, "bytes", raw, sizeof(raw));
	linx_map_put_string(ret, "empty", "", 0);
	linx_list_push_int(&list, 1);
	linx_list_push_cstring(&list, "two");
	linx_map_put_int(&inner, "three", 3);
	linx_list_push(&list, &inner);
	linx_map_put(ret, "list", &list);
	return 0;
}

/* nif_test.thread / nif_test.thread_blocking: the name of the thread the
 * verb runs on (the VM names its schedulers, e.g. "1_scheduler" and
 * "1_dirty_io_scheduler"), to check where the NIF ran it.  `pad` is
 * ignored: a large one sends the call through the NIF's dirty path. */
static const struct linx_param thread_params[] = {
	{ "pad", LINX_TM_ANY, 0, "ignored" },
};

static int thread_name(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	char name[17] = "";

	(void)call;
	if (prctl(PR_GET_NAME, name, 0, 0, 0) < 0)
		return linx_error_set(err, errno, "thread", "PR_GET_NAME");
	name[16] = '\0';
	return linx_value_cstring(ret, name) < 0
		       ? linx_error_set(err, EINVAL, "thread", "odd name")
		       : 0;
}

/* nif_test.sleep: a blocking verb that takes a while. */
static const struct linx_param sleep_params[] = {
	{ "ms", LINX_TM_UINT, LINX_PARAM_REQUIRED, "milliseconds, <= 10000" },
};

static int do_sleep(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	uint64_t ms = 0;
	struct timespec ts;

	(void)ret;
	linx_value_get_u64(linx_call_arg(call, 0), &ms);
	if (ms > 10000)
		return linx_error_param(err, "sleep", "ms", "at most 10 s");
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

/* Handles: a tag string; the live count shows when destroy ran. */
static atomic_long live_tags;

static void tag_destroy(void *ptr)
{
	free(ptr);
	atomic_fetch_sub(&live_tags, 1);
}

static const struct linx_handle_type tag_type = {
	.name = "nif_test.tag",
	.destroy = tag_destroy,
};

static const struct linx_param handle_new_params[] = {
	{ "tag", LINX_TM_STRING, LINX_PARAM_REQUIRED, "text to hold" },
};

static int handle_new(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const struct linx_value *tag = linx_call_arg(call, 0);
	struct linx_handle *h;
	char *copy = strdup(tag->str);

	if (!copy)
		return linx_error_set(err, ENOMEM, "handle", NULL);
	h = linx_handle_new(&tag_type, copy);
	if (!h) {
		free(copy);
		return linx_error_set(err, ENOMEM, "handle", NULL);
	}
	atomic_fetch_add(&live_tags, 1);
	*ret = linx_value_handle(h);
	/* The value holds its own reference now. */
	linx_handle_unref(h);
	return 0;
}

static const struct linx_param handle_tag_params[] = {
	{ "handle", LINX_TM_HANDLE, LINX_PARAM_REQUIRED, "a nif_test.tag" },
};

static int handle_tag(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const char *tag = linx_handle_get(linx_call_arg(call, 0)->handle,
					  &tag_type);

	if (!tag)
		return linx_error_param(err, "handle", "handle",
					"not a nif_test.tag handle");
	return linx_value_cstring(ret, tag) < 0
		       ? linx_error_set(err, ENOMEM, "handle", NULL)
		       : 0;
}

static int handle_live(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_int(atomic_load(&live_tags));
	return 0;
}

/* nif_test.deep: `depth` nested one-element lists around 0. */
static const struct linx_param deep_params[] = {
	{ "depth", LINX_TM_UINT, LINX_PARAM_REQUIRED, "levels, <= 1000" },
};

static int deep(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	uint64_t depth = 0;

	linx_value_get_u64(linx_call_arg(call, 0), &depth);
	if (depth > 1000)
		return linx_error_param(err, "deep", "depth", "at most 1000");
	*ret = linx_value_int(0);
	for (uint64_t i = 0; i < depth; i++) {
		struct linx_value outer = linx_value_list();

		linx_list_push(&outer, ret);
		*ret = outer;
	}
	return 0;
}

/* nif_test.big: `bytes` bytes of 'x' (a large result). */
static const struct linx_param big_params[] = {
	{ "bytes", LINX_TM_UINT, LINX_PARAM_REQUIRED, "size, <= 64 MiB" },
};

static int big(const struct linx_call *call, struct linx_value *ret,
	       struct linx_error *err)
{
	uint64_t n = 0;
	char *buf;
	int r;

	linx_value_get_u64(linx_call_arg(call, 0), &n);
	if (n > 64u << 20)
		return linx_error_param(err, "big", "bytes", "at most 64 MiB");
	buf = malloc(n ? n : 1);
	if (!buf)
		return linx_error_set(err, ENOMEM, "big", NULL);
	memset(buf, 'x', n);
	r = linx_value_bytes(ret, buf, n);
	free(buf);
	return r < 0 ? linx_error_set(err, -r, "big", NULL) : 0;
}

/*
 * nif_test.poisoned: a result whose part `where` could not be built and is
 * marked so, below parents that are not (a builder that failed on a value
 * already placed): the NIF must still refuse the result.
 *   "list"     [[1, 2]]                     the inner list
 *   "map"      {"a": {"b": 1}}              the inner map
 *   "exprs"    {"exprs": [{"expr": "counter"}]}          the expression
 *   "verdict"  {"exprs": [{"expr": "immediate",
 *                          "verdict": {"jump": "c"}}]}   the verdict
 *   "elements" {"elements": [{"key": "k"}]}              the element
 *   "range"    {"elements": [{"range": [1, 2]}]}         the range
 */
static const struct linx_param poisoned_params[] = {
	{ "where", LINX_TM_STRING, LINX_PARAM_REQUIRED, "which part" },
};

/* Mark v incomplete the way a failed builder does. */
static void spoil(struct linx_value *v)
{
	struct linx_value nil = linx_value_nil();

	if (v->type == LINX_LIST)
		linx_list_push(v, v);
	else
		linx_map_put(v, "\xff", &nil);
}

/* A one-pair map {key: val}. */
static struct linx_value map1(const char *key, struct linx_value val)
{
	struct linx_value m = linx_value_map();

	linx_map_put(&m, key, &val);
	return m;
}

static struct linx_value text(const char *s)
{
	struct linx_value v;

	linx_value_cstring(&v, s);
	return v;
}

static struct linx_value list1(struct linx_value val)
{
	struct linx_value l = linx_value_list();

	linx_list_push(&l, &val);
	return l;
}

static int poisoned(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	const char *where = linx_call_arg(call, 0)->str;
	struct linx_value two = linx_value_list(), one = linx_value_int(1);
	struct linx_value *part;

	linx_list_push(&two, &one);
	one = linx_value_int(2);
	linx_list_push(&two, &one);
	if (strcmp(where, "list") == 0) {
		*ret = list1(two);
		part = &ret->items[0];
	} else if (strcmp(where, "map") == 0) {
		*ret = map1("a", map1("b", linx_value_int(1)));
		part = &ret->pairs[0].value;
	} else if (strcmp(where, "exprs") == 0) {
		*ret = map1("exprs",
			    list1(map1("expr", text("counter"))));
		part = &ret->pairs[0].value.items[0];
	} else if (strcmp(where, "verdict") == 0) {
		struct linx_value e = map1("verdict",
					   map1("jump", text("c")));
		struct linx_value name = text("immediate");

		linx_map_put(&e, "expr", &name);
		*ret = map1("exprs", list1(e));
		part = (struct linx_value *)linx_map_get(
			&ret->pairs[0].value.items[0], "verdict");
	} else if (strcmp(where, "elements") == 0) {
		*ret = map1("elements",
			    list1(map1("key", text("k"))));
		part = &ret->pairs[0].value.items[0];
	} else if (strcmp(where, "range") == 0) {
		*ret = map1("elements", list1(map1("range", two)));
		part = &ret->pairs[0].value.items[0].pairs[0].value;
		two = linx_value_nil();
	} else {
		linx_value_clear(&two);
		return linx_error_param(err, "poisoned", "where",
					"unknown part \"%s\"", where);
	}
	if (strcmp(where, "list") != 0)
		linx_value_clear(&two);
	spoil(part);
	return 0;
}

static const struct linx_verb verbs[] = {
	{ .name = "nif_test.echo", .summary = "Return the argument",
	  .params = echo_params, .n_params = 1, .fn = echo },
	{ .name = "nif_test.types", .summary = "One value of every type",
	  .fn = types },
	{ .name = "nif_test.thread", .summary = "Name of the calling thread",
	  .params = thread_params, .n_params = 1, .fn = thread_name },
	{ .name = "nif_test.thread_blocking",
	  .summary = "Name of the calling thread, as a blocking verb",
	  .params = thread_params, .n_params = 1,
	  .flags = LINX_VERB_BLOCKING, .fn = thread_name },
	{ .name = "nif_test.sleep", .summary = "Sleep (a blocking verb)",
	  .params = sleep_params, .n_params = 1,
	  .flags = LINX_VERB_BLOCKING, .fn = do_sleep },
	{ .name = "nif_test.handle.new", .summary = "A handle holding a tag",
	  .params = handle_new_params, .n_params = 1, .fn = handle_new },
	{ .name = "nif_test.handle.tag", .summary = "The tag of a handle",
	  .params = handle_tag_params, .n_params = 1, .fn = handle_tag },
	{ .name = "nif_test.handle.live",
	  .summary = "How many tag handles are alive", .fn = handle_live },
	{ .name = "nif_test.deep", .summary = "A deeply nested result",
	  .params = deep_params, .n_params = 1, .fn = deep },
	{ .name = "nif_test.big", .summary = "A large result",
	  .params = big_params, .n_params = 1, .fn = big },
	{ .name = "nif_test.poisoned",
	  .summary = "A result with a part marked incomplete",
	  .params = poisoned_params, .n_params = 1, .fn = poisoned },
};

LINX_PLUGIN_DEFINE(nif_test, "1.0.0", "fixtures for the Elixir binding tests",
		   NULL, NULL, verbs);
