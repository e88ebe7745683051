/* SPDX-License-Identifier: MIT */
/*
 * The plugin loader: the out-of-tree example plugin is found through
 * $LINX_PLUGIN_PATH and works; every malformed plugin is refused with an
 * error naming its file; duplicates name both files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linx-test.h"

/* Set by meson: the directory the fixture plugins are built in. */
#ifndef FIXTURE_DIR
#error FIXTURE_DIR must be defined
#endif

static char *fixture(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.so", FIXTURE_DIR, name);
	return path;
}

static struct linx_registry *search_registry(const char *path)
{
	struct linx_registry *reg;
	struct linx_error err;

	setenv(LINX_PLUGIN_PATH_ENV, path, 1);
	linx_assert_ok(linx_registry_new(&reg, 0, &err), &err);
	return reg;
}

START_TEST(example_from_env_path)
{
	struct linx_registry *reg = search_registry(FIXTURE_DIR);
	struct linx_value args = linx_value_map(), res;
	struct linx_error err;
	const char *file = NULL;
	const struct linx_plugin *p;

	/* Nothing is loaded until a verb is used. */
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	linx_map_put_int(&args, "a", 40);
	linx_map_put_int(&args, "b", 1);
	linx_map_put_int(&args, "c", 1);
	linx_assert_ok(linx_call(reg, "example.add", &args, &res, 0, &err), &err);
	ck_assert_int_eq(res.type, LINX_INT);
	ck_assert_int_eq(res.i, 42);
	p = linx_registry_plugin(reg, 0, &file);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->name, "example");
	ck_assert_str_eq(file, fixture("example"));
	ck_assert_ptr_null(linx_registry_plugin(reg, 1, NULL));
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(example_results_and_errors)
{
	struct linx_registry *reg = search_registry(FIXTURE_DIR);
	struct linx_value args = linx_value_map(), res;
	const struct linx_value *g;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", "world");
	linx_map_put_uint(&args, "times", 3);
	linx_assert_ok(linx_call(reg, "example.greet", &args, &res, 0, &err),
		       &err);
	ck_assert_str_eq(linx_map_get(&res, "name")->str, "world");
	g = linx_map_get(&res, "greetings");
	ck_assert_int_eq(g->type, LINX_LIST);
	ck_assert_int_eq(g->len, 3);
	ck_assert_str_eq(g->items[2].str, "hello");
	linx_value_clear(&res);
	linx_value_clear(&args);

	args = linx_value_map();
	linx_map_put_uint(&args, "errno", ENODEV);
	ck_assert_int_eq(linx_call(reg, "example.fail", &args, &res, 0, &err),
			 -ENODEV);
	ck_assert_int_eq(err.code, ENODEV);
	ck_assert_str_eq(linx_errno_name(err.code), "enodev");
	ck_assert_str_eq(err.op, "fail");
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(&args);

	/* An overflow is the verb's own error, not a crash. */
	args = linx_value_map();
	linx_map_put_int(&args, "a", INT64_MAX);
	linx_map_put_int(&args, "b", 1);
	ck_assert_int_eq(linx_call(reg, "example.add", &args, &res, 0, &err),
			 -ERANGE);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(unknown_verb_and_plugin)
{
	struct linx_registry *reg = search_registry(FIXTURE_DIR);
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_call(reg, "example.nope", NULL, &res, 0, &err),
			 -ENOENT);
	ck_assert_msg(strstr(err.message, "unknown verb \"example.nope\""),
		      "%s", err.message);
	ck_assert_int_eq(linx_call(reg, "nosuchplugin.x", NULL, &res, 0, &err),
			 -ENOENT);
	ck_assert_int_eq(linx_call(reg, "", NULL, &res, 0, &err), -EINVAL);
	ck_assert_int_eq(linx_call(reg, NULL, NULL, &res, 0, &err), -EINVAL);
	ck_assert_int_eq(linx_call(reg, "../../etc/passwd.x", NULL, &res, 0,
				   &err),
			 -ENOENT);
	ck_assert_int_eq(linx_registry_load(reg, "../x", &err), -EINVAL);
	linx_registry_free(reg);
}
END_TEST

