/* SPDX-License-Identifier: MIT */
#include "cli-run.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *cli_plugin_path;

static void set_plugin_path(void)
{
	ck_assert_int_eq(setenv("LINX_PLUGIN_PATH",
				cli_plugin_path ? cli_plugin_path
						: FIXTURE_DIR ":" MONITOR_FIXTURE_DIR,
				1),
			 0);
}

/* argv[0] plus the caller's arguments. */
static char **full_argv(const char *const *argv)
{
	size_t n = 0;
	char **v;

	while (argv[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	v[0] = (char *)LINX_CLI;
	for (size_t i = 0; i < n; i++)
		v[i + 1] = (char *)argv[i];
	return v;
}

/* linx starts as a shell would start it: SIGPIPE at its default. */
static posix_spawnattr_t *spawn_attr(void)
{
	static posix_spawnattr_t attr;
	static bool ready;
	sigset_t dfl;

	if (!ready) {
		sigemptyset(&dfl);
		sigaddset(&dfl, SIGPIPE);
		posix_spawnattr_init(&attr);
		posix_spawnattr_setsigdefault(&attr, &dfl);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
		ready = true;
	}
	return &attr;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *grown = realloc(*buf, *len + n + 1);

	ck_assert_ptr_nonnull(grown);
	memcpy(grown + *len, data, n);
	*len += n;
	grown[*len] = '\0';
	*buf = grown;
}

/* Anything a sanitizer prints means a bug, whatever the exit status. */
static void assert_no_sanitizer(const struct cli_out *r)
{
	ck_assert_msg(!strstr(r->err, "Sanitizer") &&
			      !strstr(r->err, "runtime error:"),
		      "sanitizer report from linx:\n%s", r->err);
}

static void assert_not_signaled(int wstatus, const char *err)
{
	ck_assert_msg(!WIFSIGNALED(wstatus), "linx was killed by signal %d%s%s",
		      WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0,
		      err ? "; stderr:\n" : "", err ? err : "");
	ck_assert(WIFEXITED(wstatus));
}

void cli_run_argv(struct cli_out *r, const void *in, size_t in_len,
		  const char *const *argv)
{
	int out[2], err[2], inp[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	char **v = full_argv(argv);
	size_t in_off = 0;
	int wstatus;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	append(&r->out, &r->out_len, "", 0);
	append(&r->err, &r->err_len, "", 0);
	set_plugin_path();
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	if (in) {
		ck_assert_int_eq(pipe2(inp, O_CLOEXEC), 0);
		/* only our end: linx gets an ordinary blocking stdin */
		ck_assert_int_eq(fcntl(inp[1], F_SETFL, O_NONBLOCK), 0);
	}
	/* This process writes stdin to a linx that may exit without reading
	 * it: see EPIPE rather than die of SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	posix_spawn_file_actions_init(&fa);
	if (in)
		posix_spawn_file_actions_adddup2(&fa, inp[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	ck_assert_int_eq(posix_spawn(&pid, LINX_CLI, &fa, spawn_attr(), v, environ),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	free(v);
	close(out[1]);
	close(err[1]);
	if (in) {
		close(inp[0]);
		if (in_len == 0) {
			close(inp[1]);
			inp[1] = -1;
		}
	}
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = out[0], .events = POLLIN },
			{ .fd = err[0], .events = POLLIN },
			{ .fd = inp[1], .events = POLLOUT },
		};
		char buf[65536];

		if (p[0].fd < 0 && p[1].fd < 0)
			break;
		if (poll(p, 3, -1) < 0) {
			ck_assert_int_eq(errno, EINTR);
			continue;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n > 0) {
				if (i == 0)
					append(&r->out, &r->out_len, buf,
					       (size_t)n);
				else
					append(&r->err, &r->err_len, buf,
					       (size_t)n);
			} else {
				close(p[i].fd);
				if (i == 0)
					out[0] = -1;
				else
					err[0] = -1;
			}
		}
		if (p[2].revents) {
			ssize_t n = write(inp[1], (const char *)in + in_off,
					  in_len - in_off);

			if (n > 0)
				in_off += (size_t)n;
			/* Done, or the reader quit early (EPIPE): close. */
			if (n < 0 || in_off == in_len) {
				close(inp[1]);
				inp[1] = -1;
			}
		}
	}
	if (inp[1] >= 0)
		close(inp[1]);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	assert_not_signaled(wstatus, r->err);
	r->status = WEXITSTATUS(wstatus);
	assert_no_sanitizer(r);
}

void cli_out_free(struct cli_out *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

json_t *cli_out_json(const struct cli_out *r)
{
	json_error_t e;
	json_t *j = json_loadb(r->out, r->out_len, JSON_DECODE_ANY, &e);

	ck_assert_msg(j != NULL, "stdout is not JSON (%s):\n%s\nstderr:\n%s",
		      e.text, r->out, r->err);
	return j;
}

json_t *cli_out_json_lines(const struct cli_out *r)
{
	json_t *lines = json_array();
	const char *p = r->out;

	while (*p) {
		const char *nl = strchr(p, '\n');
		json_error_t e;
		json_t *j;

		ck_assert_msg(nl != NULL, "unterminated line: %s", p);
		j = json_loadb(p, (size_t)(nl - p), JSON_DECODE_ANY, &e);
		ck_assert_msg(j != NULL, "line is not JSON (%s): %.*s", e.text,
			      (int)(nl - p), p);
		json_array_append_new(lines, j);
		p = nl + 1;
	}
	return lines;
}

void cli_assert_error(const struct cli_out *r, int status, const char *needle)
{
	const char *nl = strchr(r->err, '\n');

	ck_assert_msg(r->status == status,
		      "exit status %d, expected %d; stderr: %s", r->status,
		      status, r->err);
	ck_assert_msg(r->out_len == 0, "unexpected stdout: %s", r->out);
	ck_assert_msg(strncmp(r->err, "linx: ", 6) == 0,
		      "stderr does not start with \"linx: \": %s", r->err);
	ck_assert_msg(nl && nl[1] == '\0', "stderr is not one line: %s",
		      r->err);
	ck_assert_msg(strstr(r->err, needle), "stderr lacks \"%s\": %s",
		      needle, r->err);
}

pid_t cli_spawn(int *ret_fd, int *ret_err_fd, const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	char **v = full_argv(argv);
	int out[2], err[2] = { -1, -1 };
	pid_t pid;

	set_plugin_path();
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	if (ret_err_fd)
		ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (ret_err_fd)
		posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	ck_assert_int_eq(posix_spawn(&pid, LINX_CLI, &fa, spawn_attr(), v, environ),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	free(v);
	close(out[1]);
	*ret_fd = out[0];
	if (ret_err_fd) {
		close(err[1]);
		*ret_err_fd = err[0];
	}
	return pid;
}

int cli_wait(pid_t pid)
{
	int wstatus;

	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	assert_not_signaled(wstatus, NULL);
	return WEXITSTATUS(wstatus);
}

char *cli_read_line(int fd)
{
	char *line = NULL;
	size_t len = 0;

	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (len == 0) {
				free(line);
				return NULL;
			}
			return line;
		}
		if (c == '\n')
			return line ? line : strdup("");
		append(&line, &len, &c, 1);
	}
}
