/* SPDX-License-Identifier: MIT */
/*
 * The verb table: the contract the Elixir binding and the CLI are written
 * against (result types, the `in` forms, errors), schema refusals naming the
 * parameter, and the same verbs from the loadable module, whose core calls
 * go through the host table.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysctl-test.h"

#ifndef SYSCTL_MODULE
#error SYSCTL_MODULE must name the built sysctl.so
#endif

static struct linx_registry *static_registry(void)
{
	static const struct linx_plugin *const plugins[] = {
		&linx_plugin_sysctl,
	};

	return linx_test_registry(plugins, 1);
}

static struct linx_registry *module_registry(void)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_load_file(reg, SYSCTL_MODULE, &err), &err);
	return reg;
}

/* Call `verb` with args built by the caller (consumed); result returned. */
static struct linx_value call_ok(struct linx_registry *reg, const char *verb,
				 struct linx_value *args)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;

	linx_assert_ok(linx_call(reg, verb, args, &res, 0, &err), &err);
	linx_value_clear(args);
	return res;
}

static int call_err(struct linx_registry *reg, const char *verb,
		    struct linx_value *args, struct linx_error *err)
{
	struct linx_value res = linx_value_nil();
	int r = linx_call(reg, verb, args, &res, 0, err);

	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(args);
	return r;
}

static struct linx_value key_args(const char *key)
{
	struct linx_value a = linx_value_map();

	linx_map_put_cstring(&a, "key", key);
	return a;
}

/* supported, read, read_int and read_ints. */
static void check_reads(struct linx_registry *reg)
{
	struct linx_value a, r;

	a = linx_value_map();
	r = call_ok(reg, "sysctl.supported", &a);
	ck_assert_int_eq(r.type, LINX_BOOL);
	ck_assert(r.b);

	a = key_args("kernel.ostype");
	r = call_ok(reg, "sysctl.read", &a);
	ck_assert_int_eq(r.type, LINX_STRING);
	ck_assert_str_eq(r.str, "Linux");
	linx_value_clear(&r);

	a = key_args("net.ipv4.ip_forward");
	r = call_ok(reg, "sysctl.read_int", &a);
	ck_assert_int_eq(r.type, LINX_INT);
	ck_assert_int_eq(r.i, 0); /* a fresh netns */

	a = key_args("kernel.printk");
	r = call_ok(reg, "sysctl.read_ints", &a);
	ck_assert_int_eq(r.type, LINX_LIST);
	ck_assert_uint_eq(r.len, 4);
	for (uint32_t i = 0; i < r.len; i++)
		ck_assert_int_eq(r.items[i].type, LINX_INT);
	linx_value_clear(&r);

	/* Beyond INT64_MAX an unsigned knob comes back as uint. */
	a = key_args("kernel.shmmax");
	r = call_ok(reg, "sysctl.read_int", &a);
	ck_assert(r.type == LINX_INT || r.type == LINX_UINT);
	{
		char *o = sysctl_test_oracle(NULL, "kernel.shmmax");

		ck_assert(r.type == LINX_UINT ? r.u == strtoull(o, NULL, 10)
					      : r.i == strtoll(o, NULL, 10));
		free(o);
	}
}

/* Writes: int, uint, string, list. */
static void check_writes(struct linx_registry *reg)
{
	struct linx_value a, r;

	a = key_args("net.ipv4.ip_forward");
	linx_map_put_int(&a, "value", 1);
	r = call_ok(reg, "sysctl.write", &a);
	ck_assert_int_eq(r.type, LINX_NIL);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "1");
	a = key_args("net.ipv4.ip_forward");
	linx_map_put_uint(&a, "value", 0);
	call_ok(reg, "sysctl.write", &a);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "0");
	a = key_args("kernel.hostname");
	linx_map_put_cstring(&a, "value", "verb-host");
	call_ok(reg, "sysctl.write", &a);
	sysctl_assert_oracle(NULL, "kernel.hostname", "verb-host");
	{
		struct linx_value l = linx_value_list();

		linx_list_push_int(&l, 4096);
		linx_list_push_uint(&l, 131072);
		linx_list_push_int(&l, 6291456);
		a = key_args("net.ipv4.tcp_wmem");
		linx_map_put(&a, "value", &l);
		call_ok(reg, "sysctl.write", &a);
		sysctl_assert_oracle(NULL, "net.ipv4.tcp_wmem",
				     "4096\t131072\t6291456");
	}
}