/* Each refused fixture: the error names the file and says why. */
static void expect_refused(const char *name, int code, const char *why)
{
	struct linx_registry *reg;
	struct linx_error err;
	int r;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	r = linx_registry_load_file(reg, fixture(name), &err);
	ck_assert_msg(r == -code, "%s: expected %d, got %d (%s)", name, -code,
		      r, err.message);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.op, "load");
	ck_assert_msg(strstr(err.message, fixture(name)),
		      "message does not name the file: %s", err.message);
	ck_assert_msg(strstr(err.message, why), "expected \"%s\" in: %s", why,
		      err.message);
	ck_assert_str_eq(err.object, fixture(name));
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	linx_registry_free(reg);
}

START_TEST(refuse_wrong_major)
{
	expect_refused("badmajor", ENOEXEC, "ABI 2.0");
}
END_TEST

START_TEST(refuse_missing_field)
{
	expect_refused("missingfield", EINVAL, "lacks a summary");
}
END_TEST

START_TEST(refuse_duplicate_verb)
{
	expect_refused("dupverb", EEXIST, "duplicate verb dupverb.noop");
}
END_TEST

START_TEST(refuse_wrong_prefix)
{
	expect_refused("wrongprefix", EINVAL, "outside the plugin's prefix");
}
END_TEST

START_TEST(refuse_init_failure)
{
	expect_refused("initfails", ENOTSUP, "lacks what the plugin needs");
}
END_TEST

START_TEST(refuse_not_a_plugin)
{
	expect_refused("notaplugin", ENOEXEC, "linx_plugin_descriptor");
}
END_TEST

START_TEST(refuse_missing_file)
{
	expect_refused("does-not-exist", ENOEXEC, "No such file");
}
END_TEST

START_TEST(refuse_duplicate_plugin)
{
	struct linx_registry *reg;
	struct linx_error err;
	char first[PATH_MAX];

	snprintf(first, sizeof(first), "%s", fixture("example"));
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_load_file(reg, first, &err), &err);
	ck_assert_int_eq(linx_registry_load_file(reg, fixture("example-copy"),
						 &err),
			 -EEXIST);
	ck_assert_msg(strstr(err.message, first) &&
			      strstr(err.message, fixture("example-copy")),
		      "both files must be named: %s", err.message);
	ck_assert_ptr_null(linx_registry_plugin(reg, 1, NULL));
	linx_registry_free(reg);
}
END_TEST

/* Collects what load_all reports, to check every refusal is told. */
struct refusals {
	int n;
	char names[8][64];
	bool named_file;
};

static void on_refused(void *arg, const char *name, const char *file,
		       const struct linx_error *err)
{
	struct refusals *r = arg;

	if (r->n < 8)
		snprintf(r->names[r->n], sizeof(r->names[0]), "%s", name);
	r->n++;
	r->named_file = r->named_file || (file && strstr(err->message, file));
}

START_TEST(load_all_counts_refusals)
{
	struct linx_registry *reg = search_registry(FIXTURE_DIR);
	struct refusals seen = { 0 };
	struct linx_error err;
	size_t n = 0;
	char all[512] = "";

	/* Only the fixtures: the default path also holds the build tree's
	 * plugin directory, where the real plugins' modules live. */
	linx_assert_ok(linx_registry_set_path(reg, FIXTURE_DIR, &err), &err);
	/* badmajor, missingfield, dupverb, wrongprefix, initfails and
	 * notaplugin are refused; example loads. */
	ck_assert_int_eq(linx_registry_load_all(reg, on_refused, &seen, &err),
			 6);
	ck_assert_str_eq(err.op, "load");
	/* Every refusal is told, with its file, in the directory's order. */
	ck_assert_int_eq(seen.n, 6);
	ck_assert(seen.named_file);
	for (int i = 0; i < seen.n; i++) {
		strcat(all, seen.names[i]);
		strcat(all, " ");
	}
	ck_assert_str_eq(all, "badmajor dupverb initfails missingfield "
			      "notaplugin wrongprefix ");
	while (linx_registry_plugin(reg, n, NULL))
		n++;
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(linx_registry_plugin(reg, 0, NULL)->name, "example");
	/* A refused plugin's verbs stay unknown, and say why. */
	ck_assert_int_eq(linx_registry_load(reg, "badmajor", &err), -ENOEXEC);
	linx_registry_free(reg);
}
END_TEST

