/* SPDX-License-Identifier: MIT */
/*
 * The mountinfo parser: the kernel's shapes (escapes, optional fields,
 * super options), garbage skipped, and the live table compared entry for
 * entry with findmnt(8).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/mount.h>

#include "linx-test.h"

static struct linx_mount_entry *parse(const char *text, size_t *n)
{
	struct linx_mount_entry *e = NULL;
	struct linx_error err;

	linx_assert_ok(linx_mount_parse(text, strlen(text), &e, n, &err), &err);
	return e;
}

START_TEST(kernel_shapes)
{
	const char *text =
		"36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root "
		"rw,errors=continue\n"
		"25 1 0:22 / /with\\040space\\011tab rw shared:7 "
		"propagate_from:2 unbindable - tmpfs my\\134src rw,size=1k\n"
		"26 1 0:23 / /x rw - proc proc\n"; /* no super options */
	struct linx_mount_entry *e;
	size_t n;

	e = parse(text, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(e[0].mount_id, 36);
	ck_assert_uint_eq(e[0].parent_id, 35);
	ck_assert_uint_eq(e[0].major, 98);
	ck_assert_uint_eq(e[0].minor, 0);
	ck_assert_str_eq(e[0].root, "/mnt1");
	ck_assert_str_eq(e[0].mount_point, "/mnt2");
	ck_assert_str_eq(e[0].mount_options, "rw,noatime");
	ck_assert_uint_eq(e[0].n_propagation, 1);
	ck_assert_uint_eq(e[0].propagation[0].kind, LINX_MOUNT_MASTER);
	ck_assert_uint_eq(e[0].propagation[0].group, 1);
	ck_assert_str_eq(e[0].fstype, "ext3");
	ck_assert_str_eq(e[0].source, "/dev/root");
	ck_assert_str_eq(e[0].super_options, "rw,errors=continue");
	ck_assert_str_eq(e[1].mount_point, "/with space\ttab");
	ck_assert_str_eq(e[1].source, "my\\src");
	ck_assert_uint_eq(e[1].n_propagation, 3);
	ck_assert_uint_eq(e[1].propagation[0].kind, LINX_MOUNT_SHARED);
	ck_assert_uint_eq(e[1].propagation[0].group, 7);
	ck_assert_uint_eq(e[1].propagation[1].kind,
			  LINX_MOUNT_PROPAGATE_FROM);
	ck_assert_uint_eq(e[1].propagation[2].kind, LINX_MOUNT_UNBINDABLE);
	ck_assert_str_eq(e[2].super_options, "");
	linx_mount_entries_free(e, n);
}
END_TEST

START_TEST(garbage_is_skipped)
{
	static const char *const bad[] = {
		"",
		"\n\n\n",
		"36 35 98:0 /a /b rw master:1 ext3 /dev/root rw\n", /* no - */
		"x 35 98:0 /a /b rw - ext3 /dev/root rw\n",
		"36 35 98 /a /b rw - ext3 /dev/root rw\n",
		"36 35 98:0 /a /b rw -\n",
		"99999999999 35 98:0 /a /b rw - ext3 s rw\n",
		"36 35 98:0 /a /b rw - ext3\n",
		"36 35 98:0 /a\\9 /b rw weird:tag:1 - ext3 s rw\n",
	};
	struct linx_mount_entry *e;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = parse(bad[i], &n);
		/* Only the last one is whole (an unknown tag is ignored, a
		 * bad escape kept as written). */
		ck_assert_uint_eq(n, i == 8 ? 1 : 0);
		if (n) {
			ck_assert_str_eq(e[0].root, "/a\\9");
			ck_assert_uint_eq(e[0].n_propagation, 0);
		}
		linx_mount_entries_free(e, n);
	}
	/* A good line after garbage and before a truncated one. */
	e = parse("garbage\n1 0 0:1 / / rw - rootfs rootfs rw\n2 1 0:", &n);
	ck_assert_uint_eq(n, 1);
	linx_mount_entries_free(e, n);
}
END_TEST

/* Our table, as findmnt -J sees it: the same ids, targets and types. */
START_TEST(same_as_findmnt)
{
	struct linx_mount_entry *e;
	struct linx_error err;
	size_t n;
	int st;
	char *out;

	linx_test_require(linx_test_have("findmnt") && linx_test_have("jq"),
			  "findmnt or jq missing");
	out = linx_test_sh(&st, "findmnt -J --list -o ID,TARGET,FSTYPE | jq "
				"-r '.filesystems[] | \"\\(.id) \\(.target) "
				"\\(.fstype)\"' | sort -n");
	ck_assert_int_eq(st, 0);
	linx_assert_ok(linx_mount_list(0, NULL, &e, &n, &err), &err);
	{
		size_t cap = n * 512 + 1, len = 0;
		char *mine = malloc(cap), *cmd;
		char *sorted;

		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(mine + len, cap - len,
						"%u %s %s\n", e[i].mount_id,
						e[i].mount_point, e[i].fstype);
		ck_assert(asprintf(&cmd, "printf '%%s' '%s' | sort -n", mine) >
			  0);
		sorted = linx_test_sh(&st, "%s", cmd);
		ck_assert_str_eq(sorted, out);
		free(sorted);
		free(cmd);
		free(mine);
	}
	free(out);
	linx_mount_entries_free(e, n);
	ck_assert_int_eq(linx_mount_list(99999999, NULL, &e, &n, &err),
			 -ENOENT);
	ck_assert_str_eq(err.op, "read");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mountinfo");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, kernel_shapes);
	tcase_add_test(tc, garbage_is_skipped);
	tcase_add_test(tc, same_as_findmnt);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
