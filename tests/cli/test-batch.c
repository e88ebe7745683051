/* SPDX-License-Identifier: MIT */
/*
 * `linx batch PLUGIN < ops.jsonl` against the real rtnl plugin, each test
 * in a fresh network namespace with a veth pair, the routes it made
 * read back with `ip -j route` (iproute2 as the oracle): ops go in chunk
 * by chunk, kernel failures are reported by input line without stopping
 * the rest, and a malformed line or op stops the input exactly there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"
#include "linx-test.h"

#ifndef PLUGIN_DIR
#error PLUGIN_DIR must be defined
#endif

static void setup(void)
{
	int status;

	cli_plugin_path = PLUGIN_DIR;
	linx_test_private_netns();
	free(linx_test_sh(&status, "ip link add d0 type veth peer name d1 && "
				   "ip link set d0 up && ip link set d1 up"));
	ck_assert_int_eq(status, 0);
}

static char *route_op(const char *op, unsigned i)
{
	char *s;

	ck_assert_int_gt(asprintf(&s,
				  "{\"op\": \"%s\", \"dst\": \"10.%u.%u.%u/32\", "
				  "\"dev\": \"d0\", \"table\": 100}",
				  op, i >> 16 & 255, i >> 8 & 255, i & 255),
			 0);
	return s;
}

/* The destinations in table 100, per `ip -j route`, as a JSON array. */
static json_t *routes(void)
{
	int status;
	char *out = linx_test_sh(&status, "ip -j route show table 100");
	json_error_t e;
	json_t *j = json_loads(out[0] ? out : "[]", 0, &e);

	ck_assert_msg(status == 0 && json_is_array(j), "ip -j route: %s", out);
	free(out);
	return j;
}

static bool has_route(const json_t *rts, const char *dst)
{
	size_t i;
	json_t *r;

	json_array_foreach(rts, i, r) {
		const char *d = json_string_value(json_object_get(r, "dst"));

		if (d && strcmp(d, dst) == 0)
			return true;
	}
	return false;
}

/* The last line of stdout, the summary {"count", "failed"}. */
static void assert_summary(const struct cli_out *r, json_int_t count,
			   json_int_t failed)
{
	json_t *lines = cli_out_json_lines(r);
	json_t *sum = json_array_get(lines, json_array_size(lines) - 1);

	ck_assert_msg(sum, "no summary: %s", r->out);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "count")),
			 count);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "failed")),
			 failed);
	json_decref(lines);
}

START_TEST(routes_arrive_in_chunks)
{
	const unsigned n = 2500;
	size_t cap = n * 100 + 64, len = 0;
	char *in = malloc(cap);
	struct cli_out r;
	json_t *rts;

	setup();
	for (unsigned i = 0; i < n; i++) {
		char *op = route_op("route.add", i);

		/* a blank line counts as a line and is skipped */
		len += (size_t)snprintf(in + len, cap - len, "%s%s\n",
					i == 7 ? "\n" : "", op);
		free(op);
	}
	in[--len] = '\0'; /* the last line without its newline */
	cli_run_argv(&r, in, len,
		     (const char *const[]){ "batch", "rtnl", "--chunk", "1000",
					    NULL });
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_summary(&r, n, 0);
	rts = routes();
	ck_assert_int_eq(json_array_size(rts), n);
	ck_assert(has_route(rts, "10.0.0.0"));
	ck_assert(has_route(rts, "10.0.9.195")); /* 2499 */
	json_decref(rts);
	cli_out_free(&r);
	free(in);
}
END_TEST

START_TEST(kernel_failures_name_their_line)
{
	char *a = route_op("route.add", 1), *b = route_op("route.add", 2);
	char *d = route_op("route.delete", 9), *in;
	struct cli_out r;
	json_t *lines, *e, *rts;

	setup();
	/* line 2 exists already (EEXIST), line 4 does not (ESRCH) */
	ck_assert_int_gt(asprintf(&in, "%s\n%s\n%s\n%s\n", a, a, b, d), 0);
	cli_run_stdin(&r, in, "batch", "rtnl");
	ck_assert_int_eq(r.status, 1);
	lines = cli_out_json_lines(&r);
	ck_assert_int_eq(json_array_size(lines), 3);
	e = json_array_get(lines, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(e, "line")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(e, "errno")),
			 "eexist");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 17);
	ck_assert_ptr_null(json_object_get(e, "index"));
	e = json_array_get(lines, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(e, "line")), 4);
	ck_assert_str_eq(json_string_value(json_object_get(e, "op")),
			 "route.delete");
	assert_summary(&r, 4, 2);
	/* the failure did not stop line 3 */
	rts = routes();
	ck_assert_int_eq(json_array_size(rts), 2);
	ck_assert(has_route(rts, "10.0.0.1"));
	ck_assert(has_route(rts, "10.0.0.2"));
	json_decref(rts);
	json_decref(lines);
	cli_out_free(&r);
	free(a);
	free(b);
	free(d);
	free(in);
}
END_TEST

