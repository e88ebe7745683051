/* SPDX-License-Identifier: MIT */
/*
 * The flat reconcile engine against a fake subsystem (a table of knobs in
 * memory): the three-way diff, best-effort passes, ownership threaded
 * through last_applied, and malformed inputs refused before any I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/reconcile.h>

#include "linx-test.h"

#define N_KNOBS 4

struct fake {
	const char *names[N_KNOBS];
	char values[N_KNOBS][32];
	bool broken[N_KNOBS]; /* writes fail with EACCES */
	int reads, writes;
};

static int find(struct fake *f, const char *key)
{
	for (int i = 0; i < N_KNOBS; i++)
		if (strcmp(f->names[i], key) == 0)
			return i;
	return -1;
}

static int render(void *ctx, const char *key, const struct linx_value *v,
		  char **ret, struct linx_error *err)
{
	char buf[32];

	(void)ctx;
	if (v->type == LINX_INT)
		snprintf(buf, sizeof(buf), "%lld", (long long)v->i);
	else if (v->type == LINX_STRING)
		snprintf(buf, sizeof(buf), "%s", v->str);
	else
		return linx_error_param(err, "validate", "desired",
					"%s: not a knob value", key);
	*ret = strdup(buf);
	return 0;
}

static int fake_read(void *ctx, const char *key, char **ret,
		     struct linx_error *err)
{
	struct fake *f = ctx;
	int i = find(f, key);

	f->reads++;
	if (i < 0)
		return linx_error_set(err, ENOENT, "read", "no knob %s", key);
	*ret = strdup(f->values[i]);
	return 0;
}

static int fake_write(void *ctx, const char *key, const char *text,
		      struct linx_error *err)
{
	struct fake *f = ctx;
	int i = find(f, key);

	f->writes++;
	if (i < 0)
		return linx_error_set(err, ENOENT, "write", "no knob %s", key);
	if (f->broken[i])
		return linx_error_set(err, EACCES, "write", "%s is read-only",
				      key);
	snprintf(f->values[i], sizeof(f->values[i]), "%s", text);
	return 0;
}

static struct fake fake_init(void)
{
	struct fake f = { .names = { "a", "b", "c", "d" } };

	strcpy(f.values[0], "1");
	strcpy(f.values[1], "2");
	strcpy(f.values[2], "x  y");
	strcpy(f.values[3], "9");
	return f;
}

static struct linx_reconcile_flat engine(struct fake *f)
{
	return (struct linx_reconcile_flat){ .render = render,
					     .read = fake_read,
					     .write = fake_write,
					     .ctx = f };
}

static const struct linx_value *get(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	ck_assert_msg(v != NULL, "no \"%s\"", k);
	return v;
}

/* "set:a,release:d" for a list of ops. */
static char *ops_text(const struct linx_value *ops)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < ops->len; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%s",
					i ? "," : "",
					get(&ops->items[i], "op")->str,
					get(&ops->items[i], "key")->str);
	return buf;
}

START_TEST(diff_is_three_way)
{
	struct fake f = fake_init();
	struct linx_reconcile_flat e = engine(&f);
	struct linx_value observed = linx_value_map(), desired = linx_value_map(),
			  last = linx_value_map(), rec = linx_value_map(), ops;
	struct linx_error err;

	linx_map_put_cstring(&observed, "a", "1");
	linx_map_put_cstring(&observed, "b", "2");
	linx_map_put_cstring(&observed, "c", "x\ty\n");
	linx_map_put_int(&desired, "a", 1);	  /* holds */
	linx_map_put_int(&desired, "b", 3);	  /* differs */
	linx_map_put_cstring(&desired, "c", "x y"); /* holds, blanks aside */
	linx_map_put_int(&desired, "e", 5);	  /* unobserved */
	linx_map_put_int(&rec, "applied", 4);
	linx_map_put_cstring(&rec, "original", "9");
	linx_map_put(&last, "d", &rec); /* ours, no longer desired */
	linx_assert_ok(linx_reconcile_flat_diff(&e, &observed, &desired, &last,
						0, &ops, &err),
		       &err);
	ck_assert_str_eq(ops_text(&ops), "set:b,set:e,release:d");
	ck_assert_int_eq(get(&ops.items[0], "value")->i, 3);
	linx_value_clear(&ops);
	/* Reverting gives the captured original back. */
	linx_assert_ok(linx_reconcile_flat_diff(
			       &e, &observed, &desired, &last,
			       LINX_RECONCILE_REVERT_ON_RELEASE, &ops, &err),
		       &err);
	ck_assert_str_eq(ops_text(&ops), "set:b,set:e,revert:d");
	ck_assert_str_eq(get(&ops.items[2], "value")->str, "9");
	linx_value_clear(&ops);
	/* Pure: nothing was read or written. */
	ck_assert_int_eq(f.reads + f.writes, 0);
	linx_value_clear(&observed);
	linx_value_clear(&desired);
	linx_value_clear(&last);
}
END_TEST

