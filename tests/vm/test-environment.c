/* SPDX-License-Identifier: MIT */
/*
 * What the kernel suite is running on: the kernel version, the cgroup2
 * controllers at /sys/fs/cgroup, the link kinds a network namespace can
 * create and whether nft drives nf_tables.  Each test prints what it
 * found, so a log says where the suite ran.
 *
 * Where something is missing the binary skips as a whole, naming it; in
 * the VM lane (LINX_TEST_NO_SKIP=1, tests/vm/README) the same gap is a
 * failure, so a misconfigured VM is caught here before any test that
 * needs the feature.  Everything created lives in a private namespace.
 */
#include <errno.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#include "linx-test.h"

/* What the VM lane promises (tests/vm/README): every cgroup v2
 * controller of Debian's 6.12 kernel (Documentation/admin-guide/
 * cgroup-v2.rst), and the link kinds the rtnl tests create. */
static const char *const controllers[] = {
	"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc",
};
static const char *const link_kinds[] = {
	"veth", "bridge", "dummy", "macvlan", "ipvlan", "vlan",
};

/* Each test runs in a forked child: gaps are collected in shared memory
 * so main() can name them all in one skip message. */
struct gaps {
	char text[2048];
};
static struct gaps *gaps;

static bool no_skip(void)
{
	const char *v = getenv("LINX_TEST_NO_SKIP");

	return v && strcmp(v, "1") == 0;
}

static void missing(const char *fmt, ...) LINX_PRINTF(1, 2);
static void missing(const char *fmt, ...)
{
	char what[512];
	size_t len = strlen(gaps->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("  MISSING: %s\n", what);
	fflush(stdout);
	ck_assert_msg(!no_skip(), "%s (the VM lane must provide it)", what);
	snprintf(gaps->text + len, sizeof(gaps->text) - len, "%s%s",
		 len ? "; " : "", what);
}

/* The file's first line, without its newline ("" if unreadable). */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

START_TEST(kernel_version)
{
	struct utsname u;

	ck_assert_int_eq(uname(&u), 0);
	printf("kernel version: %s %s, build %s\n", u.sysname, u.release,
	       u.version);
	printf("  LINX_VM=%s LINX_TEST_NO_SKIP=%s\n",
	       getenv("LINX_VM") ? getenv("LINX_VM") : "",
	       no_skip() ? "1" : "");
	fflush(stdout);
	ck_assert_str_eq(u.sysname, "Linux");
}
END_TEST

START_TEST(cgroup2_at_sys_fs_cgroup)
{
	char avail[512], enabled[512];
	struct statfs st;

	/* The VM lane mounts the one cgroup2 hierarchy there, with every
	 * controller enabled for the root's children; a host may have v1
	 * hierarchies there instead (cgroups(7)). */
	if (statfs("/sys/fs/cgroup", &st) < 0 ||
	    st.f_type != CGROUP2_SUPER_MAGIC) {
		char seen[256] = "";

		for (size_t i = 0; i < sizeof(controllers) / sizeof(*controllers); i++)
			if (linx_test_cgroup2_has_controller(controllers[i]))
				snprintf(seen + strlen(seen),
					 sizeof(seen) - strlen(seen), " %s",
					 controllers[i]);
		printf("cgroup2 at /sys/fs/cgroup: no; a private cgroup2 mount "
		       "has:%s\n", seen[0] ? seen : " no controller");
		missing("a cgroup2 hierarchy at /sys/fs/cgroup (a private "
			"cgroup2 mount has:%s)", seen[0] ? seen : " none");
		return;
	}
	read_line("/sys/fs/cgroup/cgroup.controllers", avail, sizeof(avail));
	read_line("/sys/fs/cgroup/cgroup.subtree_control", enabled,
		  sizeof(enabled));
	printf("cgroup2 at /sys/fs/cgroup: controllers \"%s\", enabled for "
	       "children \"%s\"\n", avail, enabled);
	fflush(stdout);
	for (size_t i = 0; i < sizeof(controllers) / sizeof(*controllers); i++) {
		if (!has_word(avail, controllers[i]))
			missing("cgroup2 controller %s", controllers[i]);
		else if (!has_word(enabled, controllers[i]))
			missing("cgroup2 controller %s enabled in "
				"/sys/fs/cgroup/cgroup.subtree_control",
				controllers[i]);
	}
}
END_TEST

START_TEST(link_kinds_creatable)
{
	/* Each probe runs `ip link add` in a throwaway network namespace. */
	for (size_t i = 0; i < sizeof(link_kinds) / sizeof(*link_kinds); i++) {
		bool ok = linx_test_link_kind_supported(link_kinds[i]);

		printf("link kind %s: %s\n", link_kinds[i],
		       ok ? "can be created" : "no");
		fflush(stdout);
		if (!ok)
			missing("%s links", link_kinds[i]);
	}
}
END_TEST

START_TEST(nft_in_private_netns)
{
	char *out;
	int status;

	if (!linx_test_have("nft")) {
		printf("nft: not installed\n");
		missing("nft (apt-get install nftables)");
		return;
	}
	out = linx_test_sh(NULL, "nft --version 2>&1");
	printf("nft: %s", out);
	free(out);
	linx_test_private_netns();
	out = linx_test_sh(&status, "nft add table inet linx_env_probe 2>&1 && "
				    "nft -j list tables 2>&1");
	printf("  nf_tables in a private netns: %s\n",
	       status == 0 ? "usable" : out);
	fflush(stdout);
	if (status != 0)
		missing("nf_tables through nft");
	else
		ck_assert_msg(strstr(out, "\"linx_env_probe\""),
			      "nft -j list tables: %s", out);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("environment");
	TCase *tc = tcase_create("environment");

	tcase_add_test(tc, kernel_version);
	tcase_add_test(tc, cgroup2_at_sys_fs_cgroup);
	tcase_add_test(tc, link_kinds_creatable);
	tcase_add_test(tc, nft_in_private_netns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	linx_test_require_root();
	gaps = mmap(NULL, sizeof(*gaps), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (gaps == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	rc = linx_test_run_suite(suite());
	if (rc == 0 && gaps->text[0])
		linx_test_skip("this kernel lacks %s; the VM lane "
			       "(tests/vm/run, see tests/vm/README) runs "
			       "with all of them", gaps->text);
	munmap(gaps, sizeof(*gaps));
	return rc;
}
