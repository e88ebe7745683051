/* SPDX-License-Identifier: MIT */
/*
 * Integers in sysctl files: the kernel prints them in decimal, separated by
 * tabs or spaces (proc_put_long() and proc_put_char() in kernel/sysctl.c),
 * and parses what is written with the same whitespace rules
 * (proc_wspace_sep).  Values range over int, unsigned int, long and
 * unsigned long, so a parsed number keeps its sign and a 64-bit magnitude
 * and is converted to int64_t or uint64_t by whoever needs it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysctl-internal.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Parse [-]digits from s[0..len); -EINVAL or -ERANGE on failure. */
static int parse_token(const char *s, size_t len, struct sysctl_number *ret)
{
	struct sysctl_number n = { .negative = false };
	size_t i = 0;

	if (len && s[0] == '-') {
		n.negative = true;
		i = 1;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (__builtin_mul_overflow(n.magnitude, 10, &n.magnitude) ||
		    __builtin_add_overflow(n.magnitude, d, &n.magnitude))
			return -ERANGE;
	}
	if (n.magnitude == 0)
		n.negative = false; /* "-0" */
	*ret = n;
	return 0;
}

int sysctl_parse_numbers(const char *s, struct sysctl_number **ret_numbers,
			 size_t *ret_count, const char **ret_bad_token)
{
	struct sysctl_number *v = NULL;
	size_t n = 0, cap = 0;

	while (*s) {
		const char *start;
		int r;

		while (is_space(*s))
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && !is_space(*s))
			s++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct sysctl_number *nv =
				realloc(v, ncap * sizeof(*v));

			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap = ncap;
		}
		r = parse_token(start, (size_t)(s - start), &v[n]);
		if (r < 0) {
			free(v);
			if (ret_bad_token)
				*ret_bad_token = start;
			return r;
		}
		n++;
	}
	*ret_numbers = v;
	*ret_count = n;
	return 0;
}

bool sysctl_number_to_i64(const struct sysctl_number *n, int64_t *ret)
{
	if (!n->negative) {
		if (n->magnitude > (uint64_t)INT64_MAX)
			return false;
		*ret = (int64_t)n->magnitude;
		return true;
	}
	if (n->magnitude > (uint64_t)INT64_MAX + 1)
		return false;
	/* -(2^63) has no positive counterpart: go through unsigned. */
	*ret = (int64_t)(0 - n->magnitude);
	return true;
}

bool sysctl_number_to_u64(const struct sysctl_number *n, uint64_t *ret)
{
	if (n->negative)
		return false;
	*ret = n->magnitude;
	return true;
}

size_t sysctl_format_u64(char *buf, uint64_t v)
{
	char tmp[21];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

size_t sysctl_format_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return sysctl_format_u64(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + sysctl_format_u64(buf + 1, 0 - (uint64_t)v);
}