START_TEST(search_path_order)
{
	struct linx_registry *reg;
	struct linx_error err;
	char path[2 * PATH_MAX];
	const char *file;

	/* A directory without the plugin first, then the fixtures: the
	 * first directory that has it wins. */
	snprintf(path, sizeof(path), "/nonexistent:%s:/tmp", FIXTURE_DIR);
	reg = search_registry(path);
	ck_assert_msg(strncmp(linx_registry_path(reg), path, strlen(path)) == 0,
		      "path %s", linx_registry_path(reg));
	linx_assert_ok(linx_registry_load(reg, "example", &err), &err);
	linx_registry_plugin(reg, 0, &file);
	ck_assert_str_eq(file, fixture("example"));
	/* Loading again is a no-op. */
	linx_assert_ok(linx_registry_load(reg, "example", &err), &err);
	ck_assert_ptr_null(linx_registry_plugin(reg, 1, NULL));
	linx_registry_free(reg);
}
END_TEST

START_TEST(no_search_registry_finds_nothing)
{
	struct linx_registry *reg;
	struct linx_value res;
	struct linx_error err;

	setenv(LINX_PLUGIN_PATH_ENV, FIXTURE_DIR, 1);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	ck_assert_str_eq(linx_registry_path(reg), "");
	ck_assert_int_eq(linx_call(reg, "example.add", NULL, &res, 0, &err),
			 -ENOENT);
	linx_registry_free(reg);
}
END_TEST

/* A path handed out stays readable after the path is replaced (another
 * thread may still be printing it); under ASan a use-after-free here
 * fails the test. */
START_TEST(replaced_path_stays_valid)
{
	struct linx_registry *reg;
	struct linx_error err;
	const char *old;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, "/first:/second", &err),
		       &err);
	old = linx_registry_path(reg);
	for (int i = 0; i < 10; i++)
		linx_assert_ok(linx_registry_set_path(reg, "/other", &err),
			       &err);
	ck_assert_str_eq(old, "/first:/second");
	ck_assert_str_eq(linx_registry_path(reg), "/other");
	linx_registry_free(reg);
}
END_TEST

START_TEST(host_table_complete)
{
	const struct linx_host *h = linx_host_services();
	const char *base = (const char *)h;
	size_t first = offsetof(struct linx_host, linx_error_clear);

	ck_assert_int_eq(h->size, sizeof(*h));
	ck_assert_int_eq(h->abi_major, LINX_ABI_MAJOR);
	ck_assert_int_eq(h->abi_minor, LINX_ABI_MINOR);
	for (size_t off = first; off < sizeof(*h); off += sizeof(void *)) {
		void *fn;

		memcpy(&fn, base + off, sizeof(fn));
		ck_assert_msg(fn != NULL, "host service at offset %zu is NULL",
			      off);
	}
}
END_TEST

/* Pin the public struct sizes: changing one is an ABI break that must be
 * a deliberate major or minor bump (update the loader's abi_sizes too). */
