/* SPDX-License-Identifier: MIT */
#include "cgroup-test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/cgroup.h>

static pid_t run_id;
static char mnt[PATH_MAX];
static unsigned name_seq;

void cgt_init(void)
{
	run_id = getpid();
}

/* Where cgt_mount() notes its mountpoints, for the janitor: a test that
 * fails never reaches cgt_unmount(), and the directory would stay in
 * /tmp. */
static void mounts_file(char *buf, size_t cap)
{
	snprintf(buf, cap, "/tmp/linx-cg-run-%d.mounts", (int)run_id);
}

const char *cgt_mount(void)
{
	const char *dir = linx_test_mount_cgroup2();
	char file[64];
	FILE *f;

	snprintf(mnt, sizeof(mnt), "%s", dir);
	mounts_file(file, sizeof(file));
	f = fopen(file, "ae");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", mnt);
	fclose(f);
	return mnt;
}

/* rmdir the mountpoints the tests noted (empty directories, mounted
 * only in the tests' own, now gone, namespaces). */
static void remove_mountpoints(void)
{
	char file[64], line[PATH_MAX];
	FILE *f;

	mounts_file(file, sizeof(file));
	f = fopen(file, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "/tmp/linx-cgroup2-", 18) == 0)
			rmdir(line);
	}
	fclose(f);
	unlink(file);
}

void cgt_unmount(void)
{
	if (!mnt[0])
		return;
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	mnt[0] = '\0';
}

char *cgt_name(const char *parent, const char *tag)
{
	char *path;

	ck_assert_msg(parent || mnt[0], "cgt_mount() first");
	ck_assert(asprintf(&path, "%s/linx-test-cg-%d-%s-%u",
			   parent ? parent : mnt, (int)run_id, tag,
			   name_seq++) > 0);
	return path;
}

char *cgt_create(const char *parent, const char *tag)
{
	struct linx_error err;
	char *path = cgt_name(parent, tag);

	linx_assert_ok(linx_cgroup_create(path, &err), &err);
	return path;
}

static int write_str(const char *path, const char *file, const char *value)
{
	char p[PATH_MAX];
	int fd, r = 0;

	snprintf(p, sizeof(p), "%s/%s", path, file);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Wait until <path>/cgroup.events says "populated 0". */
static int wait_empty(const char *path)
{
	char p[PATH_MAX], buf[256];
	struct timespec start, now;
	int fd, r = -ETIMEDOUT;

	snprintf(p, sizeof(p), "%s/cgroup.events", path);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0) {
			r = -errno;
			break;
		}
		buf[n] = '\0';
		if (strstr(buf, "populated 0")) {
			r = 0;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 10)
			break;
		poll(&pfd, 1, 100);
	}
	close(fd);
	return r;
}

int cgt_remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char child[PATH_MAX];

		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (cgt_remove_tree(child) < 0)
			r = -EBUSY;
	}
	closedir(d);
	/* A frozen task cannot die until thawed. */
	write_str(path, "cgroup.freeze", "0");
	write_str(path, "cgroup.kill", "1");
	wait_empty(path);
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return r;
		if (errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

void cgt_destroy(char *path)
{
	struct linx_error err;

	if (!path)
		return;
	linx_assert_ok(linx_cgroup_destroy(path, &err), &err);
	free(path);
}

int cgt_janitor(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char dir[] = "/tmp/linx-cg-janitor-XXXXXX", prefix[64];
		int found = 0;
		struct dirent *de;
		DIR *d;

		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    !mkdtemp(dir))
			_exit(255);
		if (mount("cgroup2", dir, "cgroup2", 0, NULL) < 0) {
			rmdir(dir);
			_exit(255);
		}
		snprintf(prefix, sizeof(prefix), "linx-test-cg-%d-",
			 (int)run_id);
		d = opendir(dir);
		while (d && (de = readdir(d))) {
			char p[PATH_MAX];

			if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			fprintf(stderr, "janitor: removing leftover %s\n",
				de->d_name);
			if (cgt_remove_tree(p) < 0)
				fprintf(stderr, "janitor: could not remove %s\n",
					de->d_name);
			found++;
		}
		if (d)
			closedir(d);
		umount2(dir, MNT_DETACH);
		rmdir(dir);
		_exit(found > 200 ? 200 : found);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

int cgt_run(Suite *s)
{
	int r = linx_test_run_suite(s);
	int left = cgt_janitor();

	remove_mountpoints();
	if (left < 0) {
		fprintf(stderr, "janitor: could not check for leftovers\n");
		return 1;
	}
	if (left > 0 && r == 0) {
		fprintf(stderr, "FAIL: %d cgroup(s) leaked by passing tests\n",
			left);
		return 1;
	}
	return r;
}

pid_t cgt_spawn_sleeper(void)
{
	return linx_test_spawn_in_ns(0);
}

volatile uint64_t *cgt_shared_counter(void)
{
	void *p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert(p != MAP_FAILED);
	return p;
}

pid_t cgt_spawn_spinner(volatile uint64_t *counter)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		for (;;)
			(*counter)++;
	}
	return pid;
}

void cgt_kill(pid_t pid)
{
	linx_test_reap(pid);
}

bool cgt_counter_moves(volatile uint64_t *counter, uint64_t from,
		       unsigned ms)
{
	for (unsigned i = 0; i < ms; i++) {
		if (*counter != from)
			return true;
		usleep(1000);
	}
	return *counter != from;
}

char *cgt_cat(const char *path, const char *file)
{
	int status;
	char *out = linx_test_sh(&status, "cat '%s/%s'", path, file);
	size_t len = strlen(out);

	ck_assert_msg(status == 0, "cat %s/%s failed", path, file);
	if (len > 0 && out[len - 1] == '\n')
		out[len - 1] = '\0';
	return out;
}

char *cgt_slurp(const char *path, const char *file)
{
	char p[PATH_MAX], *buf = malloc(65536);
	size_t len = 0;
	ssize_t n;
	int fd;

	ck_assert_ptr_nonnull(buf);
	snprintf(p, sizeof(p), "%s/%s", path, file);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", p, strerror(errno));
	while ((n = read(fd, buf + len, 65535 - len)) > 0)
		len += (size_t)n;
	close(fd);
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return buf;
}

bool cgt_awk_key(const char *path, const char *file, const char *key,
		 uint64_t *ret)
{
	int status;
	char *out = linx_test_sh(&status,
				 "awk '$1 == \"%s\" { print $2 }' '%s/%s'",
				 key, path, file);
	char *end;
	bool ok;

	ck_assert_int_eq(status, 0);
	errno = 0;
	*ret = strtoull(out, &end, 10);
	ok = end != out && errno == 0;
	free(out);
	return ok;
}

char cgt_proc_state(pid_t pid)
{
	char p[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	ck_assert_ptr_nonnull(paren);
	return paren[2];
}
