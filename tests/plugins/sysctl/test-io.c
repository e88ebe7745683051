/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing single knobs, checked against procps' sysctl(8).
 *
 * Every write happens in a network or UTS namespace the test process
 * unshared for itself (check runs each test in its own process), and the
 * host's value is read back through nsenter(1) on a saved namespace fd to
 * show it did not move.
 */
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "sysctl-test.h"

/* Keys whose value changes by itself between two reads. */
static bool volatile_key(const char *key)
{
	static const char *const keys[] = {
		"fs.dentry-state", "fs.dentry-negative", "fs.file-nr",
		"fs.inode-nr", "fs.inode-state", "fs.aio-nr",
		"kernel.ns_last_pid", "kernel.pty.nr", "kernel.random",
		"kernel.perf_event_max_sample_rate", "kernel.tainted",
		"vm.stat_refresh", "fs.quota",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t n = strlen(keys[i]);

		if (strncmp(key, keys[i], n) == 0 &&
		    (key[n] == '\0' || key[n] == '.'))
			return true;
	}
	return false;
}

/* Compare linx_sysctl_read() with `sysctl -n` for one key. */
static void compare_read(const char *key)
{
	struct linx_error err;
	char *value, *oracle;
	size_t len;

	linx_assert_ok(linx_sysctl_read(key, NULL, &value, &len, &err), &err);
	ck_assert_uint_eq(len, strlen(value));
	oracle = sysctl_test_oracle(NULL, key);
	ck_assert_msg(oracle != NULL, "sysctl -n %s failed", key);
	ck_assert_msg(strcmp(value, oracle) == 0,
		      "%s: linx \"%s\", sysctl \"%s\"", key, value, oracle);
	free(oracle);
	free(value);
}

/*
 * The same for many keys with one `sysctl -n k1 k2 ...` (a process per key
 * is minutes under the VM lane's emulation).  procps prints each value as
 * read, so a value of N lines takes N lines of its output; an empty value
 * may be a lone newline or nothing at all, so those are compared one by
 * one.
 */
static size_t compare_reads(const char *const *keys, size_t n)
{
	char **values = calloc(n, sizeof(*values));
	char *cmd = NULL, *out, *line;
	size_t len = 0, cap = 0, compared = 0;
	int status;

	ck_assert_ptr_nonnull(values);
	for (size_t i = 0; i < n; i++) {
		struct linx_error err;
		size_t need = strlen(keys[i]) + 2;

		linx_assert_ok(linx_sysctl_read(keys[i], NULL, &values[i], NULL,
						&err),
			       &err);
		if (!values[i][0]) {
			compare_read(keys[i]);
			compared++;
			continue;
		}
		if (len + need + 16 > cap) {
			cap = (cap + need + 16) * 2;
			cmd = realloc(cmd, cap);
			ck_assert_ptr_nonnull(cmd);
			if (!len)
				len = (size_t)sprintf(cmd, "sysctl -n");
		}
		len += (size_t)sprintf(cmd + len, " %s", keys[i]);
	}
	if (!cmd)
		goto out;
	out = linx_test_sh(&status, "%s", cmd);
	ck_assert_msg(status == 0, "%s failed", cmd);
	line = out;
	for (size_t i = 0; i < n; i++) {
		size_t lines = 1, vlen;
		char *end = line;

		if (!values[i][0])
			continue;
		for (const char *c = values[i]; *c; c++)
			lines += *c == '\n';
		for (size_t l = 0; l < lines; l++) {
			end = strchr(end, '\n');
			ck_assert_msg(end != NULL, "sysctl -n: no value for %s",
				      keys[i]);
			if (l + 1 < lines)
				end++;
		}
		*end = '\0';
		vlen = strlen(line);
		while (vlen && (line[vlen - 1] == ' ' || line[vlen - 1] == '\t'))
			line[--vlen] = '\0';
		ck_assert_msg(strcmp(values[i], line) == 0,
			      "%s: linx \"%s\", sysctl \"%s\"", keys[i],
			      values[i], line);
		line = end + 1;
		compared++;
	}
	ck_assert_msg(*line == '\0', "sysctl -n printed more: %s", line);
	free(out);
out:
	for (size_t i = 0; i < n; i++)
		free(values[i]);
	free(values);
	free(cmd);
	return compared;
}