/* A value that is not UTF-8 goes in and comes out as bytes. */
static void check_bytes(struct linx_registry *reg)
{
	struct linx_value a, r;

	a = key_args("kernel.hostname");
	linx_map_put_bytes(&a, "value", "ct\xff\xfe", 4);
	call_ok(reg, "sysctl.write", &a);
	a = key_args("kernel.hostname");
	r = call_ok(reg, "sysctl.read", &a);
	ck_assert_int_eq(r.type, LINX_BYTES);
	ck_assert_uint_eq(r.len, 4);
	ck_assert(memcmp(r.bytes, "ct\xff\xfe", 4) == 0);
	linx_value_clear(&r);
}

/* list: maps of key, value and path, sorted. */
static void check_list(struct linx_registry *reg)
{
	struct linx_value a, r;
	const struct linx_value *m;

	a = linx_value_map();
	linx_map_put_cstring(&a, "prefix", "kernel.ostype");
	r = call_ok(reg, "sysctl.list", &a);
	ck_assert_int_eq(r.type, LINX_LIST);
	ck_assert_uint_eq(r.len, 1);
	m = &r.items[0];
	ck_assert_int_eq(m->type, LINX_MAP);
	ck_assert_uint_eq(m->len, 3);
	ck_assert_str_eq(linx_map_get(m, "key")->str, "kernel.ostype");
	ck_assert_str_eq(linx_map_get(m, "value")->str, "Linux");
	ck_assert_str_eq(linx_map_get(m, "path")->str,
			 "/proc/sys/kernel/ostype");
	linx_value_clear(&r);
	a = linx_value_map();
	r = call_ok(reg, "sysctl.list", &a);
	ck_assert_uint_gt(r.len, 500);
	for (uint32_t i = 1; i < r.len; i++)
		ck_assert(strcmp(linx_map_get(&r.items[i - 1], "key")->str,
				 linx_map_get(&r.items[i], "key")->str) < 0);
	linx_value_clear(&r);
}

static void check_contract(struct linx_registry *reg)
{
	check_reads(reg);
	check_writes(reg);
	check_bytes(reg);
	check_list(reg);
}

/* Each test runs in its own process: private namespaces for the writes. */
static void private_net_and_uts(void)
{
	linx_test_private_netns();
	ck_assert_int_eq(unshare(CLONE_NEWUTS), 0);
}

START_TEST(contract_static)
{
	struct linx_registry *reg = static_registry();

	private_net_and_uts();
	check_contract(reg);
	linx_registry_free(reg);
}
END_TEST

START_TEST(contract_module)
{
	struct linx_registry *reg = module_registry();

	private_net_and_uts();
	check_contract(reg);
	linx_registry_free(reg);
}
END_TEST

START_TEST(flags)
{
	static const struct {
		const char *name;
		uint32_t flags;
	} verbs[] = {
		{ "sysctl.read", LINX_VERB_BLOCKING },
		{ "sysctl.read_int", LINX_VERB_BLOCKING },
		{ "sysctl.read_ints", LINX_VERB_BLOCKING },
		{ "sysctl.write", LINX_VERB_BLOCKING },
		{ "sysctl.list", LINX_VERB_BLOCKING },
		{ "sysctl.supported", 0 },
		{ "sysctl.namespaces", 0 },
		{ "sysctl.reconcile", LINX_VERB_BLOCKING },
		{ "sysctl.diff", 0 },
		{ "sysctl.observe", LINX_VERB_BLOCKING },
	};
	struct linx_registry *reg = static_registry();
	const struct linx_verb *v;
	struct linx_error err;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		linx_assert_ok(linx_registry_find(reg, verbs[i].name, &v, &err),
			       &err);
		ck_assert_uint_eq(v->flags, verbs[i].flags);
		ck_assert_ptr_nonnull(v->result_doc);
	}
	while (linx_registry_verb(reg, n))
		n++;
	ck_assert_uint_eq(n, sizeof(verbs) / sizeof(verbs[0]));
	linx_registry_free(reg);
}
END_TEST