/* Everything before the first bad line is applied, nothing from it on,
 * whether the line is not JSON or is an op the verb refuses, and wherever
 * the chunk boundaries fall. */
START_TEST(a_bad_line_stops_there)
{
	static const char *const bad[] = {
		"{\"op\": \"route.add\", \"dst\": ",
		"[1, 2]",
		"{\"op\": \"route.add\", \"dst\": \"10.0.0.4/32\", \"dev\": "
		"\"d0\", \"table\": 100, \"colour\": \"red\"}",
		"{\"op\": \"no.such\"}",
		"{\"op\": \"route.add\", \"dst\": 1.5}",
	};
	static const char *const chunk[] = { "1", "2", "3", "8192" };

	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (size_t c = 0; c < sizeof(chunk) / sizeof(chunk[0]); c++) {
			char *l[6], *in;
			struct cli_out r;
			json_t *rts;
			int status;

			for (unsigned k = 0; k < 6; k++)
				l[k] = route_op("route.add", k);
			ck_assert_int_gt(asprintf(&in,
						  "%s\n%s\n%s\n%s\n%s\n%s\n",
						  l[0], l[1], l[2], bad[i],
						  l[4], l[5]),
					 0);
			cli_run_argv(&r, in, strlen(in),
				     (const char *const[]){
					     "batch", "rtnl", "--chunk",
					     chunk[c], NULL });
			ck_assert_msg(r.status == 2, "%s: status %d (%s)",
				      bad[i], r.status, r.err);
			ck_assert_msg(strstr(r.err, "line 4"), "%s: %s",
				      bad[i], r.err);
			assert_summary(&r, 3, 0);
			rts = routes();
			ck_assert_msg(json_array_size(rts) == 3,
				      "%s, chunk %s: %zu routes", bad[i],
				      chunk[c], json_array_size(rts));
			ck_assert(has_route(rts, "10.0.0.2"));
			ck_assert(!has_route(rts, "10.0.0.4"));
			json_decref(rts);
			free(linx_test_sh(&status,
					  "ip route flush table 100"));
			for (unsigned k = 0; k < 6; k++)
				free(l[k]);
			free(in);
			cli_out_free(&r);
		}
}
END_TEST

START_TEST(usage_errors)
{
	struct cli_out r;

	setup();
	cli_run(&r, "batch");
	cli_assert_error(&r, 2, "missing PLUGIN");
	cli_out_free(&r);
	cli_run(&r, "batch", "rtnl", "--chunk", "0");
	cli_assert_error(&r, 2, "--chunk");
	cli_out_free(&r);
	cli_run(&r, "batch", "rtnl", "--chunk", "-5");
	cli_assert_error(&r, 2, "--chunk");
	cli_out_free(&r);
	cli_run(&r, "batch", "rtnl", "ops:=[]");
	cli_assert_error(&r, 2, "do not pass \"ops\"");
	cli_out_free(&r);
	cli_run(&r, "batch", "sysctl");
	cli_assert_error(&r, 2, "has no batch verb");
	cli_out_free(&r);
	cli_run(&r, "batch", "nosuch");
	cli_assert_error(&r, 2, "no plugin");
	cli_out_free(&r);
	/* nothing on stdin: nothing to do */
	cli_run(&r, "batch", "rtnl");
	ck_assert_int_eq(r.status, 0);
	assert_summary(&r, 0, 0);
	cli_out_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-batch");
	TCase *tc = tcase_create("batch");

	linx_test_require_root();
	/* probed with ip(8), so this also checks iproute2 is there */
	linx_test_require(linx_test_link_kind_supported("veth"),
			  "cannot create veth links with ip(8)");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, routes_arrive_in_chunks);
	tcase_add_test(tc, kernel_failures_name_their_line);
	tcase_add_test(tc, a_bad_line_stops_there);
	tcase_add_test(tc, usage_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