/* Open our current namespace of `kind` ("net", "uts") to look back at the
 * host later with nsenter --<kind>=/proc/<pid>/fd/<fd>. */
static int save_ns(const char *kind, char *prefix, size_t cap)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", kind);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	snprintf(prefix, cap, "nsenter --%s=/proc/%d/fd/%d", kind,
		 (int)getpid(), fd);
	return fd;
}

START_TEST(reads_match_procps)
{
	static const char *const keys[] = {
		"kernel.ostype", "kernel.osrelease", "kernel.version",
		"kernel.printk", "kernel.pid_max", "kernel.hostname",
		"kernel.domainname", "kernel.threads-max", "kernel.shmmax",
		"kernel.shmall", "kernel.sem", "kernel.msgmax",
		"kernel.core_pattern",
		"kernel.seccomp.actions_avail", "kernel.cap_last_cap",
		"vm.swappiness", "vm.overcommit_memory", "vm.max_map_count",
		"fs.file-max", "fs.nr_open", "fs.inotify.max_user_watches",
		"fs.mqueue.msg_max", "user.max_user_namespaces",
		"net.ipv4.ip_forward", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
		"net.ipv4.ip_local_port_range", "net.ipv4.ping_group_range",
		"net.ipv4.tcp_congestion_control", "net.core.somaxconn",
		"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.lo.forwarding",
		"net.ipv6.conf.all.disable_ipv6", "net.ipv4.tcp_fastopen_key",
		"net.ipv4.ip_local_reserved_ports",
	};
	static const char *const subtrees[] = {
		"vm", "user", "fs.inotify", "fs.mqueue", "kernel.seccomp",
		"kernel.keys", "net.ipv4.conf.lo", "net.core", "net.unix",
		"net.ipv6.conf.default",
	};
	const char *batch[2048];
	struct linx_sysctl_entry *e[16];
	size_t ne[16], nb = 0, compared;
	struct linx_error err;

	/* A fresh netns: no traffic, so net.* stays put. */
	linx_test_private_netns();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		batch[nb++] = keys[i];
	/* A multi-line value (file, pipe, socket), where the kernel has it
	 * (6.18 does, 6.12 in the VM lane does not). */
	if (access("/proc/sys/kernel/core_modes", R_OK) == 0)
		batch[nb++] = "kernel.core_modes";
	for (size_t s = 0; s < sizeof(subtrees) / sizeof(subtrees[0]); s++) {
		linx_assert_ok(linx_sysctl_list(subtrees[s], NULL, &e[s],
						&ne[s], &err),
			       &err);
		ck_assert_msg(ne[s] > 0, "%s is empty", subtrees[s]);
		for (size_t i = 0; i < ne[s]; i++)
			if (!volatile_key(e[s][i].key) &&
			    nb < sizeof(batch) / sizeof(batch[0]))
				batch[nb++] = e[s][i].key;
	}
	compared = compare_reads(batch, nb);
	ck_assert_uint_eq(compared, nb);
	for (size_t s = 0; s < sizeof(subtrees) / sizeof(subtrees[0]); s++)
		linx_sysctl_list_free(e[s], ne[s]);
	ck_assert_uint_ge(compared, 100);
}
END_TEST

START_TEST(numbers_match_procps)
{
	struct linx_error err;
	char *oracle, *end;
	int64_t i, *v;
	uint64_t u;
	size_t n;

	linx_test_private_netns();
	linx_assert_ok(linx_sysctl_read_int("net.ipv4.ip_forward", NULL, &i,
					    &err),
		       &err);
	oracle = sysctl_test_oracle(NULL, "net.ipv4.ip_forward");
	ck_assert_int_eq(i, strtoll(oracle, NULL, 10));
	free(oracle);

	linx_assert_ok(linx_sysctl_read_uint("kernel.shmmax", NULL, &u, &err),
		       &err);
	oracle = sysctl_test_oracle(NULL, "kernel.shmmax");
	ck_assert(u == strtoull(oracle, NULL, 10));
	free(oracle);

	static const char *const lists[] = { "kernel.printk", "net.ipv4.tcp_rmem",
					     "net.ipv4.ip_local_port_range",
					     "kernel.sem" };
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		linx_assert_ok(linx_sysctl_read_ints(lists[k], NULL, &v, &n,
						     &err),
			       &err);
		oracle = sysctl_test_oracle(NULL, lists[k]);
		end = oracle;
		for (size_t j = 0; j < n; j++) {
			char *next;
			long long x = strtoll(end, &next, 10);

			ck_assert_msg(next != end, "%s: sysctl has fewer values",
				      lists[k]);
			ck_assert_int_eq(v[j], x);
			end = next;
		}
		while (*end == ' ' || *end == '\t')
			end++;
		ck_assert_msg(*end == '\0', "%s: sysctl has more values: %s",
			      lists[k], end);
		free(oracle);
		free(v);
	}
}
END_TEST