/* Which namespace each kind of key follows (proc(5), namespaces(7)). */
START_TEST(namespaces_of_keys)
{
	static const struct {
		const char *key, *owner; /* NULL: global */
	} cases[] = {
		{ "net.ipv4.ip_forward", "net" },
		{ "kernel.hostname", "uts" },
		{ "kernel.domainname", "uts" },
		{ "kernel.shmmax", "ipc" },
		{ "fs.mqueue.msg_max", "ipc" },
		{ "user.max_user_namespaces", "user" },
		{ "vm.swappiness", NULL },
		{ "kernel.ostype", NULL },
	};
	struct linx_registry *reg = static_registry();
	struct linx_error err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct linx_value args = linx_value_map(), res;

		linx_map_put_cstring(&args, "key", cases[i].key);
		linx_assert_ok(linx_call(reg, "sysctl.namespaces", &args, &res,
					 0, &err),
			       &err);
		ck_assert_int_eq(res.type, LINX_LIST);
		if (cases[i].owner) {
			ck_assert_msg(res.len == 1, "%s", cases[i].key);
			ck_assert_str_eq(res.items[0].str, cases[i].owner);
		} else {
			ck_assert_msg(res.len == 0, "%s", cases[i].key);
		}
		linx_value_clear(&res);
		linx_value_clear(&args);
	}
	{
		struct linx_value args = linx_value_map(), res;

		linx_map_put_cstring(&args, "key", "net/../../etc");
		ck_assert_int_eq(linx_call(reg, "sysctl.namespaces", &args,
					   &res, 0, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, "key");
		linx_value_clear(&args);
	}
	linx_registry_free(reg);
}
END_TEST

/* Every form `in` takes reaches the same child. */
START_TEST(in_forms)
{
	struct linx_registry *reg = static_registry();
	pid_t pid = linx_test_spawn_in_ns(CLONE_NEWNET | CLONE_NEWUTS);
	char path[64], *host = sysctl_test_oracle(NULL, "net.ipv4.ip_forward");
	struct linx_value a, r, in;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	for (int form = 0; form < 4; form++) {
		switch (form) {
		case 0:
			in = linx_value_int(pid);
			break;
		case 1:
			linx_value_cstring(&in, path);
			break;
		case 2:
			in = linx_value_map();
			linx_map_put_int(&in, "pid", pid);
			break;
		default:
			in = linx_value_map();
			linx_map_put_cstring(&in, "path", path);
			break;
		}
		a = key_args("net.ipv4.ip_forward");
		linx_map_put_int(&a, "value", (form & 1) ? 0 : 1);
		linx_map_put(&a, "in", &in);
		call_ok(reg, "sysctl.write", &a);
		sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", host);
		{
			char cmd[64];

			snprintf(cmd, sizeof(cmd), "nsenter -t %d -n", (int)pid);
			sysctl_assert_oracle(cmd, "net.ipv4.ip_forward",
					     (form & 1) ? "0" : "1");
		}
		a = key_args("net.ipv4.ip_forward");
		linx_map_put_int(&a, "in", pid);
		r = call_ok(reg, "sysctl.read_int", &a);
		ck_assert_int_eq(r.i, (form & 1) ? 0 : 1);
	}
	/* "self" and nil are the caller. */
	a = key_args("net.ipv4.ip_forward");
	linx_map_put_cstring(&a, "in", "self");
	r = call_ok(reg, "sysctl.read", &a);
	ck_assert_str_eq(r.str, host);
	linx_value_clear(&r);
	a = key_args("net.ipv4.ip_forward");
	linx_map_put_nil(&a, "in");
	r = call_ok(reg, "sysctl.read", &a);
	ck_assert_str_eq(r.str, host);
	linx_value_clear(&r);
	/* list in the child (the last form above wrote 0) */
	a = linx_value_map();
	linx_map_put_cstring(&a, "prefix", "net.ipv4.ip_forward");
	linx_map_put_int(&a, "in", pid);
	r = call_ok(reg, "sysctl.list", &a);
	ck_assert_uint_eq(r.len, 1);
	ck_assert_str_eq(linx_map_get(&r.items[0], "value")->str, "0");
	linx_value_clear(&r);
	free(host);
	linx_test_reap(pid);
	linx_registry_free(reg);
}
END_TEST

