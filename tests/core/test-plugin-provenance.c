/* SPDX-License-Identifier: MIT */
/*
 * Plugin provenance: a plugin file, or a directory above it, that someone
 * other than root or the effective uid owns or can write is refused with
 * EPERM and listed under `refused` with the reason; a sticky directory is
 * excused; LINX_REGISTRY_UNCHECKED and $LINX_PLUGIN_UNCHECKED turn the
 * check off on purpose.  Needs root (chown to another user).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linx-test.h"

#ifndef SYSCTL_MODULE
#error SYSCTL_MODULE must be defined
#endif

#define OTHER_UID 4242
#define THIRD_UID 4343

static char top[64];

/* A private directory under /tmp (itself sticky), mode 0755. */
static void setup(void)
{
	unsetenv(LINX_PLUGIN_UNCHECKED_ENV);
	snprintf(top, sizeof(top), "/tmp/linx-provenance.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	ck_assert_int_eq(chmod(top, 0755), 0);
}

static void teardown(void)
{
	free(linx_test_sh(NULL, "rm -rf '%s'", top));
}

/* top/<sub>/sysctl.so (sub may be ""), directories 0755; the file path. */
static const char *place(const char *sub)
{
	static char file[PATH_MAX];
	char *out;
	int status;

	out = linx_test_sh(&status, "mkdir -p '%s/%s' && chmod 0755 '%s/%s' && "
				    "cp '%s' '%s/%s/sysctl.so' && "
				    "chmod 0755 '%s/%s/sysctl.so'",
			   top, sub, top, sub, SYSCTL_MODULE, top, sub, top,
			   sub);
	free(out);
	ck_assert_int_eq(status, 0);
	snprintf(file, sizeof(file), "%s%s%s/sysctl.so", top, *sub ? "/" : "",
		 sub);
	return file;
}

static void dir_of(const char *file, char *buf)
{
	snprintf(buf, PATH_MAX, "%s", file);
	*strrchr(buf, '/') = '\0';
}

struct seen {
	int n;
	struct linx_error err;
};

static void on_refused(void *arg, const char *name, const char *file,
		       const struct linx_error *err)
{
	struct seen *s = arg;

	(void)name;
	(void)file;
	if (s->n++ == 0)
		s->err = *err;
}

/* Scan the file's directory with `flags`; returns what load_all did. */
static int scan(const char *file, uint32_t flags, struct seen *seen)
{
	struct linx_registry *reg;
	struct linx_error err;
	char dir[PATH_MAX];
	int r;

	dir_of(file, dir);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH | flags,
					 &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, dir, &err), &err);
	r = linx_registry_load_all(reg, on_refused, seen, &err);
	if (r == 0)
		ck_assert_str_eq(linx_registry_plugin(reg, 0, NULL)->name,
				 "sysctl");
	linx_registry_free(reg);
	return r;
}

static void expect_loads(const char *file)
{
	struct seen seen = { 0 };

	ck_assert_msg(scan(file, 0, &seen) == 0, "refused: %s",
		      seen.err.message);
}

/* Refused with EPERM and `why`, under `refused`; loads when unchecked by
 * flag or by environment. */
static void expect_refused(const char *file, const char *why)
{
	struct seen seen = { 0 };
	struct linx_registry *reg;
	struct linx_error err;

	ck_assert_int_eq(scan(file, 0, &seen), 1);
	ck_assert_int_eq(seen.err.code, EPERM);
	ck_assert_str_eq(seen.err.object, file);
	ck_assert_msg(strstr(seen.err.message, why), "expected \"%s\" in: %s",
		      why, seen.err.message);
	ck_assert_msg(strstr(seen.err.message, LINX_PLUGIN_UNCHECKED_ENV),
		      "the way out is not named: %s", seen.err.message);
	/* By path too. */
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	ck_assert_int_eq(linx_registry_load_file(reg, file, &err), -EPERM);
	linx_registry_free(reg);
	/* On purpose. */
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(scan(file, LINX_REGISTRY_UNCHECKED, &seen), 0);
	setenv(LINX_PLUGIN_UNCHECKED_ENV, "1", 1);
	ck_assert_int_eq(scan(file, 0, &seen), 0);
	setenv(LINX_PLUGIN_UNCHECKED_ENV, "0", 1);
	ck_assert_int_eq(scan(file, 0, &seen), 1);
	unsetenv(LINX_PLUGIN_UNCHECKED_ENV);
}

START_TEST(safe_file_loads)
{
	expect_loads(place(""));
	expect_loads(place("a/b"));
}
END_TEST

START_TEST(world_writable_file)
{
	const char *file = place("");

	ck_assert_int_eq(chmod(file, 0757), 0);
	expect_refused(file, "the file is writable by others (mode 0757)");
}
END_TEST

START_TEST(group_writable_file)
{
	const char *file = place("");

	ck_assert_int_eq(chmod(file, 0775), 0);
	expect_refused(file, "the file is writable by its group (mode 0775)");
}
END_TEST

