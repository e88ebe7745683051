/* SPDX-License-Identifier: MIT */
/*
 * The typed API's argument handling, without privileges and without
 * changing anything: key grammar, key -> path, the namespace each key
 * belongs to, value limits, and refusals that must come before any I/O.
 *
 * Every refusal test passes a target pid that cannot exist: had the
 * refusal come after the namespace entry, the error would be "open_ns"
 * instead, and nothing can reach this machine's own knobs.
 */
#include <limits.h>
#include <unistd.h>

#include "sysctl-internal.h"
#include "sysctl-test.h"

static const struct linx_ns_target nowhere = {
	.kind = LINX_NS_TARGET_PID,
	.pid = SYSCTL_TEST_NO_PID,
};

START_TEST(good_keys)
{
	static const char *const keys[] = {
		"kernel.ostype", "net.ipv4.conf.all.rp_filter", "a", "-",
		"A-b_c.9", "fs.inotify.max_user_watches",
		"net.ipv4.neigh.default.gc_thresh1",
	};
	char longest[LINX_SYSCTL_KEY_MAX + 1];
	struct linx_error err;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ck_assert_msg(linx_sysctl_key_valid(keys[i]), "%s", keys[i]);
		linx_assert_ok(linx_sysctl_key_validate(keys[i], &err), &err);
	}
	memset(longest, 'k', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	ck_assert(linx_sysctl_key_valid(longest));
}
END_TEST

/* Every malformed key the spec names, and the other ways out of
 * /proc/sys: each refused as EINVAL/validate/key before any I/O. */
START_TEST(bad_keys)
{
	static const char *const keys[] = {
		"",
		"net..ip_forward",
		"net.ipv4.../etc/passwd",
		".",
		"..",
		".net",
		"net.",
		"net/ipv4/ip_forward",
		"/proc/sys/kernel/ostype",
		"../../etc/passwd",
		"kernel.ostype ",
		" kernel.ostype",
		"kernel ostype",
		"kernel.os\ttype",
		"kernel.ostype\n",
		"kernel.*",
		"net.ipv4.conf.eth0:1.forwarding",
		"k\xc3\xa9rnel.ostype",
		"kernel.ostype;reboot",
	};
	char toolong[LINX_SYSCTL_KEY_MAX + 2];
	struct linx_error err;
	char *value = (char *)"untouched";
	int64_t i64 = 7;

	memset(toolong, 'k', sizeof(toolong) - 1);
	toolong[sizeof(toolong) - 1] = '\0';
	for (size_t i = 0; i <= sizeof(keys) / sizeof(keys[0]); i++) {
		const char *key = i < sizeof(keys) / sizeof(keys[0]) ? keys[i]
								     : toolong;

		ck_assert_msg(!linx_sysctl_key_valid(key), "\"%s\"", key);
		sysctl_assert_error(linx_sysctl_key_validate(key, &err), &err,
				    EINVAL, "validate", "key");
		sysctl_assert_error(linx_sysctl_read(key, &nowhere, &value,
						     NULL, &err),
				    &err, EINVAL, "validate", "key");
		ck_assert_str_eq(value, "untouched"); /* ret_* untouched */
		sysctl_assert_error(linx_sysctl_read_int(key, &nowhere, &i64,
							 &err),
				    &err, EINVAL, "validate", "key");
		ck_assert_int_eq(i64, 7);
		sysctl_assert_error(linx_sysctl_write(key, &nowhere, "1", &err),
				    &err, EINVAL, "validate", "key");
		sysctl_assert_error(linx_sysctl_write_int(key, &nowhere, 1,
							  &err),
				    &err, EINVAL, "validate", "key");
		ck_assert_int_eq(linx_sysctl_key_namespaces(key), 0);
	}
	/* NULL is a bad key too, with or without an error struct. */
	sysctl_assert_error(linx_sysctl_key_validate(NULL, &err), &err, EINVAL,
			    "validate", "key");
	ck_assert_int_eq(linx_sysctl_read(NULL, NULL, &value, NULL, NULL),
			 -EINVAL);
	ck_assert(!linx_sysctl_key_valid(NULL));
	/* The message says what and where. */
	linx_sysctl_key_validate("net..ip_forward", &err);
	ck_assert_msg(strstr(err.message, "net..ip_forward") &&
			      strstr(err.message, "byte 4"),
		      "%s", err.message);
	linx_sysctl_key_validate("net/ipv4", &err);
	ck_assert_msg(strstr(err.message, "slash"), "%s", err.message);
}
END_TEST