START_TEST(pass_applies_and_threads_ownership)
{
	struct fake f = fake_init();
	struct linx_reconcile_flat e = engine(&f);
	struct linx_value desired = linx_value_map(), report, report2, last;
	struct linx_error err;

	linx_map_put_int(&desired, "a", 1);
	linx_map_put_int(&desired, "b", 7);
	linx_map_put_int(&desired, "d", 8);
	linx_assert_ok(linx_reconcile_flat_pass(&e, &desired, NULL, 0, &report,
						&err),
		       &err);
	ck_assert(get(&report, "converged")->b);
	ck_assert_str_eq(ops_text(get(&report, "applied")), "set:b,set:d");
	ck_assert_uint_eq(get(&report, "failed")->len, 0);
	ck_assert_uint_eq(get(&report, "pending")->len, 0);
	ck_assert_str_eq(f.values[1], "7");
	/* Every desired key is owned, with what it held before. */
	last = *get(&report, "last_applied");
	ck_assert_uint_eq(last.len, 3);
	ck_assert_str_eq(get(get(&last, "b"), "original")->str, "2");
	ck_assert_str_eq(get(get(&last, "a"), "original")->str, "1");
	ck_assert_int_eq(get(get(&last, "d"), "applied")->i, 8);

	/* Drift on b, d leaves desired: b is healed, d reverted to 9, and
	 * the original of b stays the first one seen. */
	strcpy(f.values[1], "0");
	linx_value_clear(&desired);
	desired = linx_value_map();
	linx_map_put_int(&desired, "a", 1);
	linx_map_put_int(&desired, "b", 7);
	linx_assert_ok(linx_reconcile_flat_pass(
			       &e, &desired, get(&report, "last_applied"),
			       LINX_RECONCILE_REVERT_ON_RELEASE, &report2, &err),
		       &err);
	ck_assert_str_eq(ops_text(get(&report2, "applied")), "set:b,revert:d");
	ck_assert_str_eq(f.values[1], "7");
	ck_assert_str_eq(f.values[3], "9");
	last = *get(&report2, "last_applied");
	ck_assert_ptr_null(linx_map_get(&last, "d"));
	ck_assert_str_eq(get(get(&last, "b"), "original")->str, "2");
	linx_value_clear(&report);
	linx_value_clear(&report2);

	/* A third pass is a no-op: nothing written. */
	f.writes = 0;
	linx_assert_ok(linx_reconcile_flat_pass(&e, &desired, NULL, 0, &report,
						&err),
		       &err);
	ck_assert_uint_eq(get(&report, "applied")->len, 0);
	ck_assert_int_eq(f.writes, 0);
	linx_value_clear(&report);
	linx_value_clear(&desired);
}
END_TEST

START_TEST(failures_are_collected_not_fatal)
{
	struct fake f = fake_init();
	struct linx_reconcile_flat e = engine(&f);
	struct linx_value desired = linx_value_map(), report;
	const struct linx_value *failed, *error;
	struct linx_error err;

	f.broken[0] = true;
	linx_map_put_int(&desired, "a", 5); /* fails: EACCES */
	linx_map_put_int(&desired, "b", 6); /* still applied */
	linx_map_put_int(&desired, "zz", 1); /* unreadable, then ENOENT */
	linx_assert_ok(linx_reconcile_flat_pass(&e, &desired, NULL, 0, &report,
						&err),
		       &err);
	ck_assert(!get(&report, "converged")->b);
	ck_assert_str_eq(ops_text(get(&report, "applied")), "set:b");
	failed = get(&report, "failed");
	ck_assert_uint_eq(failed->len, 2);
	error = get(&failed->items[0], "error");
	ck_assert_str_eq(get(error, "errno")->str, "eacces");
	ck_assert_int_eq(get(error, "code")->i, EACCES);
	ck_assert_str_eq(get(error, "op")->str, "write");
	ck_assert_str_eq(get(get(&failed->items[1], "op"), "key")->str, "zz");
	/* What failed is not owned: releasing it later would be a lie. */
	ck_assert_ptr_null(linx_map_get(get(&report, "last_applied"), "a"));
	ck_assert_str_eq(f.values[1], "6");
	linx_value_clear(&report);
	linx_value_clear(&desired);
}
END_TEST

