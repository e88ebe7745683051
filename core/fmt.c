/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf that never allocates and takes no locks, so error
 * messages can be written between fork()/clone() and execve(), where only
 * async-signal-safe functions may run (signal-safety(7)).
 *
 * It supports what include/linx/error.h documents, and output is
 * byte-for-byte what glibc's snprintf gives for it (tests/core/test-error.c
 * checks it differentially):
 *   conversions  %% %c %s %d %i %u %o %x %X
 *   flags        '-' '0' '#'
 *   width and precision, as digits or '*'
 *   length       hh h l ll j z t
 * At anything else (%p, %m, %n, floating point, wide characters, the '+'
 * and ' ' flags, other lengths) formatting stops: the rest of the format
 * is copied as written and no further argument is read, so an argument
 * is never read with a type other than the one it was passed with.
 *
 * Semantics follow snprintf: the result is always NUL-terminated when
 * cap > 0, and the return value is the length the whole text would have
 * had.
 */
#include <errno.h>
#include <limits.h>
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

static void put_n(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
}

static void pad(struct out *o, char c, size_t n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, alt;
	size_t width;
	long prec; /* -1: none */
	int lng;   /* -2 hh, -1 h, 0 int, 1 long, 2 long long/size */
};

/* Text that takes no zero padding (%s, %c). */
static void put_text(struct out *o, const struct spec *sp, const char *s,
		     size_t n)
{
	size_t fill = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		pad(o, ' ', fill);
	put_n(o, s, n);
	if (sp->left)
		pad(o, ' ', fill);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	/* glibc prints "(null)" only where it fits whole */
	if (!s)
		s = sp->prec >= 0 && sp->prec < 6 ? "" : "(null)";
	put_text(o, sp, s,
		 sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
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

/*
 * An integer: [sign][prefix][precision zeros][digits], padded to the width
 * with spaces, or with zeros after the prefix when '0' is given without a
 * precision (C11 7.21.6.1).
 */
static void put_int(struct out *o, const struct spec *sp, char conv,
		    uintmax_t mag, bool negative)
{
	char digits[32];
	const char *prefix = "";
	char sign = 0;
	size_t n = 0, zeros = 0, body, fill;
	unsigned base = conv == 'o'		       ? 8
			: conv == 'x' || conv == 'X' ? 16
						     : 10;

	/* "%.0d" of 0 prints no digits at all. */
	if (!(sp->prec == 0 && mag == 0))
		n = utoa(digits + sizeof(digits), mag, base, conv == 'X');
	if (sp->prec > 0 && (size_t)sp->prec > n)
		zeros = (size_t)sp->prec - n;
	if (negative)
		sign = '-';
	if (sp->alt && mag != 0 && (conv == 'x' || conv == 'X')) {
		prefix = conv == 'x' ? "0x" : "0X";
	} else if (sp->alt && conv == 'o' && zeros == 0 &&
		   (n == 0 || digits[sizeof(digits) - n] != '0')) {
		/* '#' with o: the first digit must be a zero */
		zeros = 1;
	}
	body = (sign ? 1 : 0) + strlen(prefix) + zeros + n;
	fill = sp->width > body ? sp->width - body : 0;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		pad(o, ' ', fill);
	if (sign)
		put(o, sign);
	put_n(o, prefix, strlen(prefix));
	if (!sp->left && sp->zero && sp->prec < 0)
		pad(o, '0', fill);
	pad(o, '0', zeros);
	put_n(o, digits + sizeof(digits) - n, n);
	if (sp->left)
		pad(o, ' ', fill);
}

/* Digits of a width or precision, saturating instead of overflowing. */
static long read_number(const char **f)
{
	long v = 0;

	while (**f >= '0' && **f <= '9') {
		if (v < INT_MAX / 10)
			v = v * 10 + (**f - '0');
		else
			v = INT_MAX;
		(*f)++;
	}
	return v;
}

/* Flags, width, precision and length of one conversion, reading the '*'
 * arguments; *f is left on the conversion character. */
static void read_spec(const char **f, struct spec *sp, va_list *args)
{
	for (;; (*f)++) {
		if (**f == '-')
			sp->left = true;
		else if (**f == '0')
			sp->zero = true;
		else if (**f == '#')
			sp->alt = true;
		else
			break;
	}
	if (**f == '*') {
		int w = va_arg(*args, int);

		if (w < 0) {
			sp->left = true;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = (size_t)w;
		(*f)++;
	} else {
		sp->width = (size_t)read_number(f);
	}
	if (**f == '.') {
		(*f)++;
		if (**f == '*') {
			int p = va_arg(*args, int);

			sp->prec = p < 0 ? -1 : p; /* negative: none */
			(*f)++;
		} else {
			sp->prec = read_number(f);
		}
	}
	for (;; (*f)++) {
		if (**f == 'h')
			sp->lng--;
		else if (**f == 'l' && sp->lng < 2)
			sp->lng++;
		else if (**f == 'j' || **f == 'z' || **f == 't')
			sp->lng = 2;
		else
			break;
	}
}

/* Read and print one integer conversion (d i u o x X). */
static void put_int_arg(struct out *o, const struct spec *sp, char conv,
			va_list *args)
{
	if (conv == 'd' || conv == 'i') {
		intmax_t v;

		if (sp->lng >= 2)
			v = va_arg(*args, long long);
		else if (sp->lng == 1)
			v = va_arg(*args, long);
		else
			v = va_arg(*args, int);
		if (sp->lng == -1)
			v = (short)v;
		else if (sp->lng <= -2)
			v = (signed char)v;
		put_int(o, sp, 'd',
			v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v,
			v < 0);
	} else {
		uintmax_t v;

		if (sp->lng >= 2)
			v = va_arg(*args, unsigned long long);
		else if (sp->lng == 1)
			v = va_arg(*args, unsigned long);
		else
			v = va_arg(*args, unsigned int);
		if (sp->lng == -1)
			v = (unsigned short)v;
		else if (sp->lng <= -2)
			v = (unsigned char)v;
		put_int(o, sp, conv, v, false);
	}
}

size_t linx__vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .cap = buf ? cap : 0 };
	int saved_errno = errno;
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		struct spec sp = { .prec = -1 };
		const char *start = f;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f++;
		read_spec(&f, &sp, &args);
		switch (*f) {
		case '\0':
			/* A lone '%' at the end prints nothing (as glibc). */
			f--;
			break;
		case '%':
			put(&o, '%');
			break;
		case 'c':
		case 's':
			if (sp.lng != 0)
				goto unsupported; /* wide: %lc %ls */
			if (*f == 's') {
				put_string(&o, &sp, va_arg(args, const char *));
			} else {
				char c = (char)va_arg(args, int);

				put_text(&o, &sp, &c, 1);
			}
			break;
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			put_int_arg(&o, &sp, *f, &args);
			break;
		default:
		unsupported:
			/* The rest as written, reading nothing more. */
			put_n(&o, start, strlen(start));
			goto done;
		}
	}
done:
	va_end(args);
	if (cap > 0 && buf)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	errno = saved_errno;
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
