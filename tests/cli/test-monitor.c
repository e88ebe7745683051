/* SPDX-License-Identifier: MIT */
/*
 * linx monitor against the ticker fixture (tests/fixtures/monitor): events
 * as JSON lines, --count, the error paths, and a clean stop on SIGINT,
 * SIGTERM and a closed stdout, with the monitor closed and its handle
 * released every time (the fixture logs both).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-run.h"
#include "linx-test.h"

static char log_path[64];
static char log_arg[80];

static void make_log(void)
{
	int fd;

	snprintf(log_path, sizeof(log_path), "/tmp/linx-cli-monitor-XXXXXX");
	fd = mkstemp(log_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(log_arg, sizeof(log_arg), "log=%s", log_path);
}

/* The log's contents; removes the file. */
static char *take_log(void)
{
	FILE *f = fopen(log_path, "re");
	char *buf = calloc(1, 256);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	if (fread(buf, 1, 255, f) == 0)
		buf[0] = '\0';
	fclose(f);
	unlink(log_path);
	return buf;
}

static void assert_event(const json_t *ev, json_int_t seq)
{
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "seq")), seq);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(ev, "big"), "$uint")),
			 "18446744073709551615");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(ev, "raw"), "$bytes")),
			 "00ff");
}

START_TEST(events_until_an_error)
{
	struct cli_out r;
	json_t *lines;
	char *log;

	make_log();
	cli_run(&r, "monitor", "ticker", "events=3", "batch=2", "fail=61",
		log_arg);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "linx: ticker.monitor.read: enodata (61): no "
				"more events\n");
	lines = cli_out_json_lines(&r);
	ck_assert_int_eq(json_array_size(lines), 3);
	for (size_t i = 0; i < 3; i++)
		assert_event(json_array_get(lines, i), (json_int_t)i + 1);
	json_decref(lines);
	cli_out_free(&r);
	log = take_log();
	ck_assert_str_eq(log, "open\nclose\ndestroy\n");
	free(log);
}
END_TEST

START_TEST(count_stops_cleanly)
{
	struct cli_out r;
	json_t *lines;
	char *log;

	make_log();
	/* batches larger than the count are cut short; --pretty does not
	 * break the one-event-per-line format */
	cli_run(&r, "monitor", "-p", "ticker", "--count", "3", "batch=5",
		log_arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	lines = cli_out_json_lines(&r);
	ck_assert_int_eq(json_array_size(lines), 3);
	assert_event(json_array_get(lines, 2), 3);
	json_decref(lines);
	cli_out_free(&r);
	log = take_log();
	ck_assert_str_eq(log, "open\nclose\ndestroy\n");
	free(log);

	/* close is optional */
	make_log();
	cli_run(&r, "monitor", "ticker_noclose", "-n", "1", log_arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(r.out_len > 0, 1);
	cli_out_free(&r);
	log = take_log();
	ck_assert_str_eq(log, "open\ndestroy\n");
	free(log);
}
END_TEST

/* Open descriptors of process `pid`. */
static int count_fds_of(pid_t pid)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Descriptors above 2 this process would pass on across execve(2)
 * (check's and the test runner's own, if any). */
static int inheritable_fds(void)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/proc/self/fd");

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			n++;
	}
	closedir(d);
	return n;
}

/* Start an endless monitor, read two events, send `sig`. */
static void stop_with(int sig, const char *extra)
{
	int fd, err_fd, status, inherited;
	char *line, *log, errbuf[512];
	ssize_t n;
	pid_t pid;

	make_log();
	inherited = inheritable_fds();
	pid = cli_spawn(&fd, &err_fd,
			(const char *const[]){ "monitor", "ticker", log_arg,
					       extra, NULL });
	for (int i = 1; i <= 2; i++) {
		json_t *ev;

		line = cli_read_line(fd);
		ck_assert_ptr_nonnull(line);
		ev = json_loads(line, 0, NULL);
		ck_assert_ptr_nonnull(ev);
		assert_event(ev, i);
		json_decref(ev);
		free(line);
	}
	/* Mid-stream, linx holds stdin, stdout and stderr and nothing else:
	 * the plugin search and the monitor left no descriptor behind. */
	ck_assert_int_eq(count_fds_of(pid), 3 + inherited);
	ck_assert_int_eq(kill(pid, sig), 0);
	status = cli_wait(pid);
	n = read(err_fd, errbuf, sizeof(errbuf) - 1);
	errbuf[n > 0 ? n : 0] = '\0';
	close(fd);
	close(err_fd);
	ck_assert_msg(status == 0, "status %d: %s", status, errbuf);
	ck_assert_str_eq(errbuf, "");
	log = take_log();
	ck_assert_str_eq(log, "open\nclose\ndestroy\n");
	free(log);
}

