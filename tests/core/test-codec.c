/* SPDX-License-Identifier: MIT */
/*
 * The binary codec (core/codec.c, wire format in docs/core/codec.md):
 * golden vectors, round trips of pseudo-random trees, canonical
 * re-encoding, and rejection of every kind of malformed input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linx-test.h"

/* "03 7e" -> bytes; returns the length. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*hex) {
		unsigned b;

		if (*hex == ' ') {
			hex++;
			continue;
		}
		ck_assert(sscanf(hex, "%2x", &b) == 1);
		ck_assert(n < cap);
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

static void expect_encoding(const struct linx_value *v, const char *hex)
{
	uint8_t want[256];
	size_t want_len = unhex(hex, want, sizeof(want)), len = 0;
	struct linx_value back;
	struct linx_error err;
	void *buf = NULL;

	linx_assert_ok(linx_value_encode(v, &buf, &len, &err), &err);
	if (len != want_len || memcmp(buf, want, len) != 0) {
		char got[1024] = "";

		for (size_t i = 0; i < len && i < 300; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%02x ", ((uint8_t *)buf)[i]);
		ck_abort_msg("encoding: want %s, got %s", hex, got);
	}
	/* ...and the golden bytes decode back to the same tree. */
	linx_assert_ok(linx_value_decode(want, want_len, &back, &err), &err);
	ck_assert(linx_value_equal(v, &back));
	linx_value_clear(&back);
	free(buf);
}

START_TEST(golden_scalars)
{
	struct linx_value v = linx_value_nil();

	expect_encoding(&v, "00");
	v = linx_value_bool(false);
	expect_encoding(&v, "01");
	v = linx_value_bool(true);
	expect_encoding(&v, "02");
	/* int: zig-zag, then LEB128 */
	v = linx_value_int(0);
	expect_encoding(&v, "03 00");
	v = linx_value_int(-1);
	expect_encoding(&v, "03 01");
	v = linx_value_int(1);
	expect_encoding(&v, "03 02");
	v = linx_value_int(63);
	expect_encoding(&v, "03 7e");
	v = linx_value_int(-64);
	expect_encoding(&v, "03 7f");
	v = linx_value_int(64);
	expect_encoding(&v, "03 80 01");
	v = linx_value_int(-65);
	expect_encoding(&v, "03 81 01");
	v = linx_value_int(INT64_MAX);
	expect_encoding(&v, "03 fe ff ff ff ff ff ff ff ff 01");
	v = linx_value_int(INT64_MIN);
	expect_encoding(&v, "03 ff ff ff ff ff ff ff ff ff 01");
	/* uint: plain LEB128 */
	v = linx_value_uint(0);
	expect_encoding(&v, "04 00");
	v = linx_value_uint(127);
	expect_encoding(&v, "04 7f");
	v = linx_value_uint(128);
	expect_encoding(&v, "04 80 01");
	v = linx_value_uint(300);
	expect_encoding(&v, "04 ac 02");
	v = linx_value_uint(1ull << 63);
	expect_encoding(&v, "04 80 80 80 80 80 80 80 80 80 01");
	v = linx_value_uint(UINT64_MAX);
	expect_encoding(&v, "04 ff ff ff ff ff ff ff ff ff 01");
}
END_TEST

