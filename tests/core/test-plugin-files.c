/* SPDX-License-Identifier: MIT */
/*
 * Malformed plugin files on the search path: every one is refused, named
 * under `refused` with its reason, and never crashes the loader - neither
 * through linx_registry_load_all() (what `linx plugins` runs), nor through
 * the lookup of one of its verbs (what linx_call() and the agent run).
 *
 * Each case gets a directory of its own, made here, holding one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linx/process.h>

#include "linx-test.h"

#ifndef FIXTURE_DIR
#error FIXTURE_DIR must be defined
#endif
#ifndef SYSCTL_MODULE
#error SYSCTL_MODULE must be defined
#endif

/* Read a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *ret_len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*ret_len = (size_t)st.st_size;
	return buf;
}

static void spew(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* A fresh private directory (0700, ours) for one case. */
static char *case_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/linx-plugin-files.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void remove_dir(const char *dir)
{
	char *out = linx_test_sh(NULL, "rm -rf '%s'", dir);

	free(out);
}

/* Copy `len` bytes of `src` (or all of it if len is 0) to dir/name. */
static void copy_prefix(const char *src, const char *dir, const char *name,
			size_t len)
{
	char path[PATH_MAX];
	size_t n;
	char *data = slurp(src, &n);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	spew(path, data, len && len < n ? len : n);
	free(data);
}

struct seen {
	int n;
	char name[64];
	char file[PATH_MAX];
	struct linx_error err;
};

static void on_refused(void *arg, const char *name, const char *file,
		       const struct linx_error *err)
{
	struct seen *s = arg;

	if (s->n++ == 0) {
		snprintf(s->name, sizeof(s->name), "%s", name);
		snprintf(s->file, sizeof(s->file), "%s", file);
		s->err = *err;
	}
}

/*
 * The file dir/<plugin>.so is refused: load_all lists it with `why` in the
 * reason, a lookup of "<plugin>.x" fails with the same news, and loading
 * it by path fails too.  Nothing is loaded.
 */
static void expect_refused_in(const char *dir, const char *plugin, int code,
			      const char *why)
{
	struct linx_registry *reg;
	const struct linx_verb *v = NULL;
	struct linx_error err;
	struct seen seen = { 0 };
	char file[PATH_MAX], verb[128];
	int r;

	snprintf(file, sizeof(file), "%s/%s.so", dir, plugin);
	snprintf(verb, sizeof(verb), "%s.x", plugin);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, dir, &err), &err);
	r = linx_registry_load_all(reg, on_refused, &seen, &err);
	ck_assert_msg(r == 1, "%s: load_all gave %d (%s)", plugin, r,
		      err.message);
	ck_assert_int_eq(seen.n, 1);
	ck_assert_str_eq(seen.name, plugin);
	ck_assert_str_eq(seen.file, file);
	ck_assert_msg(seen.err.code == code, "%s: code %d: %s", plugin,
		      seen.err.code, seen.err.message);
	ck_assert_str_eq(seen.err.op, "load");
	ck_assert_str_eq(seen.err.object, file);
	ck_assert_msg(strstr(seen.err.message, why), "%s: expected \"%s\" in: %s",
		      plugin, why, seen.err.message);
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	linx_registry_free(reg);

	/* The lookup path (linx_call, the agent) on a fresh registry. */
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, dir, &err), &err);
	ck_assert_int_eq(linx_registry_find(reg, verb, &v, &err), -code);
	ck_assert_msg(strstr(err.message, why), "%s: expected \"%s\" in: %s",
		      plugin, why, err.message);
	ck_assert_ptr_null(v);
	/* And by path, where the file name is not a plugin name (so only the
	 * name mismatch is no reason to refuse it). */
	if (code != EINVAL) {
		ck_assert_int_eq(linx_registry_load_file(reg, file, &err),
				 -code);
		ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	}
	linx_registry_free(reg);
}

START_TEST(zero_length)
{
	char *dir = case_dir(), path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/empty.so", dir);
	spew(path, "", 0);
	expect_refused_in(dir, "empty", ENOEXEC, "not an ELF object");
	remove_dir(dir);
}
END_TEST

/*
 * Cut short: the magic only, the ELF header only, the program headers
 * only, then one byte short of the end of the last loaded segment (what
 * follows it - symbols, debug information - dlopen() does not map).  dlopen() maps segments that end past the
 * end of the file and the first touch raises SIGBUS: the loader must see
 * it first.
 */
START_TEST(truncated_elf)
{
	static const struct {
		size_t len; /* 0: one byte short of the last segment's end */
		const char *why;
	} cuts[] = {
		{ 4, "not an ELF object" },
		{ 64, "program headers end at" },
		{ 1000, "truncated ELF: segment" },
		{ 0, "truncated ELF: segment" },
	};
	size_t full, last_end = 0;
	char *data = slurp(SYSCTL_MODULE, &full);
	const ElfW(Ehdr) *eh = (const void *)data;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const ElfW(Phdr) *ph = (const void *)(data + eh->e_phoff +
						      i * sizeof(*ph));

		if (ph->p_type == PT_LOAD &&
		    ph->p_offset + ph->p_filesz > last_end)
			last_end = ph->p_offset + ph->p_filesz;
	}
	free(data);
	ck_assert_uint_gt(last_end, 1000);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char *dir = case_dir();

		copy_prefix(SYSCTL_MODULE, dir, "cut.so",
			    cuts[i].len ? cuts[i].len : last_end - 1);
		expect_refused_in(dir, "cut", ENOEXEC, cuts[i].why);
		remove_dir(dir);
	}
}
END_TEST