START_TEST(malformed_input_touches_nothing)
{
	struct fake f = fake_init();
	struct linx_reconcile_flat e = engine(&f);
	struct linx_value desired = linx_value_map(), bad_last = linx_value_map(),
			  report = linx_value_nil(), list = linx_value_list();
	struct linx_error err;

	linx_map_put_int(&desired, "a", 5);
	linx_map_put(&desired, "b", &list); /* render refuses a list */
	ck_assert_int_eq(linx_reconcile_flat_pass(&e, &desired, NULL, 0,
						  &report, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "desired");
	ck_assert_int_eq(f.reads + f.writes, 0);
	ck_assert_str_eq(f.values[0], "1");
	linx_value_clear(&desired);
	desired = linx_value_map();
	linx_map_put_int(&desired, "a", 5);
	linx_map_put_int(&bad_last, "d", 3); /* not {applied, original} */
	ck_assert_int_eq(linx_reconcile_flat_pass(&e, &desired, &bad_last, 0,
						  &report, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "last_applied");
	ck_assert_int_eq(linx_reconcile_flat_pass(&e, &bad_last, NULL, 1u << 9,
						  &report, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_reconcile_flat_pass(&e, NULL, NULL, 0, &report,
						  &err),
			 -EINVAL);
	ck_assert_int_eq(f.reads + f.writes, 0);
	ck_assert_int_eq(report.type, LINX_NIL);
	linx_value_clear(&desired);
	linx_value_clear(&bad_last);
}
END_TEST

/* The report is plain data: it survives the codec (and so JSON and the
 * agent's wire) unchanged, so last_applied can cross processes. */
START_TEST(report_round_trips)
{
	struct fake f = fake_init();
	struct linx_reconcile_flat e = engine(&f);
	struct linx_value desired = linx_value_map(), report, back;
	struct linx_error err;
	void *buf;
	size_t len;

	linx_map_put_int(&desired, "b", 4);
	linx_assert_ok(linx_reconcile_flat_pass(&e, &desired, NULL, 0, &report,
						&err),
		       &err);
	linx_assert_ok(linx_value_encode(&report, &buf, &len, &err), &err);
	linx_assert_ok(linx_value_decode(buf, len, &back, &err), &err);
	ck_assert(linx_value_equal(&report, &back));
	free(buf);
	linx_value_clear(&back);
	linx_value_clear(&report);
	linx_value_clear(&desired);
}
END_TEST

/* The engine's comparison, shared with plugins that add a rule of their
 * own (cgroup's cpu.max): blanks collapse and trim, words still count. */
START_TEST(same_text_ignores_blanks_only)
{
	ck_assert(linx_reconcile_same_text("4\t4\t1\t7\n", "4 4 1 7"));
	ck_assert(linx_reconcile_same_text("  x \r\v\f y  ", "x y"));
	ck_assert(linx_reconcile_same_text("", " \n"));
	ck_assert(!linx_reconcile_same_text("x y", "xy"));
	ck_assert(!linx_reconcile_same_text("x", "x y"));
	ck_assert(!linx_reconcile_same_text("max 100000", "max"));
	ck_assert(!linx_reconcile_same_text("10", "1"));
}
END_TEST

START_TEST(revert_flag_from_argument)
{
	struct linx_value yes = linx_value_bool(true);
	struct linx_value no = linx_value_bool(false);

	ck_assert_uint_eq(linx_reconcile_flags(&yes),
			  LINX_RECONCILE_REVERT_ON_RELEASE);
	ck_assert_uint_eq(linx_reconcile_flags(&no), 0);
	ck_assert_uint_eq(linx_reconcile_flags(NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("flat");

	tcase_add_test(tc, diff_is_three_way);
	tcase_add_test(tc, pass_applies_and_threads_ownership);
	tcase_add_test(tc, failures_are_collected_not_fatal);
	tcase_add_test(tc, malformed_input_touches_nothing);
	tcase_add_test(tc, report_round_trips);
	tcase_add_test(tc, same_text_ignores_blanks_only);
	tcase_add_test(tc, revert_flag_from_argument);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