/* Missing, unknown and mistyped parameters: EINVAL naming the parameter,
 * before the verb runs. */
START_TEST(schema_errors)
{
	struct linx_registry *reg = static_registry();
	struct linx_value a, l;
	struct linx_error err;

	a = linx_value_map();
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "key");
	ck_assert_msg(strstr(err.message, "missing"), "%s", err.message);
	a = key_args("kernel.ostype");
	linx_map_put_int(&a, "foo", 1);
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "foo");
	a = linx_value_map();
	linx_map_put_int(&a, "key", 5);
	sysctl_assert_error(call_err(reg, "sysctl.read_int", &a, &err), &err,
			    EINVAL, "validate", "key");
	a = key_args("kernel.hostname");
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	a = key_args("kernel.hostname");
	l = linx_value_map();
	linx_map_put(&a, "value", &l);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	a = key_args("kernel.hostname");
	linx_map_put_bool(&a, "value", true);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	/* The spec's [4, 4, "1", 7]. */
	a = key_args("kernel.printk");
	l = linx_value_list();
	linx_list_push_int(&l, 4);
	linx_list_push_int(&l, 4);
	linx_list_push_cstring(&l, "1");
	linx_list_push_int(&l, 7);
	linx_map_put(&a, "value", &l);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	ck_assert_msg(strstr(err.message, "element 2"), "%s", err.message);
	a = key_args("kernel.ostype");
	linx_map_put_bool(&a, "in", true);
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "in");
	a = key_args("kernel.ostype");
	linx_map_put_int(&a, "in", -3);
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "in");
	a = key_args("kernel.ostype");
	linx_map_put_cstring(&a, "in", "proc/1/ns/net");
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "in");
	a = key_args("kernel.ostype");
	l = linx_value_map();
	linx_map_put_cstring(&l, "pid", "1");
	linx_map_put(&a, "in", &l);
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "in");
	a = linx_value_map();
	linx_map_put_int(&a, "prefix", 1);
	sysctl_assert_error(call_err(reg, "sysctl.list", &a, &err), &err,
			    EINVAL, "validate", "prefix");
	a = linx_value_map();
	linx_map_put_cstring(&a, "key", "kernel.ostype");
	sysctl_assert_error(call_err(reg, "sysctl.supported", &a, &err), &err,
			    EINVAL, "validate", "key");
	linx_registry_free(reg);
}
END_TEST

/* The typed API's errors come through unchanged. */
START_TEST(verb_errors)
{
	struct linx_registry *reg = static_registry();
	struct linx_value a, l;
	struct linx_error err;
	char big[70];

	a = key_args("linx.this.does.not.exist");
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    ENOENT, "read", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/linx/this/does/not/exist");
	a = key_args("net.ipv4.../etc/passwd");
	sysctl_assert_error(call_err(reg, "sysctl.read", &a, &err), &err,
			    EINVAL, "validate", "key");
	a = key_args("kernel.hostname");
	linx_map_put_cstring(&a, "value", "ct0\nct1");
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	ck_assert_msg(strstr(err.message, "newline"), "%s", err.message);
	a = key_args("kernel.hostname");
	linx_map_put_bytes(&a, "value", "ct0\0", 4);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	ck_assert_msg(strstr(err.message, "NUL"), "%s", err.message);
	memset(big, 'h', 65);
	big[65] = '\0';
	a = key_args("kernel.hostname");
	linx_map_put_cstring(&a, "value", big);
	linx_map_put_int(&a, "in", SYSCTL_TEST_NO_PID);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    E2BIG, "validate", "value");
	a = key_args("kernel.printk");
	l = linx_value_list();
	linx_map_put(&a, "value", &l);
	linx_map_put_int(&a, "in", SYSCTL_TEST_NO_PID);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    EINVAL, "validate", "value");
	a = key_args("kernel.hostname");
	linx_map_put_cstring(&a, "value", "x");
	linx_map_put_int(&a, "in", SYSCTL_TEST_NO_PID);
	sysctl_assert_error(call_err(reg, "sysctl.write", &a, &err), &err,
			    ENOENT, "open_ns", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
	a = key_args("kernel.ostype");
	sysctl_assert_error(call_err(reg, "sysctl.read_int", &a, &err), &err,
			    EINVAL, "parse", NULL);
	a = key_args("kernel.printk");
	sysctl_assert_error(call_err(reg, "sysctl.read_int", &a, &err), &err,
			    EINVAL, "parse", NULL);
	a = linx_value_map();
	linx_map_put_cstring(&a, "prefix", "linx.does.not.exist");
	sysctl_assert_error(call_err(reg, "sysctl.list", &a, &err), &err,
			    ENOENT, "list", NULL);
	a = linx_value_map();
	linx_map_put_cstring(&a, "prefix", "");
	sysctl_assert_error(call_err(reg, "sysctl.list", &a, &err), &err,
			    EINVAL, "validate", "prefix");
	/* Without an error struct: the same results, no crash. */
	a = key_args("kernel.hostname");
	linx_map_put_cstring(&a, "value", "x");
	linx_map_put_int(&a, "in", SYSCTL_TEST_NO_PID);
	{
		struct linx_value res = linx_value_nil();

		ck_assert_int_eq(linx_call(reg, "sysctl.write", &a, &res, 0,
					   NULL),
				 -ENOENT);
		linx_value_clear(&a);
		a = key_args("a..b");
		ck_assert_int_eq(linx_call(reg, "sysctl.read", &a, &res, 0,
					   NULL),
				 -EINVAL);
		linx_value_clear(&a);
		a = linx_value_map();
		linx_map_put_int(&a, "in", SYSCTL_TEST_NO_PID);
		ck_assert_int_eq(linx_call(reg, "sysctl.list", &a, &res, 0,
					   NULL),
				 -ENOENT);
		linx_value_clear(&a);
	}
	linx_registry_free(reg);
}
END_TEST