START_TEST(abi_struct_sizes)
{
	ck_assert_int_eq(sizeof(struct linx_error), 1352);
	ck_assert_int_eq(sizeof(struct linx_value), 24);
	ck_assert_int_eq(sizeof(struct linx_pair), 40);
	ck_assert_int_eq(sizeof(struct linx_param), 24);
	/* ABI 1.0 had verb 56, plugin 88 and 47 host services; 1.1 appended
	 * linx_verb.state, init_state/fini_state and 9 services. */
	ck_assert_int_eq(sizeof(struct linx_verb), 64);
	ck_assert_int_eq(offsetof(struct linx_verb, state), 56);
	ck_assert_int_eq(sizeof(struct linx_call), 24);
	ck_assert_int_eq(sizeof(struct linx_plugin), 104);
	ck_assert_int_eq(offsetof(struct linx_plugin, init_state), 88);
	ck_assert_int_eq(offsetof(struct linx_host, linx_verb_validate),
			 8 + 47 * sizeof(void *));
	ck_assert_int_eq(sizeof(struct linx_host),
			 8 + 56 * sizeof(void *));
	ck_assert_int_eq(offsetof(struct linx_plugin, abi_major), 0);
	ck_assert_int_eq(offsetof(struct linx_plugin, abi_minor), 4);
	ck_assert_int_eq(offsetof(struct linx_plugin, plugin_size), 8);
	ck_assert_str_eq(LINX_PLUGIN_SYMBOL_NAME, "linx_plugin_descriptor");
}
END_TEST

#ifndef ABI_FIXTURE_DIR
#error ABI_FIXTURE_DIR must be defined
#endif

static struct linx_registry *abi_registry(void)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, ABI_FIXTURE_DIR, &err),
		       &err);
	return reg;
}

/* A plugin built against ABI 1.0 keeps loading under 1.1: its shorter
 * records are read with its own stride and zero-extended. */
