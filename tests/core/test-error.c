/* SPDX-License-Identifier: MIT */
/*
 * The error model (core/error.c) and the allocation-free formatter
 * (core/fmt.c, compiled into this test: it is internal to liblinx).
 * glibc is the independent oracle: strerrorname_np() for the errno names,
 * snprintf() for the formatter.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "linx-test.h"

/* core/fmt.c, linked into this executable. */
size_t linx__vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t linx__format(char *buf, size_t cap, const char *fmt, ...);

/* ---- the errno table ---------------------------------------------------- */

START_TEST(errno_names_match_glibc)
{
	int named = 0;

	for (int e = 1; e <= 133; e++) {
		const char *ours = linx_errno_name(e);
		const char *glibc = strerrorname_np(e);
		char lower[64];

		if (!glibc) {
			/* 41 and 58 are holes in the Linux numbering */
			ck_assert_msg(ours == NULL, "errno %d: glibc has no "
						    "name, we say %s",
				      e, ours);
			continue;
		}
		ck_assert_msg(ours != NULL, "errno %d (%s) has no name", e,
			      glibc);
		for (size_t i = 0; i <= strlen(glibc); i++)
			lower[i] = (char)tolower((unsigned char)glibc[i]);
		ck_assert_msg(strcmp(ours, lower) == 0, "errno %d: %s vs %s", e,
			      ours, lower);
		/* both directions, and the sign is ignored */
		ck_assert_int_eq(linx_errno_from_name(ours), e);
		ck_assert_str_eq(linx_errno_name(-e), ours);
		/* the description is glibc's, without locale lookups */
		ck_assert_str_eq(linx_strerror(e), strerrordesc_np(e));
		ck_assert_str_eq(linx_strerror(-e), strerrordesc_np(e));
		named++;
	}
	ck_assert_int_eq(named, 131);
}
END_TEST

START_TEST(errno_aliases_and_unknowns)
{
	ck_assert_int_eq(linx_errno_from_name("ewouldblock"), EAGAIN);
	ck_assert_int_eq(linx_errno_from_name("edeadlock"), EDEADLK);
	ck_assert_int_eq(linx_errno_from_name("enotsup"), ENOTSUP);
	ck_assert_int_eq(linx_errno_from_name("eopnotsupp"), EOPNOTSUPP);
	/* canonical names win for shared values */
	ck_assert_str_eq(linx_errno_name(EWOULDBLOCK), "eagain");
	ck_assert_str_eq(linx_errno_name(ENOTSUP), "eopnotsupp");

	ck_assert_ptr_null(linx_errno_name(0));
	ck_assert_ptr_null(linx_errno_name(134));
	ck_assert_ptr_null(linx_errno_name(4096));
	ck_assert_ptr_null(linx_errno_name(INT_MAX));
	ck_assert_int_eq(linx_errno_from_name(NULL), 0);
	ck_assert_int_eq(linx_errno_from_name(""), 0);
	ck_assert_int_eq(linx_errno_from_name("ENOENT"), 0); /* case */
	ck_assert_int_eq(linx_errno_from_name("enoent "), 0);
	ck_assert_int_eq(linx_errno_from_name("nosuch"), 0);
	ck_assert_str_eq(linx_strerror(4096), "unknown error");
}
END_TEST

/* INT_MIN has no positive counterpart: it must not be negated (UBSan). */
START_TEST(errno_int_min)
{
	struct linx_error err;

	ck_assert_ptr_null(linx_errno_name(INT_MIN));
	ck_assert_str_eq(linx_strerror(INT_MIN), "unknown error");
	ck_assert_int_eq(linx_error_set(&err, INT_MIN, "op", "x"), -EIO);
	ck_assert_int_eq(err.code, EIO);
	ck_assert_int_eq(linx_error_set(NULL, INT_MIN, NULL, NULL), -EIO);
}
END_TEST

/* ---- filling errors ----------------------------------------------------- */

