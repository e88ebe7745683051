/* SPDX-License-Identifier: MIT */
/*
 * Detach sequences: docker's spelling, and the matcher that finds the
 * sequence in keystrokes that arrive in pieces.
 */
#include <errno.h>
#include <string.h>

#include "tty-internal.h"

/* "ctrl-X" -> the control code: X & 0x1f for the letters and @ [ \ ] ^ _
 * (the ASCII block 0x40..0x5f, where Ctrl clears bits 5 and 6). */
static int ctrl_code(const char *x, size_t n)
{
	char c;

	if (n != 1)
		return -1;
	c = x[0];
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	if (c == '@' || c == '[' || c == '\\' || c == ']' || c == '^' ||
	    c == '_')
		return c & 0x1f;
	return -1;
}

int linx_tty_detach_keys_parse(const char *text, uint8_t *buf, size_t cap,
			       size_t *ret_len, struct linx_error *err)
{
	size_t len = 0;
	const char *p = text;

	if (!text || !buf || !ret_len)
		return linx_error_param(err, "validate", "detach_keys",
					"no sequence or no buffer");
	if (!*text) {
		*ret_len = 0;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		int code = -1;

		if (n == 1)
			code = (unsigned char)p[0];
		else if (n > 5 && strncmp(p, "ctrl-", 5) == 0)
			code = ctrl_code(p + 5, n - 5);
		if (code < 0)
			return linx_error_param_object(
				err, EINVAL, "validate", "detach_keys", text,
				"detach keys \"%s\": \"%.*s\" is neither one "
				"character nor ctrl-X (X in a-z @ [ \\ ] ^ _)",
				text, (int)n, p);
		if (len == cap)
			return linx_error_param_object(
				err, E2BIG, "validate", "detach_keys", text,
				"detach keys \"%s\": longer than %zu keys",
				text, cap);
		buf[len++] = (uint8_t)code;
		if (!p[n])
			break;
		p += n + 1;
	}
	*ret_len = len;
	return 0;
}

int tty_keys_init(struct tty_keys *k, const void *seq, size_t len,
		  struct linx_error *err)
{
	memset(k, 0, sizeof(*k));
	if (!seq)
		len = 0;
	if (len > LINX_TTY_DETACH_KEYS_MAX)
		return linx_error_param_object(err, E2BIG, "validate",
					       "detach_keys", NULL,
					       "a detach sequence of %zu bytes "
					       "(at most %d)",
					       len, LINX_TTY_DETACH_KEYS_MAX);
	if (len)
		memcpy(k->seq, seq, len);
	k->len = len;
	return 0;
}

/*
 * After a mismatch the held bytes plus the new one are `s` (length m).
 * The longest suffix of `s` that is a prefix of the sequence stays held;
 * what comes before it is forwarded.  (Sequences are a few bytes: the
 * quadratic search costs nothing.)
 */
static size_t longest_prefix_suffix(const struct tty_keys *k,
				    const uint8_t *s, size_t m)
{
	for (size_t keep = m < k->len ? m : k->len - 1; keep > 0; keep--)
		if (memcmp(s + m - keep, k->seq, keep) == 0)
			return keep;
	return 0;
}

bool tty_keys_feed(struct tty_keys *k, const uint8_t *in, size_t n,
		   uint8_t *out, size_t *ret_out)
{
	size_t o = 0;

	if (!k->len) {
		memcpy(out, in, n);
		*ret_out = n;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t s[LINX_TTY_DETACH_KEYS_MAX + 1];
		size_t m, keep;

		if (in[i] == k->seq[k->held]) {
			if (++k->held == k->len) {
				k->held = 0;
				*ret_out = o;
				return true;
			}
			continue;
		}
		/* The held bytes are the sequence's own first bytes. */
		memcpy(s, k->seq, k->held);
		s[k->held] = in[i];
		m = k->held + 1;
		keep = longest_prefix_suffix(k, s, m);
		memcpy(out + o, s, m - keep);
		o += m - keep;
		k->held = keep;
	}
	*ret_out = o;
	return false;
}

size_t tty_keys_flush(struct tty_keys *k, uint8_t *out)
{
	size_t n = k->held;

	memcpy(out, k->seq, n);
	k->held = 0;
	return n;
}