START_TEST(abi_1_0_plugin_loads)
{
	struct linx_registry *reg = abi_registry();
	struct linx_value args = linx_value_map(), ret = linx_value_nil();
	const struct linx_plugin *d;
	const struct linx_verb *v;
	struct linx_error err;
	int64_t sum = 0;
	uint64_t n = 0;

	linx_assert_ok(linx_registry_load(reg, "abi10", &err), &err);
	d = linx_registry_plugin(reg, 0, NULL);
	ck_assert_str_eq(d->name, "abi10");
	ck_assert_uint_eq(d->abi_minor, 0);
	ck_assert_uint_eq(d->n_verbs, 2);
	ck_assert_ptr_null(d->init_state);
	ck_assert_ptr_null(d->fini_state);
	/* The second record, one 1.0 stride on. */
	ck_assert_str_eq(d->verbs[1].name, "abi10.noop");
	linx_assert_ok(linx_registry_find(reg, "abi10.noop", &v, &err), &err);
	ck_assert_ptr_null(v->state);
	ck_assert_uint_eq(v->n_params, 2);
	linx_map_put_int(&args, "a", 40);
	linx_map_put_int(&args, "b", 2);
	linx_assert_ok(linx_call(reg, "abi10.add", &args, &ret, 0, &err),
		       &err);
	linx_value_get_i64(linx_map_get(&ret, "sum"), &sum);
	linx_value_get_u64(linx_map_get(&ret, "n_params"), &n);
	ck_assert_int_eq(sum, 42);
	ck_assert_uint_eq(n, 2);
	linx_value_clear(&ret);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

static uint64_t count_calls(struct linx_registry *reg)
{
	struct linx_value ret = linx_value_nil();
	struct linx_error err;
	uint64_t n = 0;

	linx_assert_ok(linx_call(reg, "stateful.count", NULL, &ret, 0, &err),
		       &err);
	ck_assert_str_eq(linx_map_get(&ret, "verb")->str, "stateful.count");
	linx_value_get_u64(linx_map_get(&ret, "calls"), &n);
	linx_value_clear(&ret);
	return n;
}

/* Each registry has its own state, from init_state to fini_state. */
START_TEST(per_registry_state)
{
	char log[] = "/tmp/linx-state-log.XXXXXX";
	struct linx_registry *a, *b;
	char *out;
	int fd = mkstemp(log);

	ck_assert_int_ge(fd, 0);
	close(fd);
	setenv("STATEFUL_FINI_LOG", log, 1);
	a = abi_registry();
	b = abi_registry();
	ck_assert_uint_eq(count_calls(a), 1);
	ck_assert_uint_eq(count_calls(a), 2);
	ck_assert_uint_eq(count_calls(b), 1);
	ck_assert_uint_eq(count_calls(a), 3);
	linx_registry_free(a);
	linx_registry_free(b);
	out = linx_test_sh(NULL, "cat '%s'", log);
	ck_assert_str_eq(out, "3\n1\n");
	free(out);
	unlink(log);
	unsetenv("STATEFUL_FINI_LOG");
}
END_TEST

START_TEST(init_state_refusal)
{
	struct linx_registry *reg = abi_registry();
	struct linx_error err;

	setenv("STATEFUL_REFUSE", "1", 1);
	ck_assert_int_eq(linx_registry_load(reg, "stateful", &err), -ENOTSUP);
	ck_assert_str_eq(err.op, "load");
	ck_assert_msg(strstr(err.message, "init failed") &&
			      strstr(err.message, "refused on request"),
		      "%s", err.message);
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	unsetenv("STATEFUL_REFUSE");
	linx_registry_free(reg);
}
END_TEST

/* The 1.1 services through the host table: a nested schema validated
 * with linx_verb_validate, an error naming parameter and object. */
START_TEST(host_services_1_1)
{
	struct linx_registry *reg = abi_registry();
	struct linx_value args = linx_value_map(), ops = linx_value_list(),
			  op = linx_value_map(), ret = linx_value_nil();
	struct linx_error err;

	linx_map_put_cstring(&op, "dev", "lo");
	linx_map_put_uint(&op, "mtu", 1500);
	linx_list_push(&ops, &op);
	op = linx_value_map();
	linx_map_put_cstring(&op, "dev", "eth9");
	linx_map_put_uint(&op, "mtu", 70000);
	linx_list_push(&ops, &op);
	linx_map_put(&args, "ops", &ops);
	ck_assert_int_eq(linx_call(reg, "stateful.batch", &args, &ret, 0, &err),
			 -ERANGE);
	ck_assert_str_eq(err.param, "mtu");
	ck_assert_str_eq(err.object, "ops[1]");
	ck_assert_str_eq(err.op, "validate");
	linx_value_clear(&args);
	/* A bad element: the schema's own error, prefixed with where. */
	args = linx_value_map();
	ops = linx_value_list();
	op = linx_value_map();
	linx_map_put_uint(&op, "dev", 7);
	linx_list_push(&ops, &op);
	linx_map_put(&args, "ops", &ops);
	ck_assert_int_eq(linx_call(reg, "stateful.batch", &args, &ret, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "dev");
	ck_assert_msg(strstr(err.message, "ops[0]") &&
			      strstr(err.message, "expected string"),
		      "%s", err.message);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");

	tcase_add_test(tc, example_from_env_path);
	tcase_add_test(tc, example_results_and_errors);
	tcase_add_test(tc, unknown_verb_and_plugin);
	tcase_add_test(tc, refuse_wrong_major);
	tcase_add_test(tc, refuse_missing_field);
	tcase_add_test(tc, refuse_duplicate_verb);
	tcase_add_test(tc, refuse_wrong_prefix);
	tcase_add_test(tc, refuse_init_failure);
	tcase_add_test(tc, refuse_not_a_plugin);
	tcase_add_test(tc, refuse_missing_file);
	tcase_add_test(tc, refuse_duplicate_plugin);
	tcase_add_test(tc, load_all_counts_refusals);
	tcase_add_test(tc, search_path_order);
	tcase_add_test(tc, no_search_registry_finds_nothing);
	tcase_add_test(tc, replaced_path_stays_valid);
	tcase_add_test(tc, host_table_complete);
	tcase_add_test(tc, abi_struct_sizes);
	tcase_add_test(tc, abi_1_0_plugin_loads);
	tcase_add_test(tc, per_registry_state);
	tcase_add_test(tc, init_state_refusal);
	tcase_add_test(tc, host_services_1_1);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