START_TEST(sigint_stops_and_closes)
{
	/* events=2: the reader is idle in poll(2) when the signal comes */
	stop_with(SIGINT, "events=2");
}
END_TEST

START_TEST(sigterm_stops_and_closes)
{
	/* endless events: the signal lands anywhere in the loop */
	stop_with(SIGTERM, "batch=1");
}
END_TEST

START_TEST(closed_stdout_stops_and_closes)
{
	int fd, err_fd, status;
	char *line, *log, errbuf[512];
	ssize_t n;
	pid_t pid;

	make_log();
	pid = cli_spawn(&fd, &err_fd,
			(const char *const[]){ "monitor", "ticker", log_arg,
					       NULL });
	line = cli_read_line(fd);
	ck_assert_ptr_nonnull(line);
	free(line);
	close(fd);
	/* The next write fails with EPIPE (SIGPIPE is ignored): exit 1,
	 * quietly, after closing the monitor. */
	status = cli_wait(pid);
	n = read(err_fd, errbuf, sizeof(errbuf) - 1);
	errbuf[n > 0 ? n : 0] = '\0';
	close(err_fd);
	ck_assert_int_eq(status, 1);
	ck_assert_str_eq(errbuf, "");
	log = take_log();
	ck_assert_str_eq(log, "open\nclose\ndestroy\n");
	free(log);
}
END_TEST

START_TEST(plugins_without_a_monitor)
{
	struct cli_out r;

	cli_run(&r, "monitor", "example");
	cli_assert_error(&r, 2, "linx: monitor: plugin \"example\" cannot "
				"stream events: it lacks example.monitor.open "
				"and example.monitor.read");
	cli_out_free(&r);
	cli_run(&r, "monitor", "nosuch");
	cli_assert_error(&r, 2, "linx: monitor: no plugin \"nosuch\" on the "
				"search path");
	cli_out_free(&r);
	cli_run(&r, "monitor", "badmajor");
	cli_assert_error(&r, 1, "linx: monitor: enoexec (8): plugin ");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker.monitor");
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "monitor");
	cli_assert_error(&r, 2, "linx: monitor: missing PLUGIN");
	cli_out_free(&r);
}
END_TEST

START_TEST(open_and_argument_errors)
{
	struct cli_out r;

	cli_run(&r, "monitor", "ticker", "open_errno=13");
	cli_assert_error(&r, 1, "linx: ticker.monitor.open: eacces (13): "
				"failing on request");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "bogus=1");
	cli_assert_error(&r, 2, "linx: ticker.monitor.open: einval (22): "
				"unknown parameter \"bogus\"");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "events=-1");
	cli_assert_error(&r, 2, "parameter \"events\" must not be negative");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "--count", "0");
	cli_assert_error(&r, 2, "--count: \"0\" is not a positive integer");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "--count", "-3");
	cli_assert_error(&r, 2, "is not a positive integer");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "--count");
	cli_assert_error(&r, 2, "--count needs a value");
	cli_out_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-monitor");
	TCase *tc = tcase_create("monitor");

	tcase_add_test(tc, events_until_an_error);
	tcase_add_test(tc, count_stops_cleanly);
	tcase_add_test(tc, sigint_stops_and_closes);
	tcase_add_test(tc, sigterm_stops_and_closes);
	tcase_add_test(tc, closed_stdout_stops_and_closes);
	tcase_add_test(tc, plugins_without_a_monitor);
	tcase_add_test(tc, open_and_argument_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