static void filled(struct linx_error *err)
{
	memset(err, 'x', sizeof(*err));
	err->op[sizeof(err->op) - 1] = '\0';
	err->param[sizeof(err->param) - 1] = '\0';
	err->object[sizeof(err->object) - 1] = '\0';
	err->message[sizeof(err->message) - 1] = '\0';
	err->extack[sizeof(err->extack) - 1] = '\0';
}

START_TEST(error_set)
{
	struct linx_error err;

	linx_error_clear(&err);
	ck_assert_int_eq(err.code, 0);
	ck_assert_int_eq(err.extack_offset, -1);
	ck_assert_str_eq(err.message, "");
	linx_error_clear(NULL);

	filled(&err);
	ck_assert_int_eq(linx_error_set(&err, ENOENT, "read", "no key %s (%d)",
					"k", 3),
			 -ENOENT);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_str_eq(err.op, "read");
	ck_assert_str_eq(err.message, "no key k (3)");
	/* everything else is reset */
	ck_assert_str_eq(err.param, "");
	ck_assert_str_eq(err.object, "");
	ck_assert_str_eq(err.extack, "");
	ck_assert_int_eq(err.extack_offset, -1);

	/* sign ignored, 0 becomes EIO, NULL op/fmt */
	ck_assert_int_eq(linx_error_set(&err, -EPERM, NULL, NULL), -EPERM);
	ck_assert_int_eq(err.code, EPERM);
	ck_assert_str_eq(err.op, "");
	ck_assert_str_eq(err.message, strerrordesc_np(EPERM));
	ck_assert_int_eq(linx_error_set(&err, 0, "x", NULL), -EIO);
	ck_assert_int_eq(err.code, EIO);
	/* no err: only the return value */
	ck_assert_int_eq(linx_error_set(NULL, ENODEV, "x", "y"), -ENODEV);
	ck_assert_int_eq(linx_error_set(NULL, 0, "x", "y"), -EIO);
}
END_TEST

START_TEST(error_truncation)
{
	struct linx_error err;
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	linx_error_set(&err, EINVAL, big, "%s", big);
	ck_assert_uint_eq(strlen(err.op), LINX_ERROR_OP_MAX - 1);
	ck_assert_uint_eq(strlen(err.message), LINX_ERROR_MESSAGE_MAX - 1);
	linx_error_param(&err, "validate", big, "%s", big);
	ck_assert_uint_eq(strlen(err.param), LINX_ERROR_PARAM_MAX - 1);
	linx_error_object(&err, big);
	ck_assert_uint_eq(strlen(err.object), LINX_ERROR_OBJECT_MAX - 1);
	linx_error_extack(&err, big, 7);
	ck_assert_uint_eq(strlen(err.extack), LINX_ERROR_EXTACK_MAX - 1);
	ck_assert_int_eq(err.extack_offset, 7);
	/* the prefix alone fills the message: the old text is dropped */
	linx_error_set(&err, EINVAL, "op", "old");
	linx_error_prefix(&err, "%s", big);
	ck_assert_uint_eq(strlen(err.message), LINX_ERROR_MESSAGE_MAX - 1);
	ck_assert(strstr(err.message, "old") == NULL);
	/* a long old message is cut at the end, the prefix kept */
	linx_error_set(&err, EINVAL, "op", "%s", big);
	linx_error_prefix(&err, "ctx");
	ck_assert_uint_eq(strlen(err.message), LINX_ERROR_MESSAGE_MAX - 1);
	ck_assert(strncmp(err.message, "ctx: aaa", 8) == 0);
}
END_TEST

