/* SPDX-License-Identifier: MIT */
/*
 * Walking /proc/sys, compared key for key and value for value with
 * `sysctl -a` (procps), and the walk's guards: mounts and foreign
 * filesystems below /proc/sys are not entered.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysctl-test.h"

struct kv {
	char *key, *value;
};

struct kvs {
	struct kv *v;
	size_t n, cap;
};

static struct kv *kvs_find(struct kvs *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].key, key) == 0)
			return &s->v[i];
	return NULL;
}

/* Parse `sysctl -a --deprecated`: "key = value" lines, a multi-line value
 * repeated as one line per value line. */
static struct kvs procps_all(void)
{
	struct kvs s = { 0 };
	int status;
	char *out = linx_test_sh(&status, "sysctl -a --deprecated 2>/dev/null");
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = ");
		const char *value;
		struct kv *kv;

		if (!eq) {
			/* "key = " with an empty value loses its space to
			 * nothing, but keeps the " =" */
			size_t n = strlen(line);

			if (n < 2 || strcmp(line + n - 2, " =") != 0)
				continue;
			line[n - 2] = '\0';
			value = "";
		} else {
			*eq = '\0';
			value = eq + 3;
		}
		kv = kvs_find(&s, line);
		if (kv) {
			char *joined;

			ck_assert(asprintf(&joined, "%s\n%s", kv->value,
					   value) > 0);
			free(kv->value);
			kv->value = joined;
			continue;
		}
		if (s.n == s.cap) {
			s.cap = s.cap ? s.cap * 2 : 1024;
			s.v = realloc(s.v, s.cap * sizeof(*s.v));
			ck_assert_ptr_nonnull(s.v);
		}
		s.v[s.n].key = strdup(line);
		s.v[s.n].value = strdup(value);
		s.n++;
	}
	free(out);
	return s;
}

static bool within(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(key, prefix, n) == 0 && (key[n] == '\0' || key[n] == '.');
}

/* Compare our listing of `prefix` with procps' view of the same keys. */
static size_t compare_subtree(struct kvs *ps, const char *prefix)
{
	struct linx_sysctl_entry *e;
	struct linx_error err;
	size_t n, theirs = 0;

	linx_assert_ok(linx_sysctl_list(prefix, NULL, &e, &n, &err), &err);
	ck_assert_msg(n > 0, "%s: empty", prefix);
	for (size_t i = 0; i < n; i++) {
		struct kv *kv = kvs_find(ps, e[i].key);
		size_t vlen = strlen(e[i].value);

		ck_assert_msg(within(e[i].key, prefix), "%s outside %s",
			      e[i].key, prefix);
		ck_assert_msg(kv != NULL, "%s: listed by linx, not by sysctl -a",
			      e[i].key);
		/* procps prints the value as read; ours is trimmed */
		while (strlen(kv->value) > vlen &&
		       (kv->value[strlen(kv->value) - 1] == ' ' ||
			kv->value[strlen(kv->value) - 1] == '\t'))
			kv->value[strlen(kv->value) - 1] = '\0';
		ck_assert_msg(strcmp(kv->value, e[i].value) == 0,
			      "%s: linx \"%s\", sysctl -a \"%s\"", e[i].key,
			      e[i].value, kv->value);
		if (i)
			ck_assert_msg(strcmp(e[i - 1].key, e[i].key) < 0,
				      "not sorted: %s, %s", e[i - 1].key,
				      e[i].key);
	}
	for (size_t i = 0; i < ps->n; i++)
		if (within(ps->v[i].key, prefix))
			theirs++;
	ck_assert_msg(theirs == n, "%s: linx lists %zu keys, sysctl -a %zu",
		      prefix, n, theirs);
	linx_sysctl_list_free(e, n);
	return n;
}

static void kvs_free(struct kvs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].value);
	}
	free(s->v);
}