START_TEST(key_paths)
{
	struct linx_error err;
	char buf[LINX_SYSCTL_PATH_MAX], small[8];

	ck_assert_int_eq(linx_sysctl_key_path("net.ipv4.ip_forward", buf,
					      sizeof(buf), &err),
			 (int)strlen("/proc/sys/net/ipv4/ip_forward"));
	ck_assert_str_eq(buf, "/proc/sys/net/ipv4/ip_forward");
	linx_assert_ok(linx_sysctl_key_path("kernel.ostype", buf, sizeof(buf),
					    &err),
		       &err);
	ck_assert_str_eq(buf, "/proc/sys/kernel/ostype");
	linx_assert_ok(linx_sysctl_key_path("fs.binfmt_misc", buf, sizeof(buf),
					    &err),
		       &err);
	ck_assert_str_eq(buf, "/proc/sys/fs/binfmt_misc");
	sysctl_assert_error(linx_sysctl_key_path("kernel.ostype", small,
						 sizeof(small), &err),
			    &err, ENOBUFS, "validate", NULL);
	sysctl_assert_error(linx_sysctl_key_path("a..b", buf, sizeof(buf),
						 &err),
			    &err, EINVAL, "validate", "key");
}
END_TEST

START_TEST(key_namespaces)
{
	static const struct {
		const char *key;
		uint32_t ns;
	} cases[] = {
		{ "net", LINX_NS_NET },
		{ "net.ipv4.ip_forward", LINX_NS_NET },
		{ "net.core.somaxconn", LINX_NS_NET },
		{ "network.x", 0 },
		{ "kernel.hostname", LINX_NS_UTS },
		{ "kernel.domainname", LINX_NS_UTS },
		{ "kernel.hostnamex", 0 },
		{ "kernel.shmmax", LINX_NS_IPC },
		{ "kernel.sem", LINX_NS_IPC },
		{ "kernel.msgmnb", LINX_NS_IPC },
		{ "kernel.msg_next_id", LINX_NS_IPC },
		{ "fs.mqueue", LINX_NS_IPC },
		{ "fs.mqueue.msg_max", LINX_NS_IPC },
		{ "user.max_user_namespaces", LINX_NS_USER },
		{ "kernel.ns_last_pid", LINX_NS_PID },
		{ "kernel.ostype", 0 },
		{ "kernel", 0 },
		{ "vm.swappiness", 0 },
		{ "fs.file-max", 0 },
		{ "users.x", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(linx_sysctl_key_namespaces(cases[i].key) ==
				      cases[i].ns,
			      "%s: %#x, expected %#x", cases[i].key,
			      linx_sysctl_key_namespaces(cases[i].key),
			      cases[i].ns);
	/* A subtree's walk may meet every namespace owning a key in it. */
	ck_assert_uint_eq(sysctl_prefix_namespaces(NULL),
			  LINX_NS_NET | LINX_NS_UTS | LINX_NS_IPC |
				  LINX_NS_USER | LINX_NS_PID);
	ck_assert_uint_eq(sysctl_prefix_namespaces("kernel"),
			  LINX_NS_UTS | LINX_NS_IPC | LINX_NS_PID);
	ck_assert_uint_eq(sysctl_prefix_namespaces("fs"), LINX_NS_IPC);
	ck_assert_uint_eq(sysctl_prefix_namespaces("net.ipv4"), LINX_NS_NET);
	ck_assert_uint_eq(sysctl_prefix_namespaces("vm"), 0);
	ck_assert_uint_eq(sysctl_prefix_namespaces("kernel.hostname"),
			  LINX_NS_UTS);
}
END_TEST

START_TEST(value_limits)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	ck_assert_uint_eq(linx_sysctl_value_max("kernel.hostname"), 64);
	ck_assert_uint_eq(linx_sysctl_value_max("kernel.domainname"), 64);
	ck_assert_uint_eq(linx_sysctl_value_max("kernel.core_pattern"), 127);
	ck_assert_uint_eq(
		linx_sysctl_value_max("net.ipv6.conf.eth0.stable_secret"), 39);
	ck_assert_uint_eq(
		linx_sysctl_value_max("net.ipv6.conf.all.stable_secret"), 39);
	ck_assert_uint_eq(linx_sysctl_value_max("net.netfilter.nf_log.2"), 63);
	ck_assert_uint_eq(linx_sysctl_value_max("net.ipv4.tcp_fastopen_key"),
			  73);
	/* '*' is one component, no more, no less. */
	ck_assert_uint_eq(linx_sysctl_value_max("net.ipv6.conf.stable_secret"),
			  page - 1);
	ck_assert_uint_eq(
		linx_sysctl_value_max("net.ipv6.conf.a.b.stable_secret"),
		page - 1);
	ck_assert_uint_eq(linx_sysctl_value_max("vm.swappiness"), page - 1);
	ck_assert_uint_eq(linx_sysctl_value_max(NULL), page - 1);
}
END_TEST

/* Bad values are refused before the namespace entry: the target does not
 * exist, yet the error is about the value. */
START_TEST(bad_values)
{
	struct linx_error err;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *big = malloc(page + 1), host[65];
	int64_t ints[] = { 1, 2 };

	sysctl_assert_error(linx_sysctl_write("kernel.hostname", &nowhere,
					      "ct0\nct1", &err),
			    &err, EINVAL, "validate", "value");
	ck_assert_msg(strstr(err.message, "newline") &&
			      strstr(err.message, "kernel.hostname"),
		      "%s", err.message);
	ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
	sysctl_assert_error(linx_sysctl_write_bytes("kernel.hostname", &nowhere,
						    "ct0\0ct1", 7, &err),
			    &err, EINVAL, "validate", "value");
	ck_assert_msg(strstr(err.message, "NUL"), "%s", err.message);
	sysctl_assert_error(linx_sysctl_write("kernel.hostname", &nowhere, NULL,
					      &err),
			    &err, EINVAL, "validate", "value");
	sysctl_assert_error(linx_sysctl_write_bytes("kernel.hostname", &nowhere,
						    NULL, 3, &err),
			    &err, EINVAL, "validate", "value");
	sysctl_assert_error(linx_sysctl_write_ints("kernel.printk", &nowhere,
						   ints, 0, &err),
			    &err, EINVAL, "validate", "value");
	sysctl_assert_error(linx_sysctl_write_ints("kernel.printk", &nowhere,
						   NULL, 2, &err),
			    &err, EINVAL, "validate", "value");

	/* Over the kernel's limits: E2BIG, never a truncated write. */
	memset(host, 'h', 64);
	host[64] = '\0';
	sysctl_assert_error(linx_sysctl_write("kernel.hostname", &nowhere, host,
					      &err),
			    &err, ENOENT, "open_ns", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
	memset(host, 'h', 65);
	sysctl_assert_error(linx_sysctl_write_bytes("kernel.hostname", &nowhere,
						    host, 65, &err),
			    &err, E2BIG, "validate", "value");
	ck_assert_msg(strstr(err.message, "64") && strstr(err.message, "65"),
		      "%s", err.message);
	ck_assert(big != NULL);
	memset(big, '1', page);
	big[page] = '\0';
	sysctl_assert_error(linx_sysctl_write("net.ipv4.ip_forward", &nowhere,
					      big, &err),
			    &err, E2BIG, "validate", "value");
	sysctl_assert_error(linx_sysctl_write_int("kernel.printk_devkmsg",
						  &nowhere, 12345678901LL,
						  &err),
			    &err, E2BIG, "validate", "value");
	sysctl_assert_error(
		linx_sysctl_write("net.ipv6.conf.lo.stable_secret", &nowhere,
				  "0000:0000:0000:0000:0000:0000:0000:0001XYZ",
				  &err),
		&err, E2BIG, "validate", "value");
	free(big);
}
END_TEST

START_TEST(bad_targets)
{
	struct linx_error err;
	struct linx_ns_target t;
	char *value;

	t = (struct linx_ns_target){ .kind = 7 };
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", &t, &value, NULL,
					     &err),
			    &err, EINVAL, "validate", "in");
	t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID, .pid = 0 };
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", &t, &value, NULL,
					     &err),
			    &err, EINVAL, "validate", "in");
	t.pid = -5;
	sysctl_assert_error(linx_sysctl_write_int("kernel.ostype", &t, 1, &err),
			    &err, EINVAL, "validate", "in");
	t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PATH,
				     .path = "proc/1/ns/net" };
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", &t, &value, NULL,
					     &err),
			    &err, EINVAL, "validate", "in");
	t.path = NULL;
	sysctl_assert_error(linx_sysctl_list(NULL, &t, NULL, NULL, &err), &err,
			    EINVAL, "validate", "in");
	/* No place for a result. */
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", NULL, NULL, NULL,
					     &err),
			    &err, EINVAL, "validate", "ret");
	sysctl_assert_error(linx_sysctl_read_ints("kernel.printk", NULL, NULL,
						  NULL, &err),
			    &err, EINVAL, "validate", "ret");
	sysctl_assert_error(linx_sysctl_list("kernel", NULL, NULL, NULL, &err),
			    &err, EINVAL, "validate", "ret");
	sysctl_assert_error(linx_sysctl_list("", NULL, NULL, NULL, &err), &err,
			    EINVAL, "validate", "prefix");
	sysctl_assert_error(linx_sysctl_list("net..ipv4", NULL, NULL, NULL,
					     &err),
			    &err, EINVAL, "validate", "prefix");
	linx_sysctl_list_free(NULL, 3);
}
END_TEST