START_TEST(read_errors)
{
	struct linx_error err;
	char *value;

	sysctl_assert_error(linx_sysctl_read("linx.this.does.not.exist", NULL,
					     &value, NULL, &err),
			    &err, ENOENT, "read", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/linx/this/does/not/exist");
	ck_assert_msg(strstr(err.message, "linx.this.does.not.exist"), "%s",
		      err.message);
	/* Below a knob: still "no such key". */
	sysctl_assert_error(linx_sysctl_read("kernel.ostype.x", NULL, &value,
					     NULL, &err),
			    &err, ENOENT, "read", NULL);
	sysctl_assert_error(linx_sysctl_read("kernel", NULL, &value, NULL,
					     &err),
			    &err, EISDIR, "read", NULL);
	/* Write-only knobs refuse even root a read. */
	sysctl_assert_error(linx_sysctl_read("vm.drop_caches", NULL, &value,
					     NULL, &err),
			    &err, EACCES, "read", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/vm/drop_caches");
}
END_TEST

START_TEST(write_in_private_netns)
{
	struct linx_error err;
	char host_ns[128], *host_before, *host_after;
	int64_t v;
	int fd;

	fd = save_ns("net", host_ns, sizeof(host_ns));
	host_before = sysctl_test_oracle(host_ns, "net.ipv4.ip_forward");
	ck_assert_ptr_nonnull(host_before);
	linx_test_private_netns();

	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", NULL, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "1");
	linx_assert_ok(linx_sysctl_read_int("net.ipv4.ip_forward", NULL, &v,
					    &err),
		       &err);
	ck_assert_int_eq(v, 1);
	linx_assert_ok(linx_sysctl_write("net.ipv4.ip_forward", NULL, "0", &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "0");
	linx_assert_ok(linx_sysctl_write_uint("net.ipv4.ip_forward", NULL, 1,
					      &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "1");

	/* The kernel's own refusals: op "write", errno as given. */
	sysctl_assert_error(linx_sysctl_write("net.ipv4.ip_forward", NULL,
					      "abc", &err),
			    &err, EINVAL, "write", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/net/ipv4/ip_forward");
	ck_assert_msg(strstr(err.message, "net.ipv4.ip_forward") &&
			      strstr(err.message, "abc"),
		      "%s", err.message);
	/* An empty value is a newline: "empty", which an int refuses. */
	sysctl_assert_error(linx_sysctl_write("net.ipv4.ip_forward", NULL, "",
					      &err),
			    &err, EINVAL, "write", NULL);
	sysctl_assert_error(linx_sysctl_write_int("linx.no.such.knob", NULL, 1,
						  &err),
			    &err, ENOENT, "write", NULL);
	sysctl_assert_error(linx_sysctl_write_int("net.ipv4", NULL, 1, &err),
			    &err, EISDIR, "write", NULL);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "1");

	host_after = sysctl_test_oracle(host_ns, "net.ipv4.ip_forward");
	ck_assert_str_eq(host_before, host_after);
	free(host_before);
	free(host_after);
	close(fd);
}
END_TEST

START_TEST(write_in_private_uts)
{
	struct linx_error err;
	char host_ns[128], *host_before, *host_after, *out, name[70];
	int fd, status;

	fd = save_ns("uts", host_ns, sizeof(host_ns));
	host_before = sysctl_test_oracle(host_ns, "kernel.hostname");
	ck_assert_ptr_nonnull(host_before);
	ck_assert_int_eq(unshare(CLONE_NEWUTS), 0);

	linx_assert_ok(linx_sysctl_write("kernel.hostname", NULL, "linx-uts-0",
					 &err),
		       &err);
	sysctl_assert_oracle(NULL, "kernel.hostname", "linx-uts-0");
	out = linx_test_sh(&status, "hostname");
	sysctl_test_trim(out);
	ck_assert_str_eq(out, "linx-uts-0");
	free(out);

	/* 64 bytes (__NEW_UTS_LEN) fit; 65 are refused, nothing written. */
	memset(name, 'x', 64);
	name[64] = '\0';
	linx_assert_ok(linx_sysctl_write("kernel.hostname", NULL, name, &err),
		       &err);
	sysctl_assert_oracle(NULL, "kernel.hostname", name);
	linx_assert_ok(linx_sysctl_write("kernel.hostname", NULL, "linx-uts-1",
					 &err),
		       &err);
	name[64] = 'y';
	name[65] = '\0';
	sysctl_assert_error(linx_sysctl_write("kernel.hostname", NULL, name,
					      &err),
			    &err, E2BIG, "validate", "value");
	ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
	sysctl_assert_oracle(NULL, "kernel.hostname", "linx-uts-1");
	sysctl_assert_error(linx_sysctl_write("kernel.hostname", NULL,
					      "a\nb", &err),
			    &err, EINVAL, "validate", "value");
	sysctl_assert_oracle(NULL, "kernel.hostname", "linx-uts-1");

	/* An empty string empties the knob (a zero-byte write would not). */
	linx_assert_ok(linx_sysctl_write("kernel.domainname", NULL, "linx.test",
					 &err),
		       &err);
	sysctl_assert_oracle(NULL, "kernel.domainname", "linx.test");
	linx_assert_ok(linx_sysctl_write("kernel.domainname", NULL, "", &err),
		       &err);
	sysctl_assert_oracle(NULL, "kernel.domainname", "");

	host_after = sysctl_test_oracle(host_ns, "kernel.hostname");
	ck_assert_str_eq(host_before, host_after);
	ck_assert_str_ne(host_after, "linx-uts-1");
	free(host_before);
	free(host_after);
	close(fd);
}
END_TEST

START_TEST(write_int_lists)
{
	static const int64_t rmem[] = { 4096, 87380, 6291456 };
	static const int64_t four[] = { 4096, 87380, 6291456, 7 };
	static const int64_t range[] = { 100, 200 };
	struct linx_error err;
	int64_t *v;
	size_t n;

	linx_test_private_netns();
	linx_assert_ok(linx_sysctl_write_ints("net.ipv4.tcp_rmem", NULL, rmem,
					      3, &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.tcp_rmem", "4096\t87380\t6291456");
	linx_assert_ok(linx_sysctl_read_ints("net.ipv4.tcp_rmem", NULL, &v, &n,
					     &err),
		       &err);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(v, rmem, sizeof(rmem)) == 0);
	free(v);

	/* One value more than the knob holds: refused before writing. */
	sysctl_assert_error(linx_sysctl_write_ints("net.ipv4.tcp_rmem", NULL,
						   four, 4, &err),
			    &err, E2BIG, "validate", "value");
	ck_assert_msg(strstr(err.message, "3"), "%s", err.message);
	sysctl_assert_oracle(NULL, "net.ipv4.tcp_rmem", "4096\t87380\t6291456");
	/* As a string the count is unknown up front; the kernel's short
	 * write is still reported, not ignored. */
	sysctl_assert_error(linx_sysctl_write("net.ipv4.tcp_rmem", NULL,
					      "4096 87380 6291456 7", &err),
			    &err, E2BIG, "write", NULL);
	ck_assert_msg(strstr(err.message, "took only 19 of 20"), "%s",
		      err.message);
	/* Fewer values than the vector holds is the kernel's business (it
	 * sets the leading ones). */
	linx_assert_ok(linx_sysctl_write_ints("net.ipv4.ping_group_range", NULL,
					      range, 2, &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.ping_group_range", "100\t200");
}
END_TEST

/* Values the kernel would silently cut: refused with E2BIG, and the knob
 * shows that nothing was written. */
START_TEST(oversize_refused)
{
	static const char key1[] =
		"00000000-00000000-00000000-00000001,"
		"00000000-00000000-00000000-00000002";
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct linx_error err;
	char *big, *value;
	char junk[sizeof(key1) + 8];

	linx_test_private_netns();
	/* stable_secret: "<address>XYZ" would be stored as the address. */
	sysctl_assert_error(
		linx_sysctl_write("net.ipv6.conf.lo.stable_secret", NULL,
				  "0000:0000:0000:0000:0000:0000:0000:0001XYZ",
				  &err),
		&err, E2BIG, "validate", "value");
	sysctl_assert_error(linx_sysctl_read("net.ipv6.conf.lo.stable_secret",
					     NULL, &value, NULL, &err),
			    &err, EIO, "read", NULL); /* still unset */
	linx_assert_ok(
		linx_sysctl_write("net.ipv6.conf.lo.stable_secret", NULL,
				  "0000:0000:0000:0000:0000:0000:0000:0001",
				  &err),
		&err);
	sysctl_assert_oracle(NULL, "net.ipv6.conf.lo.stable_secret",
			     "0000:0000:0000:0000:0000:0000:0000:0001");

	/* tcp_fastopen_key keeps 73 bytes: a key pair fits, junk does not. */
	linx_assert_ok(linx_sysctl_write("net.ipv4.tcp_fastopen_key", NULL,
					 key1, &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.tcp_fastopen_key", key1);
	snprintf(junk, sizeof(junk), "%s,1-2-3-4", key1);
	sysctl_assert_error(linx_sysctl_write("net.ipv4.tcp_fastopen_key", NULL,
					      junk, &err),
			    &err, E2BIG, "validate", "value");
	sysctl_assert_oracle(NULL, "net.ipv4.tcp_fastopen_key", key1);

	/* Integer parsers read one page minus one byte: "1", padding and a
	 * "7" past that limit would set 1 and drop the 7. */
	big = malloc(page + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', page);
	big[0] = '1';
	big[page - 1] = '7';
	big[page] = '\0';
	sysctl_assert_error(linx_sysctl_write("net.ipv4.ip_forward", NULL, big,
					      &err),
			    &err, E2BIG, "validate", "value");
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "0");
	big[page - 1] = '\0'; /* page - 1 bytes: within the limit */
	linx_assert_ok(linx_sysctl_write("net.ipv4.ip_forward", NULL, big,
					 &err),
		       &err);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", "1");
	free(big);
}
END_TEST

/* A value longer than the first read buffer (and than a page) comes back
 * whole: a second read(2) at a non-zero offset would return nothing. */
START_TEST(long_values_read_whole)
{
	static const char key[] = "net.ipv4.ip_local_reserved_ports";
	char want[16384], *value, *oracle;
	struct linx_sysctl_entry *e;
	struct linx_error err;
	size_t len = 0, off = 0, n;
	int fd, status;

	linx_test_private_netns();
	/* 1500 single ports: ~9000 bytes, which the bitmap handler takes in
	 * page-sized pieces (a write Linx itself would refuse as too big). */
	for (int p = 10000; p < 13000; p += 2)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%d",
					len ? "," : "", p);
	fd = open("/proc/sys/net/ipv4/ip_local_reserved_ports",
		  O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	while (off < len) {
		ssize_t w = write(fd, want + off, len - off);

		ck_assert_int_gt(w, 0);
		off += (size_t)w;
	}
	close(fd);

	linx_assert_ok(linx_sysctl_read(key, NULL, &value, &n, &err), &err);
	ck_assert_uint_eq(n, len);
	ck_assert_str_eq(value, want);
	oracle = linx_test_sh(&status, "dd if=/proc/sys/net/ipv4/"
				       "ip_local_reserved_ports bs=1M count=1 "
				       "status=none");
	sysctl_test_trim(oracle);
	ck_assert_str_eq(value, oracle);
	free(oracle);
	free(value);
	linx_assert_ok(linx_sysctl_list(key, NULL, &e, &n, &err), &err);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(e[0].value_len, len);
	linx_sysctl_list_free(e, n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-io");
	TCase *tc = tcase_create("io");

	linx_test_require_root();
	linx_test_require(linx_sysctl_supported(), "no /proc/sys here");
	linx_test_require(sysctl_test_have("sysctl") && sysctl_test_have("nsenter"),
			  "needs sysctl (procps) and nsenter (util-linux) as "
			  "oracles");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reads_match_procps);
	tcase_add_test(tc, numbers_match_procps);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, write_in_private_netns);
	tcase_add_test(tc, write_in_private_uts);
	tcase_add_test(tc, write_int_lists);
	tcase_add_test(tc, oversize_refused);
	tcase_add_test(tc, long_values_read_whole);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