START_TEST(random_bytes)
{
	char *dir = case_dir(), path[PATH_MAX];
	unsigned char buf[8192];
	unsigned seed = 0x1badcafe;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	snprintf(path, sizeof(path), "%s/noise.so", dir);
	spew(path, buf, sizeof(buf));
	expect_refused_in(dir, "noise", ENOEXEC, "not an ELF object");
	/* Random bytes behind a valid ELF magic. */
	memcpy(buf, "\177ELF\2\1\1", 7);
	spew(path, buf, sizeof(buf));
	expect_refused_in(dir, "noise", ENOEXEC, "malformed ELF");
	remove_dir(dir);
}
END_TEST

START_TEST(elf_without_symbol)
{
	char *dir = case_dir(), src[PATH_MAX];

	snprintf(src, sizeof(src), "%s/notaplugin.so", FIXTURE_DIR);
	copy_prefix(src, dir, "plain.so", 0);
	expect_refused_in(dir, "plain", ENOEXEC, "linx_plugin_descriptor");
	remove_dir(dir);
}
END_TEST

/* An executable is an ELF object too, but not one dlopen() loads. */
START_TEST(executable)
{
	char *dir = case_dir();

	copy_prefix("/bin/true", dir, "prog.so", 0);
	expect_refused_in(dir, "prog", ENOEXEC, "dlopen");
	remove_dir(dir);
}
END_TEST

/*
 * Not a regular file: a FIFO (opening it for reading would block until a
 * writer came), a directory, a device.  The scan of a directory skips
 * them; loading one by path is refused at once.
 */
START_TEST(not_regular_files)
{
	char *dir = case_dir(), path[PATH_MAX];
	struct linx_registry *reg;
	const struct linx_verb *v;
	struct linx_error err;
	const char *names[] = { "fifo", "subdir", "zero" };

	snprintf(path, sizeof(path), "%s/fifo.so", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/subdir.so", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/zero.so", dir);
	ck_assert_int_eq(symlink("/dev/zero", path), 0);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, dir, &err), &err);
	ck_assert_int_eq(linx_registry_load_all(reg, NULL, NULL, &err), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char verb[64];

		snprintf(verb, sizeof(verb), "%s.x", names[i]);
		ck_assert_int_eq(linx_registry_find(reg, verb, &v, &err),
				 -ENOENT);
		snprintf(path, sizeof(path), "%s/%s.so", dir, names[i]);
		ck_assert_int_eq(linx_registry_load_file(reg, path, &err),
				 -ENOEXEC);
		ck_assert_msg(strstr(err.message, "not a regular file"), "%s",
			      err.message);
	}
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	linx_registry_free(reg);
	remove_dir(dir);
}
END_TEST

/* A plugin loaded, then a different one whose descriptor lands on the same
 * descriptor number: each registry gets its own plugin, not the object the
 * dynamic loader already knows by the name /proc/self/fd/N. */
START_TEST(fd_names_not_confused)
{
	char src[PATH_MAX];
	struct linx_registry *reg;
	struct linx_error err;

	snprintf(src, sizeof(src), "%s/example.so", FIXTURE_DIR);
	for (int i = 0; i < 2; i++) {
		linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH,
						 &err),
			       &err);
		linx_assert_ok(linx_registry_load_file(reg, i ? SYSCTL_MODULE : src,
						       &err),
			       &err);
		ck_assert_str_eq(linx_registry_plugin(reg, 0, NULL)->name,
				 i ? "sysctl" : "example");
		linx_registry_free(reg);
	}
}
END_TEST

/*
 * The reported crash: a real plugin under another file name.  The
 * descriptor's name was read to build the refusal after the object was
 * unloaded.
 */
START_TEST(name_mismatch)
{
	char *dir = case_dir();

	copy_prefix(SYSCTL_MODULE, dir, "sysctl_old.so", 0);
	expect_refused_in(dir, "sysctl_old", EINVAL,
			  "named for plugin sysctl_old but declares sysctl");
	remove_dir(dir);
}
END_TEST

/* Same, through the agent: the call is refused, the agent lives on and the
 * parked child still runs. */
START_TEST(name_mismatch_through_agent)
{
	static const char *const argv[] = { "/bin/true", NULL };
	char *dir = case_dir();
	struct linx_spawn_options o = { .argv = argv };
	struct linx_agent *a = NULL;
	struct linx_process *p = NULL;
	struct linx_process_result res = { 0 };
	struct linx_error err;
	int r;

	copy_prefix(SYSCTL_MODULE, dir, "sysctl_old.so", 0);
	setenv(LINX_PLUGIN_PATH_ENV, dir, 1);
	linx_assert_ok(linx_agent_start(&a, NULL, &err), &err);
	linx_assert_ok(linx_process_spawn(a, &o, &p, &err), &err);
	r = linx_process_wait_stage(p, LINX_PROCESS_READY, 20000, &err);
	ck_assert_msg(r == LINX_PROCESS_READY, "stage %d: %s", r, err.message);
	ck_assert_int_eq(linx_process_call(p, "sysctl_old.read", NULL, NULL,
					   &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "declares sysctl"), "%s",
		      err.message);
	ck_assert_int_eq(kill(linx_agent_pid(a), 0), 0);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	linx_assert_ok(linx_process_wait(p, 20000, &res, &err), &err);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
	remove_dir(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin-files");
	TCase *tc = tcase_create("plugin-files");

	tcase_add_test(tc, zero_length);
	tcase_add_test(tc, truncated_elf);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, elf_without_symbol);
	tcase_add_test(tc, executable);
	tcase_add_test(tc, not_regular_files);
	tcase_add_test(tc, fd_names_not_confused);
	tcase_add_test(tc, name_mismatch);
	tcase_add_test(tc, name_mismatch_through_agent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
