/* SPDX-License-Identifier: MIT */
/*
 * Detach sequences: docker's spelling parsed, and the matcher fed the way
 * keystrokes arrive - one read at a time, a sequence split across reads,
 * a prefix that turns out to be ordinary input.
 */
#include <errno.h>
#include <string.h>

#include "linx-test.h"
#include "tty-internal.h"

static size_t parse_ok(const char *text, uint8_t *buf)
{
	struct linx_error err;
	size_t n = 99;

	linx_assert_ok(linx_tty_detach_keys_parse(text, buf,
						  LINX_TTY_DETACH_KEYS_MAX, &n,
						  &err),
		       &err);
	return n;
}

START_TEST(parse_docker_spelling)
{
	uint8_t b[LINX_TTY_DETACH_KEYS_MAX];
	struct linx_error err;
	size_t n;

	ck_assert_uint_eq(parse_ok("ctrl-p,ctrl-q", b), 2);
	ck_assert(b[0] == 16 && b[1] == 17);
	ck_assert_uint_eq(parse_ok("ctrl-a,d", b), 2);
	ck_assert(b[0] == 1 && b[1] == 'd');
	ck_assert_uint_eq(parse_ok("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_",
				   b),
			  6);
	ck_assert(b[0] == 0 && b[1] == 27 && b[2] == 28 && b[3] == 29 &&
		  b[4] == 30 && b[5] == 31);
	ck_assert_uint_eq(parse_ok("x", b), 1);
	ck_assert_uint_eq(parse_ok("", b), 0);

	const char *bad[] = { "ctrl-", "ctrl-1", "ctrl-P", "ab", "ctrl-p,",
			      ",", "ctrl-p,,ctrl-q" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(linx_tty_detach_keys_parse(bad[i], b, sizeof(b),
							    &n, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, "detach_keys");
		ck_assert_str_eq(err.op, "validate");
	}
	ck_assert_int_eq(linx_tty_detach_keys_parse("a,b,c", b, 2, &n, &err),
			 -E2BIG);
}
END_TEST

/* Feed `in` in pieces of `step` bytes; return what was forwarded (NUL-
 * terminated in out) and whether the sequence completed. */
static bool feed(struct tty_keys *k, const char *in, size_t step, char *out)
{
	size_t len = strlen(in), o = 0;

	for (size_t i = 0; i < len; i += step) {
		size_t n = len - i < step ? len - i : step, got;
		bool done = tty_keys_feed(k, (const uint8_t *)in + i, n,
					  (uint8_t *)out + o, &got);

		o += got;
		if (done) {
			out[o] = 0;
			return true;
		}
	}
	out[o] = 0;
	return false;
}

START_TEST(matcher)
{
	struct tty_keys k;
	char out[256];

	for (size_t step = 1; step <= 4; step++) {
		ck_assert_int_eq(tty_keys_init(&k, "\x10\x11", 2, NULL), 0);
		ck_assert(feed(&k, "ab\x10\x11zz", step, out));
		ck_assert_str_eq(out, "ab");
		/* A held prefix goes out ahead of the byte that breaks it. */
		ck_assert_int_eq(tty_keys_init(&k, "\x10\x11", 2, NULL), 0);
		ck_assert(!feed(&k, "\x10" "a", step, out));
		ck_assert_str_eq(out, "\x10" "a");
		/* ... and a repeated prefix still completes. */
		ck_assert_int_eq(tty_keys_init(&k, "\x10\x11", 2, NULL), 0);
		ck_assert(feed(&k, "\x10\x10\x11", step, out));
		ck_assert_str_eq(out, "\x10");
		/* Overlapping sequence: "aab" in "aaab". */
		ck_assert_int_eq(tty_keys_init(&k, "aab", 3, NULL), 0);
		ck_assert(feed(&k, "xaaab", step, out));
		ck_assert_str_eq(out, "xa");
		/* Disabled: everything passes. */
		ck_assert_int_eq(tty_keys_init(&k, NULL, 0, NULL), 0);
		ck_assert(!feed(&k, "\x10\x11", step, out));
		ck_assert_str_eq(out, "\x10\x11");
	}
	/* Held at EOF: flushed. */
	ck_assert_int_eq(tty_keys_init(&k, "\x10\x11", 2, NULL), 0);
	ck_assert(!feed(&k, "q\x10", 2, out));
	ck_assert_str_eq(out, "q");
	ck_assert_uint_eq(tty_keys_flush(&k, (uint8_t *)out), 1);
	ck_assert_int_eq(out[0], 0x10);
	ck_assert_int_eq(tty_keys_init(&k, "0123456789abcdefg", 17, NULL),
			 -E2BIG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tty-keys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, parse_docker_spelling);
	tcase_add_test(tc, matcher);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