START_TEST(error_param_object_prefix_extack)
{
	struct linx_error err;

	ck_assert_int_eq(linx_error_param(&err, "validate", "name",
					  "bad %s", "name"),
			 -EINVAL);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "name");
	ck_assert_str_eq(err.message, "bad name");
	ck_assert_int_eq(linx_error_param(NULL, "v", "p", "m"), -EINVAL);
	linx_error_param(&err, "validate", NULL, "m");
	ck_assert_str_eq(err.param, "");

	ck_assert_int_eq(linx_error_set(&err, ENOENT, "read", "gone"),
			 -ENOENT);
	ck_assert_int_eq(linx_error_object(&err, "/proc/sys/x"), -ENOENT);
	ck_assert_str_eq(err.object, "/proc/sys/x");
	ck_assert_int_eq(linx_error_object(NULL, "x"), -EIO);
	linx_error_object(&err, NULL);
	ck_assert_str_eq(err.object, "");

	ck_assert_int_eq(linx_error_prefix(&err, "mount %s", "/proc"),
			 -ENOENT);
	ck_assert_str_eq(err.message, "mount /proc: gone");
	ck_assert_str_eq(err.op, "read");
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_int_eq(linx_error_prefix(&err, "outer"), -ENOENT);
	ck_assert_str_eq(err.message, "outer: mount /proc: gone");
	ck_assert_int_eq(linx_error_prefix(NULL, "x"), -EIO);
	{
		/* an empty message takes the context alone, no ": " */
		struct linx_error e2;
		linx_error_clear(&e2);
		linx_error_set(&e2, ENOENT, "newrule", "%s", "");
		linx_error_prefix(&e2, "message %d", 5);
		ck_assert_str_eq(e2.message, "message 5");
	}

	linx_error_extack(&err, "Invalid attribute", 24);
	ck_assert_str_eq(err.extack, "Invalid attribute");
	ck_assert_int_eq(err.extack_offset, 24);
	ck_assert_str_eq(err.message, "outer: mount /proc: gone");
	linx_error_extack(&err, NULL, -1);
	ck_assert_str_eq(err.extack, "");
	linx_error_extack(NULL, "x", 1);
}
END_TEST

/* Wrapping an error with its own text is a natural pattern. */
START_TEST(error_set_from_itself)
{
	struct linx_error err;

	linx_error_set(&err, ENOENT, "open_ns_net", "cannot open %s", "x");
	linx_error_set(&err, err.code, err.op, "while loading: %s",
		       err.message);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_str_eq(err.op, "open_ns_net");
	ck_assert_str_eq(err.message, "while loading: cannot open x");
	linx_error_param(&err, err.op, "p", "%s!", err.message);
	ck_assert_str_eq(err.message, "while loading: cannot open x!");
	ck_assert_str_eq(err.op, "open_ns_net");
}
END_TEST

/* An error whose code is still 0 reports and records EIO, never 0. */
START_TEST(error_object_prefix_on_empty)
{
	struct linx_error err;

	linx_error_clear(&err);
	ck_assert_int_eq(linx_error_object(&err, "x"), -EIO);
	ck_assert_int_eq(err.code, EIO);
	linx_error_clear(&err);
	ck_assert_int_eq(linx_error_prefix(&err, "ctx"), -EIO);
	ck_assert_int_eq(err.code, EIO);
}
END_TEST

/* The prefix may quote the error's own fields, its message included. */
START_TEST(error_prefix_from_itself)
{
	struct linx_error err;

	linx_error_set(&err, ENOENT, "read", "gone");
	linx_error_object(&err, "/proc/sys/x");
	linx_error_prefix(&err, "[%s] %s", err.message, err.object);
	ck_assert_str_eq(err.message, "[gone] /proc/sys/x: gone");
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_str_eq(err.object, "/proc/sys/x");
}
END_TEST

START_TEST(error_format)
{
	struct linx_error err;
	char buf[2048], small[10];
	size_t n;

	linx_error_clear(&err);
	n = linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "no error");
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(linx_error_format(NULL, buf, sizeof(buf)), 8);

	linx_error_set(&err, ENODEV, "link_get", "no such link");
	linx_error_object(&err, "eth9");
	n = linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "link_get: eth9: no such link (enodev 19)");
	ck_assert_uint_eq(n, strlen(buf));
	linx_error_extack(&err, "Device not found", 16);
	linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "link_get: eth9: no such link (enodev 19); "
			      "kernel says: Device not found");
	/* snprintf semantics */
	n = linx_error_format(&err, small, sizeof(small));
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_str_eq(small, "link_get:");
	ck_assert_uint_eq(linx_error_format(&err, NULL, 0), strlen(buf));
	/* an errno without a name */
	linx_error_set(&err, 4000, NULL, "odd");
	linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "odd (errno 4000)");
	/* a message that already starts with its object says it once */
	linx_error_set(&err, EINVAL, "validate", "sysctl.read: unknown x");
	linx_error_object(&err, "sysctl.read");
	linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "validate: sysctl.read: unknown x (einval 22)");
	/* ...but only a whole-word match: "eth" is not "eth0: ..." */
	linx_error_set(&err, ENODEV, "get", "eth0: gone");
	linx_error_object(&err, "eth");
	linx_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "get: eth: eth0: gone (enodev 19)");
}
END_TEST

