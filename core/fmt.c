/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf that never allocates and takes no locks, so error
 * messages can be written between fork()/clone() and execve(), where only
 * async-signal-safe functions may run (signal-safety(7)).
 *
 * Supported: %% %c %s %d %i %u %x %X %p, length modifiers hh h l ll z j t,
 * the flags '-' and '0', a field width and a precision (both may be '*').
 * Anything else is copied to the output verbatim.  Semantics follow
 * snprintf: the result is always NUL-terminated when cap > 0, and the
 * return value is the length the whole text would have had.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, long n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_field(struct out *o, const char *s, size_t n, long width,
		      bool left, char padc)
{
	long fill = width > (long)n ? width - (long)n : 0;

	/* Zero padding goes after a sign. */
	if (!left && padc == '0' && n > 0 && (s[0] == '-')) {
		put(o, '-');
		s++;
		n--;
	}
	if (!left)
		pad(o, padc, fill);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		pad(o, ' ', fill);
}

static size_t utoa(char *end, uintmax_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	return (size_t)(end - p);
}

size_t linx__vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .cap = cap };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		bool left = false;
		char padc = ' ';
		long width = 0, prec = -1;
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long/size */
		char tmp[32];
		const char *spec = f;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f++;
		for (;; f++) {
			if (*f == '-')
				left = true;
			else if (*f == '0')
				padc = '0';
			else
				break;
		}
		if (*f == '*') {
			width = va_arg(args, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				width = width * 10 + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			prec = 0;
			if (*f == '*') {
				prec = va_arg(args, int);
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (*f++ - '0');
			}
		}
		for (;; f++) {
			if (*f == 'h')
				lng--;
			else if (*f == 'l')
				lng++;
			else if (*f == 'z' || *f == 'j' || *f == 't')
				lng = 2;
			else
				break;
		}
		switch (*f) {
		case '%':
			put(&o, '%');
			break;
		case 'c':
			tmp[0] = (char)va_arg(args, int);
			put_field(&o, tmp, 1, width, left, ' ');
			break;
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n;

			if (!s)
				s = "(null)";
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			put_field(&o, s, n, width, left, ' ');
			break;
		}
		case 'd':
		case 'i': {
			intmax_t v;
			uintmax_t mag;
			size_t n;

			if (lng >= 2)
				v = va_arg(args, long long);
			else if (lng == 1)
				v = va_arg(args, long);
			else
				v = va_arg(args, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
			n = utoa(tmp + sizeof(tmp), mag, 10, false);
			if (v < 0)
				tmp[sizeof(tmp) - ++n] = '-';
			put_field(&o, tmp + sizeof(tmp) - n, n, width, left,
				  padc);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'p': {
			uintmax_t v;
			size_t n;
			unsigned base = *f == 'u' ? 10 : 16;

			if (*f == 'p')
				v = (uintptr_t)va_arg(args, void *);
			else if (lng >= 2)
				v = va_arg(args, unsigned long long);
			else if (lng == 1)
				v = va_arg(args, unsigned long);
			else
				v = va_arg(args, unsigned int);
			if (*f != 'p' && lng == -1)
				v = (unsigned short)v;
			else if (*f != 'p' && lng <= -2)
				v = (unsigned char)v;
			n = utoa(tmp + sizeof(tmp), v, base, *f == 'X');
			if (*f == 'p') {
				tmp[sizeof(tmp) - ++n] = 'x';
				tmp[sizeof(tmp) - ++n] = '0';
			}
			put_field(&o, tmp + sizeof(tmp) - n, n, width, left,
				  padc);
			break;
		}
		default:
			/* Unsupported: copy the conversion as written. */
			for (const char *p = spec; p <= f && *p; p++)
				put(&o, *p);
			if (!*f)
				f--;
			break;
		}
	}
	va_end(args);
	if (cap > 0)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t linx__format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = linx__vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