START_TEST(golden_containers)
{
	struct linx_value v, list, map, inner;
	static const uint8_t raw[] = { 0x00, 0x01, 0xff };
	char big[200];

	ck_assert_int_eq(linx_value_bytes(&v, NULL, 0), 0);
	expect_encoding(&v, "05 00");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_bytes(&v, raw, 3), 0);
	expect_encoding(&v, "05 03 00 01 ff");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_cstring(&v, ""), 0);
	expect_encoding(&v, "06 00");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_cstring(&v, "h\xc3\xa9llo"), 0);
	expect_encoding(&v, "06 06 68 c3 a9 6c 6c 6f");
	linx_value_clear(&v);
	/* a length that needs two varint bytes */
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(linx_value_string(&v, big, 130), 0);
	{
		char hex[1024] = "06 82 01";

		for (int i = 0; i < 130; i++)
			strcat(hex, " 78");
		expect_encoding(&v, hex);
	}
	linx_value_clear(&v);

	list = linx_value_list();
	expect_encoding(&list, "07 00");
	ck_assert_int_eq(linx_list_push_int(&list, 1), 0);
	ck_assert_int_eq(linx_list_push_cstring(&list, "a"), 0);
	v = linx_value_nil();
	ck_assert_int_eq(linx_list_push(&list, &v), 0);
	expect_encoding(&list, "07 03 03 02 06 01 61 00");

	map = linx_value_map();
	expect_encoding(&map, "08 00");
	ck_assert_int_eq(linx_map_put_uint(&map, "a", 1), 0);
	inner = linx_value_list();
	ck_assert_int_eq(linx_list_push(&inner, &(struct linx_value){
							 .type = LINX_BOOL,
							 .b = true }),
			 0);
	ck_assert_int_eq(linx_map_put(&map, "b", &inner), 0);
	/* keys in insertion order */
	expect_encoding(&map, "08 02 01 61 04 01 01 62 07 01 02");
	ck_assert_int_eq(linx_map_put(&map, "list", &list), 0);
	ck_assert_int_eq(linx_map_put_nil(&map, ""), 0);
	expect_encoding(&map, "08 04 01 61 04 01 01 62 07 01 02"
			      " 04 6c 69 73 74 07 03 03 02 06 01 61 00"
			      " 00 00");
	linx_value_clear(&map);
}
END_TEST

/* ---- round trips -------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, so every run tests the same trees */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static const int64_t extreme_ints[] = {
	0, 1, -1, 63, -64, 64, -65, 127, 128, INT32_MAX, INT32_MIN,
	(int64_t)1 << 62, INT64_MAX, INT64_MIN, INT64_MIN + 1,
};
static const uint64_t extreme_uints[] = {
	0, 1, 127, 128, 16383, 16384, UINT32_MAX, (uint64_t)INT64_MAX,
	1ull << 63, UINT64_MAX - 1, UINT64_MAX,
};