START_TEST(numbers)
{
	struct sysctl_number *v;
	const char *bad;
	size_t n;
	int64_t i;
	uint64_t u;
	char buf[24];

	ck_assert_int_eq(sysctl_parse_numbers("4\t4\t1\t7\n", &v, &n, &bad), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(sysctl_number_to_i64(&v[3], &i) && i == 7);
	free(v);
	ck_assert_int_eq(sysctl_parse_numbers("  ", &v, &n, &bad), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(sysctl_parse_numbers("-9223372036854775808 "
					      "18446744073709551615 -0",
					      &v, &n, &bad),
			 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(sysctl_number_to_i64(&v[0], &i) && i == INT64_MIN);
	ck_assert(!sysctl_number_to_u64(&v[0], &u));
	ck_assert(!sysctl_number_to_i64(&v[1], &i));
	ck_assert(sysctl_number_to_u64(&v[1], &u) && u == UINT64_MAX);
	ck_assert(!v[2].negative && v[2].magnitude == 0);
	free(v);
	ck_assert_int_eq(sysctl_parse_numbers("1 18446744073709551616", &v,
					      &n, &bad),
			 -ERANGE);
	ck_assert_int_eq(sysctl_parse_numbers("-9223372036854775809", &v, &n,
					      &bad),
			 0);
	ck_assert(!sysctl_number_to_i64(&v[0], &i));
	free(v);
	static const char *const junk[] = { "Linux", "1 x", "-", "--1", "+1",
					    "0x10", "1.5", "1,2" };
	for (size_t k = 0; k < sizeof(junk) / sizeof(junk[0]); k++)
		ck_assert_msg(sysctl_parse_numbers(junk[k], &v, &n, &bad) ==
				      -EINVAL,
			      "%s", junk[k]);
	ck_assert_uint_eq(sysctl_format_i64(buf, INT64_MIN), 20);
	ck_assert_str_eq(buf, "-9223372036854775808");
	ck_assert_uint_eq(sysctl_format_u64(buf, UINT64_MAX), 20);
	ck_assert_str_eq(buf, "18446744073709551615");
	sysctl_format_i64(buf, 0);
	ck_assert_str_eq(buf, "0");
	sysctl_format_i64(buf, -42);
	ck_assert_str_eq(buf, "-42");
}
END_TEST

/* Reading needs no privilege: content that is not one integer is a
 * "parse" error naming the key. */
START_TEST(parse_errors)
{
	struct linx_error err;
	int64_t i, *v;
	uint64_t u;
	size_t n;

	linx_test_require(linx_sysctl_supported(), "no /proc/sys");
	sysctl_assert_error(linx_sysctl_read_int("kernel.ostype", NULL, &i,
						 &err),
			    &err, EINVAL, "parse", NULL);
	ck_assert_msg(strstr(err.message, "kernel.ostype") &&
			      strstr(err.message, "Linux"),
		      "%s", err.message);
	ck_assert_str_eq(err.object, "/proc/sys/kernel/ostype");
	sysctl_assert_error(linx_sysctl_read_int("kernel.printk", NULL, &i,
						 &err),
			    &err, EINVAL, "parse", NULL);
	sysctl_assert_error(linx_sysctl_read_uint("kernel.ostype", NULL, &u,
						  &err),
			    &err, EINVAL, "parse", NULL);
	sysctl_assert_error(linx_sysctl_read_ints("kernel.ostype", NULL, &v,
						  &n, &err),
			    &err, EINVAL, "parse", NULL);
	linx_assert_ok(linx_sysctl_read_ints("kernel.printk", NULL, &v, &n,
					     &err),
		       &err);
	ck_assert_uint_eq(n, 4);
	free(v);
	/* kernel.shmmax defaults to ULONG_MAX - 2^24: only read_uint. */
	linx_assert_ok(linx_sysctl_read_uint("kernel.shmmax", NULL, &u, &err),
		       &err);
	if (u > (uint64_t)INT64_MAX)
		sysctl_assert_error(linx_sysctl_read_int("kernel.shmmax", NULL,
							 &i, &err),
				    &err, ERANGE, "parse", NULL);
	ck_assert(linx_sysctl_supported());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-key");
	TCase *tc = tcase_create("key");

	tcase_add_test(tc, good_keys);
	tcase_add_test(tc, bad_keys);
	tcase_add_test(tc, key_paths);
	tcase_add_test(tc, key_namespaces);
	tcase_add_test(tc, value_limits);
	tcase_add_test(tc, bad_values);
	tcase_add_test(tc, bad_targets);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, parse_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