START_TEST(matches_sysctl_a)
{
	/* Subtrees whose values do not move by themselves (not
	 * fs.dentry-state, kernel.random.*, ...). */
	static const char *const stable[] = {
		"net", "user", "abi", "kernel.seccomp", "kernel.keys",
		"fs.inotify", "fs.mqueue", "fs.epoll", "kernel.printk",
		"kernel.ostype",
	};
	struct kvs ps;
	size_t total = 0;

	linx_test_private_netns(); /* quiet and private net.* */
	ps = procps_all();
	ck_assert_uint_gt(ps.n, 500);
	for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++)
		total += compare_subtree(&ps, stable[i]);
	/* A multi-line value, where the kernel has one (6.18 does). */
	if (access("/proc/sys/kernel/core_modes", R_OK) == 0)
		total += compare_subtree(&ps, "kernel.core_modes");
	ck_assert_uint_gt(total, 300);
	kvs_free(&ps);
}
END_TEST

/* The whole walk: every key procps lists is there, sorted, and only
 * readable knobs appear. */
START_TEST(whole_tree)
{
	struct linx_sysctl_entry *e;
	struct linx_error err;
	struct kvs ps;
	size_t n;

	linx_test_private_netns();
	linx_assert_ok(linx_sysctl_list(NULL, NULL, &e, &n, &err), &err);
	ps = procps_all();
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(strcmp(e[i - 1].key, e[i].key) < 0, "%s, %s",
			      e[i - 1].key, e[i].key);
	for (size_t i = 0; i < ps.n; i++) {
		bool found = false;

		/* binfmt_misc, when mounted there, is another filesystem,
		 * which a walk does not enter. */
		if (within(ps.v[i].key, "fs.binfmt_misc"))
			continue;

		for (size_t j = 0; j < n && !found; j++)
			found = strcmp(e[j].key, ps.v[i].key) == 0;
		ck_assert_msg(found, "sysctl -a lists %s, linx does not",
			      ps.v[i].key);
	}
	/* procps prints nothing for a file that reads as zero bytes
	 * (vm.stat_refresh; kernel.sched_energy_aware where energy-aware
	 * scheduling is impossible): Linx lists it, empty. */
	for (size_t j = 0; j < n; j++) {
		ck_assert_msg(kvs_find(&ps, e[j].key) || e[j].value_len == 0,
			      "linx lists %s = \"%s\", sysctl -a does not",
			      e[j].key, e[j].value);
		ck_assert_str_ne(e[j].key, "vm.drop_caches"); /* write-only */
		ck_assert_str_ne(e[j].key, "net.ipv4.route.flush");
	}
	kvs_free(&ps);
	linx_sysctl_list_free(e, n);
}
END_TEST

START_TEST(leaf_and_missing_prefixes)
{
	struct linx_sysctl_entry *e = NULL;
	struct linx_error err;
	size_t n = 99;

	linx_assert_ok(linx_sysctl_list("kernel.ostype", NULL, &e, &n, &err),
		       &err);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(e[0].key, "kernel.ostype");
	ck_assert_str_eq(e[0].value, "Linux");
	ck_assert_uint_eq(e[0].value_len, 5);
	ck_assert_str_eq(e[0].path, "/proc/sys/kernel/ostype");
	linx_sysctl_list_free(e, n);

	e = NULL;
	n = 99;
	sysctl_assert_error(linx_sysctl_list("linx.does.not.exist", NULL, &e,
					     &n, &err),
			    &err, ENOENT, "list", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/linx/does/not/exist");
	ck_assert_msg(strstr(err.message, "linx.does.not.exist"), "%s",
		      err.message);
	ck_assert_ptr_null(e); /* untouched on failure */
	ck_assert_uint_eq(n, 99);
	sysctl_assert_error(linx_sysctl_list("kernel.ostype.x", NULL, &e, &n,
					     &err),
			    &err, ENOENT, "list", NULL);
	/* A leaf that cannot be read answers with its own error. */
	sysctl_assert_error(linx_sysctl_list("vm.drop_caches", NULL, &e, &n,
					     &err),
			    &err, EACCES, "list", NULL);
	/* ...while in a walk it is skipped. */
	linx_assert_ok(linx_sysctl_list("vm", NULL, &e, &n, &err), &err);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_ne(e[i].key, "vm.drop_caches");
	linx_sysctl_list_free(e, n);
}
END_TEST

/* Interface names may contain dots: the key then reads naturally but does
 * not map back to the file, which is why entries carry their path. */
START_TEST(dotted_leaf_names)
{
	struct linx_sysctl_entry *e;
	struct linx_error err;
	char *value, *oracle;
	size_t n;
	bool found = false;
	int status;

	linx_test_require(sysctl_test_have("ip"), "needs ip (iproute2)");
	linx_test_private_netns();
	free(linx_test_sh(&status,
			  "ip link add a.b type veth peer name c.d 2>&1"));
	ck_assert_msg(status == 0, "ip link add veth a.b failed");
	linx_assert_ok(linx_sysctl_list("net.ipv4.conf", NULL, &e, &n, &err),
		       &err);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(e[i].key, "net.ipv4.conf.a.b.forwarding") != 0)
			continue;
		found = true;
		ck_assert_str_eq(e[i].path,
				 "/proc/sys/net/ipv4/conf/a.b/forwarding");
		/* procps writes the dot inside a name as a slash */
		oracle = sysctl_test_oracle(NULL,
					    "net.ipv4.conf.a/b.forwarding");
		ck_assert_ptr_nonnull(oracle);
		ck_assert_str_eq(e[i].value, oracle);
		free(oracle);
	}
	ck_assert_msg(found, "net.ipv4.conf.a.b.forwarding not listed");
	linx_sysctl_list_free(e, n);
	/* The dot form is ambiguous and resolves to a/b, which is not there. */
	sysctl_assert_error(linx_sysctl_read("net.ipv4.conf.a.b.forwarding",
					     NULL, &value, NULL, &err),
			    &err, ENOENT, "read", NULL);
	ck_assert_str_eq(err.object,
			 "/proc/sys/net/ipv4/conf/a/b/forwarding");
}
END_TEST