START_TEST(writable_directory)
{
	const char *file = place("d");
	char dir[PATH_MAX], why[PATH_MAX + 64];

	dir_of(file, dir);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(why, sizeof(why),
		 "directory %s is writable by its group and others", dir);
	expect_refused(file, why);
	ck_assert_int_eq(chmod(dir, 0775), 0);
	snprintf(why, sizeof(why), "directory %s is writable by its group",
		 dir);
	expect_refused(file, why);
}
END_TEST

/* Writable, but sticky: nobody else can replace our entries (/tmp). */
START_TEST(sticky_directory_excused)
{
	const char *file = place("d");
	char dir[PATH_MAX];

	dir_of(file, dir);
	ck_assert_int_eq(chmod(dir, 01777), 0);
	expect_loads(file);
}
END_TEST

/* Not only the file's own directory: every one above it. */
START_TEST(writable_ancestor)
{
	const char *file = place("up/down");
	char up[PATH_MAX], why[PATH_MAX + 64];

	snprintf(up, sizeof(up), "%s/up", top);
	ck_assert_int_eq(chmod(up, 0757), 0);
	snprintf(why, sizeof(why), "directory %s is writable by others", up);
	expect_refused(file, why);
}
END_TEST

START_TEST(file_of_another_user)
{
	const char *file = place("");

	ck_assert_int_eq(chown(file, OTHER_UID, 0), 0);
	expect_refused(file, "the file is owned by uid 4242, neither root "
			     "nor the effective uid 0");
}
END_TEST

START_TEST(directory_of_another_user)
{
	const char *file = place("d");
	char dir[PATH_MAX], why[PATH_MAX + 64];

	dir_of(file, dir);
	ck_assert_int_eq(chown(dir, OTHER_UID, 0), 0);
	snprintf(why, sizeof(why), "directory %s is owned by uid 4242", dir);
	expect_refused(file, why);
}
END_TEST

/* The real location is checked, not the name on the search path: a link
 * in a safe directory to a file in an unsafe one is refused; a link in an
 * unsafe directory to a safe file loads that safe file. */
START_TEST(symlinks_resolved)
{
	const char *file = place("unsafe");
	char safe[PATH_MAX], link[PATH_MAX + 16], unsafe[PATH_MAX];
	struct seen seen = { 0 };

	dir_of(file, unsafe);
	ck_assert_int_eq(chmod(unsafe, 0777), 0);
	snprintf(safe, sizeof(safe), "%s/safe", top);
	ck_assert_int_eq(mkdir(safe, 0755), 0);
	snprintf(link, sizeof(link), "%s/sysctl.so", safe);
	ck_assert_int_eq(symlink(file, link), 0);
	ck_assert_int_eq(scan(link, 0, &seen), 1);
	ck_assert_msg(strstr(seen.err.message, unsafe), "%s",
		      seen.err.message);
	/* And the other way round. */
	ck_assert_int_eq(unlink(link), 0);
	ck_assert_int_eq(chmod(unsafe, 0755), 0);
	ck_assert_int_eq(rename(file, link), 0);
	ck_assert_int_eq(chmod(unsafe, 0777), 0);
	ck_assert_int_eq(symlink(link, file), 0);
	expect_loads(file);
}
END_TEST

/* Not root: a file the effective uid owns loads, one of a third user does
 * not, one of root does. */
START_TEST(effective_uid_trusted)
{
	const char *mine = place("mine");
	const char *theirs;
	char buf[PATH_MAX];
	struct seen seen = { 0 };

	snprintf(buf, sizeof(buf), "%s", mine);
	ck_assert_int_eq(chown(buf, OTHER_UID, OTHER_UID), 0);
	theirs = place("theirs");
	ck_assert_int_eq(chown(theirs, THIRD_UID, THIRD_UID), 0);
	ck_assert_int_eq(seteuid(OTHER_UID), 0);
	expect_loads(buf);
	ck_assert_int_eq(scan(theirs, 0, &seen), 1);
	ck_assert_msg(strstr(seen.err.message, "owned by uid 4343, neither "
					       "root nor the effective uid "
					       "4242"),
		      "%s", seen.err.message);
	ck_assert_int_eq(seteuid(0), 0);
	ck_assert_int_eq(chown(theirs, 0, 0), 0);
	ck_assert_int_eq(seteuid(OTHER_UID), 0);
	expect_loads(theirs);
	ck_assert_int_eq(seteuid(0), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin-provenance");
	TCase *tc = tcase_create("provenance");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, safe_file_loads);
	tcase_add_test(tc, world_writable_file);
	tcase_add_test(tc, group_writable_file);
	tcase_add_test(tc, writable_directory);
	tcase_add_test(tc, sticky_directory_excused);
	tcase_add_test(tc, writable_ancestor);
	tcase_add_test(tc, file_of_another_user);
	tcase_add_test(tc, directory_of_another_user);
	tcase_add_test(tc, symlinks_resolved);
	tcase_add_test(tc, effective_uid_trusted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	linx_test_require_root();
	return linx_test_run_suite(suite());
}