/* A random valid UTF-8 string of up to `max` code points. */
static void random_string(char *out, size_t cap, size_t *ret_len)
{
	size_t n = 0, cps = rnd() % 12;

	for (size_t i = 0; i < cps && n + 4 < cap; i++) {
		uint32_t cp;

		switch (rnd() % 4) {
		case 0:
			cp = 1 + rnd() % 0x7f;
			break;
		case 1:
			cp = 0x80 + rnd() % (0x800 - 0x80);
			break;
		case 2:
			do
				cp = 0x800 + rnd() % (0x10000 - 0x800);
			while (cp >= 0xd800 && cp <= 0xdfff);
			break;
		default:
			cp = 0x10000 + rnd() % (0x110000 - 0x10000);
			break;
		}
		if (cp < 0x80) {
			out[n++] = (char)cp;
		} else if (cp < 0x800) {
			out[n++] = (char)(0xc0 | (cp >> 6));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[n++] = (char)(0xe0 | (cp >> 12));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[n++] = (char)(0xf0 | (cp >> 18));
			out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	out[n] = '\0';
	*ret_len = n;
}

static struct linx_value random_tree(unsigned depth)
{
	struct linx_value v = linx_value_nil();
	unsigned kinds = depth >= 8 ? 6 : 8; /* leaves only when deep */
	char s[64];
	size_t n;

	switch (rnd() % kinds) {
	case 0:
		break;
	case 1:
		v = linx_value_bool(rnd() & 1);
		break;
	case 2:
		v = linx_value_int(rnd() % 3 ? extreme_ints[rnd() % 15]
					     : (int64_t)rnd());
		break;
	case 3:
		v = linx_value_uint(rnd() % 3 ? extreme_uints[rnd() % 11]
					      : rnd());
		break;
	case 4:
		n = rnd() % 20;
		for (size_t i = 0; i < n; i++)
			s[i] = (char)rnd(); /* anything, NUL included */
		ck_assert_int_eq(linx_value_bytes(&v, s, n), 0);
		break;
	case 5:
		random_string(s, sizeof(s), &n);
		ck_assert_int_eq(linx_value_string(&v, s, n), 0);
		break;
	case 6: {
		size_t count = rnd() % 6;

		v = linx_value_list();
		for (size_t i = 0; i < count; i++) {
			struct linx_value c = random_tree(depth + 1);

			ck_assert_int_eq(linx_list_push(&v, &c), 0);
		}
		break;
	}
	default: {
		size_t count = rnd() % 6;

		v = linx_value_map();
		for (size_t i = 0; i < count; i++) {
			struct linx_value c = random_tree(depth + 1);

			random_string(s, sizeof(s), &n);
			ck_assert_int_eq(linx_map_put(&v, s, &c), 0);
		}
		break;
	}
	}
	return v;
}

START_TEST(round_trip_random_trees)
{
	struct linx_error err;

	rng_state = 0x5eed1234abcdull;
	for (int iter = 0; iter < 3000; iter++) {
		struct linx_value v = random_tree(0), back;
		void *a = NULL, *b = NULL;
		size_t alen = 0, blen = 0;

		linx_assert_ok(linx_value_encode(&v, &a, &alen, &err), &err);
		linx_assert_ok(linx_value_decode(a, alen, &back, &err), &err);
		ck_assert_msg(linx_value_equal(&v, &back), "tree %d differs",
			      iter);
		/* canonical: re-encoding the decoded tree gives the same bytes */
		linx_assert_ok(linx_value_encode(&back, &b, &blen, &err), &err);
		ck_assert_int_eq(alen, blen);
		ck_assert_msg(memcmp(a, b, alen) == 0, "tree %d re-encodes "
						       "differently", iter);
		linx_value_clear(&v);
		linx_value_clear(&back);
		free(a);
		free(b);
	}
}
END_TEST

/* ---- malformed input ---------------------------------------------------- */

/* Decoding must fail with EBADMSG, a message that names the offset, and a
 * nil result. */
static void expect_bad_at(const uint8_t *buf, size_t len, long offset,
			  const char *what)
{
	struct linx_value v = linx_value_int(5);
	struct linx_error err;
	uint8_t *copy = malloc(len ? len : 1);
	char want[64];
	int r;

	/* an exact-size heap copy, so ASan catches a read past the end */
	memcpy(copy, buf, len);
	r = linx_value_decode(copy, len, &v, &err);
	free(copy);
	ck_assert_msg(r == -EBADMSG, "%s: expected -EBADMSG, got %d", what, r);
	ck_assert_int_eq(err.code, EBADMSG);
	ck_assert_str_eq(err.op, "decode");
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_msg(strstr(err.message, "offset"), "%s: %s", what,
		      err.message);
	{
		/* the offset is a position inside the input */
		const char *at = strstr(err.message, "at offset ");
		long got;

		ck_assert_msg(at && sscanf(at, "at offset %ld", &got) == 1 &&
				      got >= 0 && (size_t)got <= len,
			      "%s: no valid offset in \"%s\"", what,
			      err.message);
	}
	if (offset >= 0) {
		snprintf(want, sizeof(want), "at offset %ld", offset);
		ck_assert_msg(strstr(err.message, want),
			      "%s: expected \"%s\" in \"%s\"", what, want,
			      err.message);
	}
}

static void expect_bad(const char *hex, long offset, const char *msg_part)
{
	uint8_t buf[4096];
	size_t len = unhex(hex, buf, sizeof(buf));
	struct linx_value v;
	struct linx_error err;

	expect_bad_at(buf, len, offset, hex);
	if (msg_part) {
		ck_assert_int_eq(linx_value_decode(buf, len, &v, &err),
				 -EBADMSG);
		ck_assert_msg(strstr(err.message, msg_part),
			      "%s: expected \"%s\" in \"%s\"", hex, msg_part,
			      err.message);
	}
}

static void expect_good(const char *hex)
{
	uint8_t buf[4096];
	size_t len = unhex(hex, buf, sizeof(buf));
	struct linx_value v;
	struct linx_error err;

	linx_assert_ok(linx_value_decode(buf, len, &v, &err), &err);
	linx_value_clear(&v);
}

START_TEST(truncation_everywhere)
{
	struct linx_error err;

	rng_state = 42;
	for (int iter = 0; iter < 200; iter++) {
		struct linx_value v = random_tree(0);
		void *buf = NULL;
		size_t len = 0;

		linx_assert_ok(linx_value_encode(&v, &buf, &len, &err), &err);
		/* No strict prefix of an encoding is itself valid. */
		for (size_t cut = 0; cut < len; cut++)
			expect_bad_at(buf, cut, -1, "truncated");
		free(buf);
		linx_value_clear(&v);
	}
	expect_bad("", 0, "truncated");
	expect_bad("03", 1, "truncated varint");
	expect_bad("04 80", 2, "truncated varint");
	expect_bad("06 03 61 62", 2, "beyond end");
	expect_bad("07 02 00", 2, "beyond end");
	expect_bad("07 01", 2, "beyond end");
	expect_bad("08 01 01 61", 4, "truncated");
	expect_bad("08 01 01 61 00 08 01 01", 5, NULL);
}
END_TEST

START_TEST(trailing_bytes)
{
	expect_bad("00 00", 1, "trailing bytes");
	expect_bad("03 02 ff", 2, "trailing bytes");
	expect_bad("07 00 07 00", 2, "trailing bytes");
	expect_bad("08 01 01 61 00 00", 5, "trailing bytes");
}
END_TEST

START_TEST(unknown_tags)
{
	for (unsigned tag = 0x09; tag <= 0xff; tag++) {
		uint8_t buf[3] = { 0x07, 0x01, (uint8_t)tag };

		expect_bad_at(&buf[2], 1, 0, "unknown tag");
		expect_bad_at(buf, 3, 2, "unknown tag in a list");
	}
	expect_bad("09", 0, "unknown tag");
	expect_bad("08 01 01 61 ff", 4, "unknown tag");
}
END_TEST

START_TEST(varints)
{
	/* over-long: a zero final byte after the first */
	expect_bad("04 80 00", 3, "over-long");
	expect_bad("03 80 80 00", 4, "over-long");
	expect_bad("04 ff 00", 3, "over-long");
	expect_bad("06 80 00", 3, "over-long");    /* as a length */
	expect_bad("07 81 00 00", 3, "over-long"); /* 1 written as 81 00 */
	expect_bad("08 80 00", 3, "over-long");
	/* the 10th byte may only be 0 or 1 */
	expect_good("04 ff ff ff ff ff ff ff ff ff 01");
	expect_bad("04 ff ff ff ff ff ff ff ff ff 02", 11, "overflows");
	expect_bad("04 ff ff ff ff ff ff ff ff ff 7f", 11, "overflows");
	expect_bad("04 80 80 80 80 80 80 80 80 80 00", 11, "over-long");
	expect_bad("03 ff ff ff ff ff ff ff ff ff 03", 11, "overflows");
	/* 11 bytes: the 10th has its continuation bit set */
	expect_bad("04 ff ff ff ff ff ff ff ff ff 81 01", 11, "overflows");
	expect_bad("04 80 80 80 80 80 80 80 80 80 80 01", 11, "overflows");
	/* a length whose varint overflows */
	expect_bad("06 ff ff ff ff ff ff ff ff ff 7f", 11, "overflows");
	/* a maximal zig-zag decodes to INT64_MIN */
	expect_good("03 ff ff ff ff ff ff ff ff ff 01");
}
END_TEST

/* "06 <varint n>" with n as given. */
static size_t header(uint8_t tag, uint64_t n, uint8_t *out)
{
	size_t k = 0;

	out[k++] = tag;
	do {
		out[k] = n & 0x7f;
		n >>= 7;
		if (n)
			out[k] |= 0x80;
		k++;
	} while (n);
	return k;
}

START_TEST(lengths)
{
	uint8_t buf[64];
	size_t n;

	for (uint8_t tag = 0x05; tag <= 0x08; tag++) {
		/* beyond LINX_VALUE_MAX_LEN, and far beyond */
		n = header(tag, (uint64_t)LINX_VALUE_MAX_LEN + 1, buf);
		expect_bad_at(buf, n, (long)n, "length over limit");
		n = header(tag, UINT64_MAX, buf);
		expect_bad_at(buf, n, (long)n, "length over limit");
		n = header(tag, UINT32_MAX + 2ull, buf);
		expect_bad_at(buf, n, (long)n, "length over limit");
		/* at the limit, but beyond the input */
		n = header(tag, LINX_VALUE_MAX_LEN, buf);
		expect_bad_at(buf, n, (long)n, "beyond end");
		n = header(tag, 1, buf);
		expect_bad_at(buf, n, (long)n, "beyond end");
	}
	{
		struct linx_value v;
		struct linx_error err;

		n = header(0x06, LINX_VALUE_MAX_LEN + 1ull, buf);
		linx_value_decode(buf, n, &v, &err);
		ck_assert_msg(strstr(err.message, "over limit"), "%s",
			      err.message);
	}
	/* a map of n pairs needs at least 2n bytes */
	expect_bad("08 02 00 00 00", 2, "beyond end");
	expect_good("08 01 00 00");
	expect_good("07 03 00 00 00");
}
END_TEST

START_TEST(nesting_limit)
{
	uint8_t buf[2 * LINX_VALUE_MAX_DEPTH + 2];
	struct linx_value v, list, chain = linx_value_nil();
	struct linx_error err;
	size_t n = 0;
	void *enc = NULL;
	size_t len;

	/* LINX_VALUE_MAX_DEPTH levels, the innermost an empty list: ok */
	for (int d = 0; d < LINX_VALUE_MAX_DEPTH - 1; d++) {
		buf[n++] = 0x07;
		buf[n++] = 0x01;
	}
	buf[n++] = 0x07;
	buf[n++] = 0x00;
	linx_assert_ok(linx_value_decode(buf, n, &v, &err), &err);
	linx_value_clear(&v);
	/* one more level: refused, at the offset of the node too deep */
	buf[n - 1] = 0x01;
	buf[n++] = 0x00;
	expect_bad_at(buf, n, (long)n - 1, "too deep");
	linx_value_decode(buf, n, &v, &err);
	ck_assert_msg(strstr(err.message, "nesting"), "%s", err.message);

	/* The encoder has the same limit: 64 levels encode, 65 do not. */
	for (int d = 0; d < LINX_VALUE_MAX_DEPTH; d++) {
		list = linx_value_list();
		if (d > 0)
			ck_assert_int_eq(linx_list_push(&list, &chain), 0);
		chain = list;
	}
	linx_assert_ok(linx_value_encode(&chain, &enc, &len, &err), &err);
	free(enc);
	list = linx_value_list();
	ck_assert_int_eq(linx_list_push_int(&list, 1), 0);
	{
		/* put the scalar at depth 65 */
		struct linx_value *p = &chain;

		while (p->len)
			p = &p->items[0];
		ck_assert_int_eq(linx_list_push(p, &list), 0);
	}
	ck_assert_int_eq(linx_value_encode(&chain, &enc, &len, &err), -ELOOP);
	ck_assert_int_eq(err.code, ELOOP);
	linx_value_clear(&chain);
}
END_TEST

START_TEST(duplicate_keys)
{
	char hex[8192];
	int pos;

	/* small map: linear check */
	expect_bad("08 02 01 61 00 01 61 00", 5, "duplicate map key");
	expect_bad("08 03 01 61 00 01 62 00 01 61 00", 8, "duplicate");
	expect_bad("08 02 00 00 00 00", 4, "duplicate"); /* two "" keys */
	expect_good("08 02 01 61 00 01 62 00");
	/* keys differing only in length are different */
	expect_good("08 02 01 61 00 02 61 61 00");

	/* large maps (hash-checked): 200 distinct keys, then a duplicate of
	 * an early, a middle and the last one */
	for (int dup = -1; dup < 200; dup += 66) {
		int offset = -1;

		pos = snprintf(hex, sizeof(hex), "08 %02x 01", dup < 0 ? 200 : 201);
		for (int i = 0; i < 200; i++)
			pos += snprintf(hex + pos, sizeof(hex) - pos,
					" 02 %02x %02x 00", 'a' + i / 26,
					'a' + i % 26);
		if (dup >= 0) {
			offset = 3 + 200 * 4;
			snprintf(hex + pos, sizeof(hex) - pos, " 02 %02x %02x 00",
				 'a' + dup / 26, 'a' + dup % 26);
			expect_bad(hex, offset, "duplicate map key");
		} else {
			expect_good(hex);
		}
	}
	/* 9 keys is the first size that uses the hash set */
	expect_bad("08 09 01 61 00 01 62 00 01 63 00 01 64 00 01 65 00"
		   " 01 66 00 01 67 00 01 68 00 01 61 00",
		   26, "duplicate");
	expect_good("08 09 01 61 00 01 62 00 01 63 00 01 64 00 01 65 00"
		    " 01 66 00 01 67 00 01 68 00 01 69 00");
	/* a duplicate inside a nested map */
	expect_bad("08 01 01 6d 08 02 01 61 00 01 61 00", 9, "duplicate");
}
END_TEST

START_TEST(bad_strings)
{
	/* strings and keys: strict UTF-8, no NUL; bytes: anything */
	expect_bad("06 01 00", 2, "UTF-8");
	expect_bad("06 03 61 00 62", 2, "UTF-8");
	expect_bad("06 02 c0 80", 2, "UTF-8");
	expect_bad("06 03 ed a0 80", 2, "UTF-8");
	expect_bad("06 04 f4 90 80 80", 2, "UTF-8");
	expect_bad("06 01 c3", 2, "UTF-8");
	expect_bad("06 01 ff", 2, "UTF-8");
	expect_bad("08 01 01 00 00", 3, "UTF-8");
	expect_bad("08 01 02 c0 80 00", 3, "UTF-8");
	expect_bad("08 01 01 ff 00", 3, "UTF-8");
	expect_bad("07 02 06 01 61 06 01 80", 7, "UTF-8");
	expect_good("05 03 00 c0 ff");
	expect_good("06 04 f4 8f bf bf");
}
END_TEST

/* Decoding large inputs stays linear: a big list of nils, and a map of
 * 50000 keys (the duplicate check uses a hash set there).  The map is
 * built as bytes: building it with linx_map_put() is quadratic (every put
 * looks for an existing key), which is not what is measured here. */
START_TEST(big_inputs)
{
	size_t n = 1000000, len, keys = 50000;
	uint8_t *buf = malloc(n + 16);
	struct linx_value v;
	struct linx_error err;
	void *enc;

	len = header(0x07, n, buf);
	memset(buf + len, 0, n);
	linx_assert_ok(linx_value_decode(buf, len + n, &v, &err), &err);
	ck_assert_int_eq(v.len, n);
	linx_value_clear(&v);
	free(buf);

	buf = malloc(16 + keys * 16);
	len = header(0x08, keys, buf);
	for (size_t i = 0; i < keys; i++) {
		int k = snprintf((char *)buf + len + 1, 16, "k%zu", i);

		buf[len] = (uint8_t)k;
		len += 1 + (size_t)k;
		buf[len++] = 0x03; /* int */
		buf[len++] = (uint8_t)((i & 0x3f) << 1);
	}
	linx_assert_ok(linx_value_decode(buf, len, &v, &err), &err);
	ck_assert_int_eq(v.len, keys);
	ck_assert_str_eq(v.pairs[keys - 1].key, "k49999");
	linx_assert_ok(linx_value_encode(&v, &enc, &n, &err), &err);
	ck_assert_int_eq(n, len);
	ck_assert_mem_eq(enc, buf, len);
	free(enc);
	linx_value_clear(&v);
	/* the same with the last key ("k49999") turned into a duplicate */
	memcpy(buf + len - 2 - 6, "k10000", 6);
	expect_bad_at(buf, len, (long)(len - 2 - 7), "duplicate at the end");
	free(buf);
}
END_TEST

START_TEST(decode_arguments)
{
	struct linx_value v;
	struct linx_error err;

	ck_assert_int_eq(linx_value_decode("\x00", 1, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_value_decode(NULL, 1, &v, &err), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_value_decode(NULL, 0, &v, &err), -EBADMSG);
	/* no error struct: still just a return code */
	ck_assert_int_eq(linx_value_decode("\x09", 1, &v, NULL), -EBADMSG);
}
END_TEST

/* ---- encoding ----------------------------------------------------------- */

START_TEST(encode_to_small_buffers)
{
	struct linx_error err;

	rng_state = 7;
	for (int iter = 0; iter < 100; iter++) {
		struct linx_value v = random_tree(0);
		void *ref;
		size_t need = 0, len;
		uint8_t *buf;

		linx_assert_ok(linx_value_encode(&v, &ref, &need, &err), &err);
		buf = malloc(need + 64);
		/* every capacity short of the need: ENOBUFS, the needed
		 * length, and nothing written at or past cap */
		for (size_t cap = 0; cap < need; cap++) {
			memset(buf, 0xa5, need + 64);
			len = 0;
			ck_assert_int_eq(linx_value_encode_to(&v, buf, cap,
							      &len, &err),
					 -ENOBUFS);
			ck_assert_int_eq(len, need);
			ck_assert_int_eq(err.code, ENOBUFS);
			for (size_t k = cap; k < need + 64; k++)
				if (buf[k] != 0xa5)
					ck_abort_msg("wrote byte %zu with cap "
						     "%zu",
						     k, cap);
		}
		memset(buf, 0xa5, need + 64);
		linx_assert_ok(linx_value_encode_to(&v, buf, need, &len, &err),
			       &err);
		ck_assert_int_eq(len, need);
		ck_assert_mem_eq(buf, ref, need);
		ck_assert_int_eq(buf[need], 0xa5);
		/* a NULL buffer is a size query */
		ck_assert_int_eq(linx_value_encode_to(&v, NULL, 100, &len,
						      NULL),
				 -ENOBUFS);
		ck_assert_int_eq(len, need);
		ck_assert_int_eq(linx_value_encode_to(&v, buf, 0, NULL, NULL),
				 -ENOBUFS);
		free(buf);
		free(ref);
		linx_value_clear(&v);
	}
}
END_TEST

static void destroy_nothing(void *p)
{
	(void)p;
}

START_TEST(encode_refusals)
{
	static const struct linx_handle_type t = { "test", destroy_nothing };
	struct linx_handle *h = linx_handle_new(&t, NULL);
	struct linx_value map = linx_value_map(), list = linx_value_list();
	struct linx_value hv = linx_value_handle(h);
	struct linx_error err;
	uint8_t buf[64];
	void *out = (void *)1;
	size_t len = 12345;

	/* a handle anywhere in the tree */
	ck_assert_int_eq(linx_list_push(&list, &hv), 0);
	ck_assert_int_eq(linx_map_put(&map, "h", &list), 0);
	ck_assert_int_eq(linx_value_encode_to(&map, buf, sizeof(buf), &len,
					      &err),
			 -EINVAL);
	ck_assert_int_eq(len, 12345); /* ret_* untouched on failure */
	ck_assert_msg(strstr(err.message, "handle"), "%s", err.message);
	ck_assert_int_eq(linx_value_encode(&map, &out, &len, &err), -EINVAL);
	ck_assert_ptr_eq(out, (void *)1);
	linx_value_clear(&map);

	/* a poisoned tree */
	map = linx_value_map();
	ck_assert_int_eq(linx_map_put_cstring(&map, "k", "\xff"), -EINVAL);
	ck_assert_int_eq(linx_value_encode(&map, &out, &len, &err), -EINVAL);
	ck_assert_msg(strstr(err.message, "not built completely"), "%s",
		      err.message);
	linx_value_clear(&map);
	list = linx_value_list();
	map = linx_value_map();
	map.flags |= LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_list_push(&list, &map), 0);
	list.flags = 0; /* only the child is marked */
	ck_assert_int_eq(linx_value_encode_to(&list, buf, sizeof(buf), &len,
					      &err),
			 -EINVAL);
	linx_value_clear(&list);

	/* an invalid type, and missing arguments */
	list = linx_value_nil();
	list.type = 77;
	ck_assert_int_eq(linx_value_encode_to(&list, buf, sizeof(buf), &len,
					      &err),
			 -EINVAL);
	ck_assert_int_eq(linx_value_encode_to(NULL, buf, sizeof(buf), &len,
					      &err),
			 -EINVAL);
	list = linx_value_nil();
	ck_assert_int_eq(linx_value_encode(&list, NULL, &len, &err), -EINVAL);
	ck_assert_int_eq(linx_value_encode(&list, &out, NULL, &err), -EINVAL);
	linx_handle_unref(h);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("codec");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, golden_scalars);
	tcase_add_test(tc, golden_containers);
	tcase_add_test(tc, round_trip_random_trees);
	tcase_add_test(tc, truncation_everywhere);
	tcase_add_test(tc, trailing_bytes);
	tcase_add_test(tc, unknown_tags);
	tcase_add_test(tc, varints);
	tcase_add_test(tc, lengths);
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, duplicate_keys);
	tcase_add_test(tc, bad_strings);
	tcase_add_test(tc, big_inputs);
	tcase_add_test(tc, decode_arguments);
	tcase_add_test(tc, encode_to_small_buffers);
	tcase_add_test(tc, encode_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
