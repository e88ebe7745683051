/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the sysctl tests: the procps oracle and error checks.
 */
#ifndef LINX_SYSCTL_TEST_H
#define LINX_SYSCTL_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/sysctl.h>

#include "linx-test.h"

/* A pid far above any pid_max (PID_MAX_LIMIT is 4194304): never alive. */
#define SYSCTL_TEST_NO_PID 999999999

static inline size_t sysctl_test_trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return n;
}

/* Is `prog` on PATH?  Usable from main(), unlike linx_test_have(), whose
 * check assertions need a running test. */
static inline bool sysctl_test_have(const char *prog)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* `sysctl -n KEY` run after `prefix` (e.g. "nsenter -t 123 -n"), trailing
 * whitespace trimmed; NULL if the command failed.  Caller frees. */
static inline char *sysctl_test_oracle(const char *prefix, const char *key)
{
	int status;
	char *out = linx_test_sh(&status, "%s sysctl -n %s 2>/dev/null",
				 prefix ? prefix : "", key);

	if (status != 0) {
		free(out);
		return NULL;
	}
	sysctl_test_trim(out);
	return out;
}

/* Assert the oracle's view of `key` equals `want`. */
#define sysctl_assert_oracle(prefix, key, want)                              \
	do {                                                                 \
		char *o_ = sysctl_test_oracle((prefix), (key));              \
		ck_assert_msg(o_ != NULL, "sysctl -n %s failed", (key));     \
		ck_assert_msg(strcmp(o_, (want)) == 0,                       \
			      "%s: sysctl says \"%s\", expected \"%s\"",     \
			      (key), o_, (want));                            \
		free(o_);                                                    \
	} while (0)

/* Assert a failure with this errno, op and (optional) param. */
static inline void sysctl_test_check_error(const char *expr, int r,
					   const struct linx_error *err,
					   int code, const char *op,
					   const char *param)
{
	char b[2048];

	linx_error_format(err, b, sizeof(b));
	ck_assert_msg(r == -code, "%s: expected %d, got %d: %s", expr, -code,
		      r, b);
	ck_assert_int_eq(err->code, code);
	ck_assert_msg(strcmp(err->op, op) == 0,
		      "%s: op \"%s\", expected \"%s\" (%s)", expr, err->op, op,
		      b);
	if (param)
		ck_assert_msg(strcmp(err->param, param) == 0,
			      "%s: param \"%s\", expected \"%s\" (%s)", expr,
			      err->param, param, b);
}
#define sysctl_assert_error(expr, errp, code_, op_, param_)                  \
	sysctl_test_check_error(#expr, (expr), (errp), (code_), (op_),       \
				(param_))

#endif /* LINX_SYSCTL_TEST_H */