/* ---- crossing a pipe ---------------------------------------------------- */

START_TEST(error_is_flat)
{
	/* Exactly the declared fields (no hidden pointers or padding), small
	 * enough for one atomic pipe write. */
	ck_assert_uint_eq(sizeof(struct linx_error),
			  2 * sizeof(int32_t) + LINX_ERROR_OP_MAX +
				  LINX_ERROR_PARAM_MAX +
				  LINX_ERROR_OBJECT_MAX +
				  LINX_ERROR_MESSAGE_MAX +
				  LINX_ERROR_EXTACK_MAX);
	ck_assert_uint_le(sizeof(struct linx_error), PIPE_BUF);
}
END_TEST

START_TEST(error_crosses_pipe)
{
	struct linx_error got, want;
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct linx_error e;

		close(fds[0]);
		linx_error_set(&e, EACCES, "setns_user", "denied for pid %d",
			       (int)getpid());
		linx_error_param(&e, "validate", "in", "bad target");
		linx_error_object(&e, "/proc/1/ns/user");
		linx_error_prefix(&e, "child");
		linx_error_extack(&e, "ack", 12);
		_exit(write(fds[1], &e, sizeof(e)) == (ssize_t)sizeof(e) ? 0
									 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &got, sizeof(got)), sizeof(got));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	linx_error_param(&want, "validate", "in", "bad target");
	linx_error_object(&want, "/proc/1/ns/user");
	linx_error_prefix(&want, "child");
	linx_error_extack(&want, "ack", 12);
	ck_assert_int_eq(got.code, EINVAL);
	ck_assert_str_eq(got.op, want.op);
	ck_assert_str_eq(got.param, want.param);
	ck_assert_str_eq(got.object, want.object);
	ck_assert_str_eq(got.message, want.message);
	ck_assert_str_eq(got.extack, want.extack);
	ck_assert_int_eq(got.extack_offset, 12);
}
END_TEST

/* ---- the formatter, differentially against glibc ------------------------ */

static int fmt_checks;

static void LINX_PRINTF(1, 2) same(const char *fmt, ...)
{
	char ours[512], theirs[512];
	static const size_t caps[] = { 0, 1, 2, 7, 512 };
	va_list ap, aq;

	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		size_t cap = caps[c];
		int n;
		size_t m;

		memset(ours, 0x55, sizeof(ours));
		memset(theirs, 0x55, sizeof(theirs));
		va_start(ap, fmt);
		va_copy(aq, ap);
		n = vsnprintf(theirs, cap, fmt, ap);
		m = linx__vformat(ours, cap, fmt, aq);
		va_end(aq);
		va_end(ap);
		/* plain ifs: every ck_assert costs a message to the
		 * runner, and this runs millions of times */
		if (n < 0 || (size_t)n != m)
			ck_abort_msg("format \"%s\" cap %zu: length %zu, "
				     "glibc %d (\"%s\" vs \"%s\")",
				     fmt, cap, m, n, cap ? ours : "",
				     cap ? theirs : "");
		if (memcmp(ours, theirs, sizeof(ours)) != 0)
			ck_abort_msg("format \"%s\" cap %zu: \"%s\", glibc "
				     "\"%s\"",
				     fmt, cap, cap ? ours : "",
				     cap ? theirs : "");
	}
	fmt_checks++;
}

