/* SPDX-License-Identifier: MIT */
/*
 * Running the built `linx` binary from a test: capture its exit status,
 * stdout and stderr, feed it stdin, and fail the test if it was killed by
 * a signal (a crash) or a sanitizer had anything to say, whatever status
 * the test expects.
 *
 * The binary's path (LINX_CLI) and the fixture directories come from
 * meson.  Every run gets LINX_PLUGIN_PATH = the fixtures, then the
 * monitor fixtures, unless the test set cli_plugin_path.
 */
#ifndef LINX_TEST_CLI_RUN_H
#define LINX_TEST_CLI_RUN_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#ifndef LINX_CLI
#error LINX_CLI must be defined
#endif
#ifndef FIXTURE_DIR
#error FIXTURE_DIR must be defined
#endif
#ifndef MONITOR_FIXTURE_DIR
#error MONITOR_FIXTURE_DIR must be defined
#endif

/* LINX_PLUGIN_PATH for the next runs (NULL: the default above). */
extern const char *cli_plugin_path;

struct cli_out {
	int status; /* exit status */
	char *out;  /* stdout, NUL-terminated */
	size_t out_len;
	char *err; /* stderr, NUL-terminated */
	size_t err_len;
};

/* Run linx with `argv` (NULL-terminated, without argv[0]) and `in_len`
 * bytes of stdin (in == NULL: /dev/null). */
void cli_run_argv(struct cli_out *r, const void *in, size_t in_len,
		  const char *const *argv);

#define cli_run(r, ...)                                                      \
	cli_run_argv((r), NULL, 0, (const char *const[]){ __VA_ARGS__, NULL })
#define cli_run_stdin(r, in, ...)                                            \
	cli_run_argv((r), (in), strlen(in),                                  \
		     (const char *const[]){ __VA_ARGS__, NULL })

void cli_out_free(struct cli_out *r);

/* stdout parsed as JSON (one document); fails the test if it is not. */
json_t *cli_out_json(const struct cli_out *r);

/* stdout split into JSON lines; fails the test on any invalid line. */
json_t *cli_out_json_lines(const struct cli_out *r);

/* Assert a failed run: exit status `status`, nothing on stdout, and
 * exactly one line on stderr that contains `needle`. */
void cli_assert_error(const struct cli_out *r, int status,
		      const char *needle);

/* Start linx without waiting: its stdout is returned in *ret_fd and,
 * if ret_err_fd is not NULL, its stderr in *ret_err_fd (read ends of
 * pipes, O_CLOEXEC).  Finish with cli_wait(). */
pid_t cli_spawn(int *ret_fd, int *ret_err_fd, const char *const *argv);

/* Wait for a spawned linx; returns its exit status and fails the test if
 * it died from a signal. */
int cli_wait(pid_t pid);

/* Read one line (without the newline) from fd, byte by byte so nothing
 * past it is consumed; NULL at EOF.  Caller frees. */
char *cli_read_line(int fd);

#endif /* LINX_TEST_CLI_RUN_H */