/* Through the loaded module too: no descriptor or process left behind by
 * many calls into another process's namespaces, including the forked
 * helper for a user namespace. */
START_TEST(module_no_leaks)
{
	struct linx_registry *reg = module_registry();
	pid_t net = linx_test_spawn_in_ns(CLONE_NEWNET);
	pid_t user = linx_test_spawn_in_ns(CLONE_NEWUSER);
	struct linx_value a, r;
	int fds, status;

	a = key_args("net.ipv4.ip_forward");
	linx_map_put_int(&a, "in", net);
	r = call_ok(reg, "sysctl.read_int", &a);
	fds = linx_test_count_fds();
	for (int i = 0; i < 100; i++) {
		a = key_args("net.ipv4.ip_forward");
		linx_map_put_int(&a, "value", i & 1);
		linx_map_put_int(&a, "in", net);
		call_ok(reg, "sysctl.write", &a);
		a = key_args("net.ipv4.ip_forward");
		linx_map_put_int(&a, "in", net);
		r = call_ok(reg, "sysctl.read_int", &a);
		ck_assert_int_eq(r.i, i & 1);
	}
	for (int i = 0; i < 20; i++) {
		a = key_args("user.max_user_namespaces");
		linx_map_put_int(&a, "value", 500 + i);
		linx_map_put_int(&a, "in", user);
		call_ok(reg, "sysctl.write", &a);
		a = linx_value_map();
		linx_map_put_cstring(&a, "prefix", "user");
		linx_map_put_int(&a, "in", user);
		r = call_ok(reg, "sysctl.list", &a);
		ck_assert_uint_gt(r.len, 5);
		linx_value_clear(&r);
	}
	a = key_args("user.max_user_namespaces");
	linx_map_put_int(&a, "in", user);
	r = call_ok(reg, "sysctl.read_int", &a);
	ck_assert_int_eq(r.i, 519);
	ck_assert_int_eq(linx_test_count_fds(), fds);
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), 0);
	linx_test_reap(net);
	linx_test_reap(user);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-verbs");
	TCase *tc = tcase_create("verbs");

	linx_test_require_root();
	linx_test_require(sysctl_test_have("sysctl") &&
				  sysctl_test_have("nsenter"),
			  "needs sysctl (procps) and nsenter (util-linux) as "
			  "oracles");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, contract_static);
	tcase_add_test(tc, contract_module);
	tcase_add_test(tc, flags);
	tcase_add_test(tc, namespaces_of_keys);
	tcase_add_test(tc, in_forms);
	tcase_add_test(tc, schema_errors);
	tcase_add_test(tc, verb_errors);
	tcase_add_test(tc, module_no_leaks);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