static const char *const flag_sets[] = {
	"", "-", "0", "#", "-0", "#0", "-#", "#-0",
};
static const char *const widths[] = { "", "0", "1", "5", "21", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".22", ".*" };

/* Build "%<flags><width><prec><len><conv>". */
static void spec(char *out, size_t cap, const char *flags, const char *w,
		 const char *p, const char *len, char conv)
{
	snprintf(out, cap, "[%%%s%s%s%s%c]", flags, w, p, len, conv);
}

/* The '*' arguments come first, then the value. */
#define CALL_WITH_STARS(fmtbuf, w, p, value)                                 \
	do {                                                                 \
		bool ws_ = strcmp((w), "*") == 0, ps_ = strcmp((p), ".*") == 0; \
		if (ws_ && ps_) {                                            \
			same(fmtbuf, 9, 4, value);                           \
			same(fmtbuf, -9, -1, value);                         \
		} else if (ws_) {                                            \
			same(fmtbuf, 12, value);                             \
			same(fmtbuf, -12, value);                            \
			same(fmtbuf, 0, value);                              \
		} else if (ps_) {                                            \
			same(fmtbuf, 6, value);                              \
			same(fmtbuf, -3, value);                             \
			same(fmtbuf, 0, value);                              \
		} else {                                                     \
			same(fmtbuf, value);                                 \
		}                                                            \
	} while (0)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-overflow"
#endif

static const long long signed_values[] = {
	0, 1, -1, 7, -7, 42, 127, 128, -128, 255, 32767, -32768, 65535,
	INT_MAX, INT_MIN, UINT_MAX, (long long)INT_MAX + 1, LLONG_MAX,
	LLONG_MIN, LLONG_MIN + 1, 1234567890123LL, -9876543210LL,
};

/* The one map shape: errno as integer and name, every field, extended ACK
 * included; text that is not UTF-8 travels as bytes; the name alone
 * suffices; a non-map is refused. */
START_TEST(error_value_round_trip)
{
	struct linx_error e, back;
	struct linx_value m = linx_value_map(), bad = linx_value_int(1);

	linx_error_param(&e, "validate", "mtu", "mtu must be 68..65535");
	linx_error_object(&e, "eth\xff" "0");
	linx_error_extack(&e, "MTU too big", 12);
	ck_assert_int_eq(linx_error_to_value(&e, &m), 0);
	ck_assert_int_eq(linx_map_get(&m, "errno")->i, EINVAL);
	ck_assert_str_eq(linx_map_get(&m, "errno_name")->str, "einval");
	ck_assert_str_eq(linx_map_get(&m, "stage")->str, "validate");
	ck_assert_int_eq(linx_map_get(&m, "object")->type, LINX_BYTES);
	ck_assert_str_eq(linx_map_get(&m, "extack")->str, "MTU too big");
	ck_assert_int_eq(linx_error_from_value(&m, &back), 0);
	ck_assert_int_eq(back.code, EINVAL);
	ck_assert_str_eq(back.op, "validate");
	ck_assert_str_eq(back.param, "mtu");
	ck_assert_str_eq(back.object, "eth\xff" "0");
	ck_assert_str_eq(back.message, e.message);
	ck_assert_str_eq(back.extack, "MTU too big");
	ck_assert_int_eq(back.extack_offset, 12);
	linx_value_clear(&m);

	m = linx_value_map();
	linx_map_put_cstring(&m, "errno_name", "enodev");
	ck_assert_int_eq(linx_error_from_value(&m, &back), 0);
	ck_assert_int_eq(back.code, ENODEV);
	ck_assert_int_eq(back.extack_offset, -1);
	linx_value_clear(&m);
	m = linx_value_map();
	ck_assert_int_eq(linx_error_from_value(&m, &back), 0);
	ck_assert_int_eq(back.code, EIO);
	ck_assert_int_eq(linx_error_from_value(&bad, &back), -EINVAL);
	ck_assert_int_eq(back.code, EIO);
	ck_assert_int_eq(linx_error_to_value(&e, &bad), -EINVAL);
	linx_value_clear(&m);
}
END_TEST