/* Something mounted below /proc/sys (binfmt_misc's usual place) is not
 * sysctl: neither a walk nor a read goes in. */
START_TEST(mounts_below_not_entered)
{
	struct linx_sysctl_entry *e;
	struct linx_error err;
	char *value;
	size_t n;
	int fd;

	linx_test_private_mounts();
	ck_assert_msg(mount("linx-test", "/proc/sys/fs/binfmt_misc", "tmpfs", 0,
			    NULL) == 0,
		      "mount tmpfs on /proc/sys/fs/binfmt_misc: %s",
		      strerror(errno));
	fd = open("/proc/sys/fs/binfmt_misc/fake", O_WRONLY | O_CREAT | O_CLOEXEC,
		  0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "planted\n", 8), 8);
	close(fd);

	linx_assert_ok(linx_sysctl_list("fs", NULL, &e, &n, &err), &err);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!within(e[i].key, "fs.binfmt_misc"),
			      "walked into a mount: %s", e[i].key);
	linx_sysctl_list_free(e, n);
	sysctl_assert_error(linx_sysctl_read("fs.binfmt_misc.fake", NULL,
					     &value, NULL, &err),
			    &err, EXDEV, "read", NULL);
}
END_TEST

/* If /proc/sys is not procfs, nothing under it is trusted. */
START_TEST(fake_proc_sys_refused)
{
	struct linx_sysctl_entry *e;
	struct linx_error err;
	char *value;
	size_t n;

	linx_test_private_mounts();
	ck_assert_int_eq(mount("linx-test", "/proc/sys", "tmpfs", 0, NULL), 0);
	ck_assert_int_eq(mkdir("/proc/sys/kernel", 0755), 0);
	free(linx_test_sh(NULL, "echo Fake > /proc/sys/kernel/ostype"));

	ck_assert(!linx_sysctl_supported());
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", NULL, &value,
					     NULL, &err),
			    &err, ENOTSUP, "read", NULL);
	ck_assert_str_eq(err.object, "/proc/sys");
	sysctl_assert_error(linx_sysctl_list(NULL, NULL, &e, &n, &err), &err,
			    ENOTSUP, "list", NULL);
	sysctl_assert_error(linx_sysctl_write("kernel.ostype", NULL, "x", &err),
			    &err, ENOTSUP, "write", NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-list");
	TCase *tc = tcase_create("list");

	linx_test_require_root();
	linx_test_require(linx_sysctl_supported(), "no /proc/sys here");
	linx_test_require(sysctl_test_have("sysctl"),
			  "needs sysctl (procps) as the oracle");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, matches_sysctl_a);
	tcase_add_test(tc, whole_tree);
	tcase_add_test(tc, leaf_and_missing_prefixes);
	tcase_add_test(tc, dotted_leaf_names);
	tcase_add_test(tc, mounts_below_not_entered);
	tcase_add_test(tc, fake_proc_sys_refused);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