START_TEST(fmt_integers)
{
	static const char convs[] = "diuoxX";
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "j",
					    "z", "t" };
	char f[64];

	/* one conversion per loop iteration (each its own process) */
	for (size_t c = (size_t)_i; c == (size_t)_i; c++)
		for (size_t fl = 0; fl < sizeof(flag_sets) / sizeof(*flag_sets); fl++)
			for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
				for (size_t p = 0; p < sizeof(precs) / sizeof(*precs); p++)
					for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++) {
						spec(f, sizeof(f), flag_sets[fl], widths[w],
						     precs[p], lens[l], convs[c]);
						for (size_t v = 0; v < sizeof(signed_values) / sizeof(*signed_values); v++) {
							long long x = signed_values[v];

							if (lens[l][0] == '\0' || lens[l][0] == 'h')
								CALL_WITH_STARS(f, widths[w], precs[p], (int)x);
							else
								CALL_WITH_STARS(f, widths[w], precs[p], x);
						}
					}
	ck_assert_int_gt(fmt_checks, 50000);
}
END_TEST

START_TEST(fmt_strings_chars)
{
	static const char *const strs[] = { "", "a", "hello", "h\xc3\xa9llo",
					    "a rather longer string here" };
	static const char *const text_flags[] = { "", "-", "0", "-0" };
	char f[64];

	for (size_t fl = 0; fl < 4; fl++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++) {
			for (size_t p = 0; p < sizeof(precs) / sizeof(*precs); p++) {
				spec(f, sizeof(f), text_flags[fl], widths[w],
				     precs[p], "", 's');
				for (size_t s = 0; s < 5; s++)
					CALL_WITH_STARS(f, widths[w], precs[p],
							strs[s]);
			}
			spec(f, sizeof(f), text_flags[fl], widths[w], "", "",
			     'c');
			for (int c = 1; c < 256; c += 17)
				CALL_WITH_STARS(f, widths[w], "", c);
		}
	/* glibc's renderings of NULL */
	same("%s|%10s|%-8s|%.6s|%.5s|%.0s", (char *)NULL, (char *)NULL,
	     (char *)NULL, (char *)NULL, (char *)NULL, (char *)NULL);
	/* a NUL character is written and counted */
	same("a%cb", 0);
}
END_TEST

START_TEST(fmt_misc)
{
	same("");
	same("plain text, no conversions");
	same("%%|%5%|%-5%|%%%%");
	same("%d%s%c%u%x", -1, "s", 'c', 2u, 255u);
	same("%hhd %hhu %hd %hu", 200, 200, 70000, 70000);
	same("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	same("%zu %zd %jd %ju %td", SIZE_MAX, (ssize_t)-1, INTMAX_MIN,
	     UINTMAX_MAX, (ptrdiff_t)-5);
	same("%lld|%-25lld|%025lld", (long long)INT64_MIN,
	     (long long)INT64_MIN, (long long)INT64_MIN);
	same("%5d%-5d%05d", 1, 2, 3);
	same("%.0d|%.0x|%#.0x|%#.0o|%#o|%#x|%#X", 0, 0u, 0u, 0u, 0u, 0u, 0u);
	same("%#o|%#.3o|%#5o|%#x|%#08X", 8u, 8u, 8u, 255u, 255u);
	same("%-0#5d", 3);
	same("%*d|%-*d|%*.*d", 5, 1, 5, 2, 8, 4, 3);
}
END_TEST

/* At anything outside the documented set formatting stops: the rest is
 * copied as written and no argument after it is read (a double, a wide
 * string or %n's pointer is never read as something else). */
START_TEST(fmt_unsupported_stops)
{
	static const char *const formats[] = {
		"%f %s", "%Lf %s", "%.3e %s", "%g %s", "%a %s", "%p %s",
		"%n %s", "%m %s", "%ls %s", "%lc %s", "%S %s", "%C %s",
		"%+d %s", "% d %s", "%'d %s", "%Zu %s", "%qd %s", "%k %s",
		"%lld %llld %s",
	};
	char buf[128];
	int sink = 1234;

	/* glibc fails on a lone '%' at the end; we print what precedes it */
	ck_assert_uint_eq(linx__format(buf, sizeof(buf), "100%"), 3);
	ck_assert_str_eq(buf, "100");
	ck_assert_uint_eq(linx__format(buf, sizeof(buf), "%"), 0);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const char *want = strchr(formats[i], '%');

		if (strncmp(formats[i], "%lld", 4) == 0) {
			linx__format(buf, sizeof(buf), formats[i], 7LL, &sink,
				     "x");
			ck_assert_str_eq(buf, "7 %llld %s");
			continue;
		}
		/* Passing a pointer to the first: whatever it is read as,
		 * nothing is read. */
		ck_assert_uint_eq(linx__format(buf, sizeof(buf), formats[i],
					       &sink, "never read"),
				  strlen(want));
		ck_assert_str_eq(buf, want);
	}
	ck_assert_int_eq(sink, 1234);
	linx__format(buf, sizeof(buf), "%d %#x %s then %f", 5, 16u, "ok", 1.0);
	ck_assert_str_eq(buf, "5 0x10 ok then %f");
}
END_TEST

#pragma GCC diagnostic pop

/* The error functions are usable between fork and exec: the formatter
 * keeps errno, and linx_error_set works in a child without malloc. */
START_TEST(fmt_keeps_errno)
{
	char buf[32];

	errno = EXDEV;
	linx__format(buf, sizeof(buf), "%d %s", 1, "x");
	ck_assert_int_eq(errno, EXDEV);
}
END_TEST

/* ABI 1.1 setters: object and parameter in one call. */
START_TEST(set_object_and_param_object)
{
	struct linx_error err;

	ck_assert_int_eq(linx_error_set_object(&err, ENOENT, "read", "/x",
					       "no %s", "x"),
			 -ENOENT);
	ck_assert_str_eq(err.object, "/x");
	ck_assert_str_eq(err.message, "no x");
	ck_assert_str_eq(err.param, "");
	ck_assert_int_eq(linx_error_param_object(&err, E2BIG, "validate",
						 "value", "/proc/sys/a",
						 "%d bytes", 9),
			 -E2BIG);
	ck_assert_str_eq(err.param, "value");
	ck_assert_str_eq(err.object, "/proc/sys/a");
	ck_assert_str_eq(err.op, "validate");
	/* 0 means EINVAL; NULL param/object leave them empty; the inputs
	 * may come from the struct itself. */
	ck_assert_int_eq(linx_error_param_object(&err, 0, "validate",
						 err.param, NULL, "again"),
			 -EINVAL);
	ck_assert_str_eq(err.param, "value");
	ck_assert_str_eq(err.object, "");
	ck_assert_int_eq(linx_error_param_object(NULL, ERANGE, "v", "p", "o",
						 "x"),
			 -ERANGE);
	ck_assert_int_eq(linx_error_set_object(NULL, 0, "v", "o", "x"), -EIO);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("error");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, errno_names_match_glibc);
	tcase_add_test(tc, errno_aliases_and_unknowns);
	tcase_add_test(tc, errno_int_min);
	tcase_add_test(tc, error_set);
	tcase_add_test(tc, error_truncation);
	tcase_add_test(tc, error_param_object_prefix_extack);
	tcase_add_test(tc, error_set_from_itself);
	tcase_add_test(tc, error_object_prefix_on_empty);
	tcase_add_test(tc, error_prefix_from_itself);
	tcase_add_test(tc, error_format);
	tcase_add_test(tc, error_is_flat);
	tcase_add_test(tc, error_crosses_pipe);
	tcase_add_test(tc, error_value_round_trip);
	tcase_add_loop_test(tc, fmt_integers, 0, 6); /* d i u o x X */
	tcase_add_test(tc, fmt_strings_chars);
	tcase_add_test(tc, fmt_misc);
	tcase_add_test(tc, fmt_unsupported_stops);
	tcase_add_test(tc, fmt_keeps_errno);
	tcase_add_test(tc, set_object_and_param_object);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
