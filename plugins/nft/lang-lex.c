/* SPDX-License-Identifier: MIT */
/*
 * lang-lex.c - the nftables tokenizer: comments (`#` to the end of the
 * line, nested block comments), strings with escapes, integers (decimal,
 * 0x, 0b), IPv4/IPv6 addresses and prefixes, MAC addresses, `$var`,
 * `@set`, punctuation; `;` and runs of newlines become one separator and a
 * backslash before a newline continues the line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang-internal.h"

struct lexer {
	const char *p, *end;
	uint32_t line, col;
	uint32_t file;
	struct tok_list *out;
	struct lex_err *e;
};

void nftl_tok_list_free(struct tok_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int lerr(struct lexer *x, uint32_t line, uint32_t col,
		const char *msg)
{
	x->e->line = line;
	x->e->col = col;
	snprintf(x->e->msg, sizeof(x->e->msg), "%s", msg);
	return -EINVAL;
}

static struct tok *push(struct lexer *x, uint8_t kind, uint32_t line,
			uint32_t col)
{
	struct tok_list *l = x->out;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct tok *v;

		if (cap > NFT_LANG_MAX_TOKENS)
			return NULL;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct tok *t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->line = line;
	t->col = col;
	t->file = x->file;
	t->plen = -1;
	return t;
}

static int set_text(struct tok *t, const char *s, size_t n)
{
	t->s = malloc(n + 1);
	if (!t->s)
		return -ENOMEM;
	memcpy(t->s, s, n);
	t->s[n] = 0;
	t->slen = n;
	return 0;
}

static void adv(struct lexer *x, size_t n)
{
	x->p += n;
	x->col += (uint32_t)n;
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

/* nft's scanner: a word goes on with letters, digits, '_', '-', '.' and
 * '/' (kube-proxy's chains are `service-X-default/kubernetes/tcp/https`) */
static bool is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/';
}

static bool is_mac(const char *s, size_t n)
{
	/* xx:xx:xx:xx:xx:xx, one or two hex digits per octet */
	unsigned groups = 0;
	size_t i = 0;

	while (i < n) {
		size_t d = 0;

		while (i < n && isxdigit((unsigned char)s[i]) && d < 3) {
			i++;
			d++;
		}
		if (d == 0 || d > 2)
			return false;
		groups++;
		if (i == n)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i == n)
			return false;
	}
	return groups == 6;
}

/* Classify an address run; 0 = not an address. */
static int classify(const char *s, size_t n)
{
	char buf[64];
	unsigned char a[16];

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (memchr(buf, ':', n)) {
		if (inet_pton(AF_INET6, buf, a) == 1)
			return T_IPV6;
		if (is_mac(buf, n))
			return T_MAC;
		return 0;
	}
	if (memchr(buf, '.', n) && inet_pton(AF_INET, buf, a) == 1)
		return T_IPV4;
	return 0;
}

/* Four dot-separated decimal numbers (a run of n bytes at s, `end` the
 * input's end) that are no IPv4 address, `10.0.0.300`: nft takes such a
 * word for a host name and fails there, at its start. */
static bool bad_quad(const char *s, size_t n, const char *end)
{
	unsigned dots = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (!digits)
				return false;
			dots++;
			digits = 0;
		} else if (isdigit((unsigned char)s[i]) && digits < 4) {
			digits++;
		} else {
			return false;
		}
	}
	if (dots != 3 || !digits || classify(s, n))
		return false;
	/* not the start of a longer word ("1.2.3.4abc") */
	return s + n >= end || !(isalpha((unsigned char)s[n]) || s[n] == '_');
}

/* An address starting at x->p (a digit, a hex identifier followed by ':',
 * or "::").  Returns 1 with a token pushed, 0 if there is none here. */
static int lex_addr(struct lexer *x)
{
	const char *s = x->p;
	size_t n = 0;
	int kind;
	uint32_t col = x->col;

	while (s + n < x->end &&
	       (isxdigit((unsigned char)s[n]) || s[n] == ':' || s[n] == '.'))
		n++;
	if (bad_quad(s, n, x->end))
		return lerr(x, x->line, col, "invalid IPv4 address: an octet "
					     "above 255");
	/* "1.2.3.4:80", "22:accept": drop the tail after the last ':'
	 * until what remains is an address. */
	for (;;) {
		kind = classify(s, n);
		if (kind)
			break;
		const char *c = NULL;
		for (size_t i = n; i > 0; i--)
			if (s[i - 1] == ':') {
				c = s + i - 1;
				break;
			}
		if (!c)
			return 0;
		n = (size_t)(c - s);
	}
	/* a hex word directly followed by more identifier characters
	 * ("fe80::1abz") is not an address */
	if (s + n < x->end && (isalpha((unsigned char)s[n]) || s[n] == '_'))
		return 0;
	struct tok *t = push(x, (uint8_t)kind, x->line, col);
	if (!t || set_text(t, s, n) < 0)
		return -ENOMEM;
	adv(x, n);
	if (kind != T_MAC && x->p + 1 < x->end && x->p[0] == '/' &&
	    isdigit((unsigned char)x->p[1])) {
		unsigned v = 0;
		size_t k = 1;

		while (x->p + k < x->end && isdigit((unsigned char)x->p[k]) &&
		       v < 1000)
			v = v * 10 + (unsigned)(x->p[k++] - '0');
		if (v > (kind == T_IPV4 ? 32u : 128u))
			return lerr(x, x->line, col,
				    "prefix length out of range");
		t->plen = (int16_t)v;
		adv(x, k);
	}
	return 1;
}

/* A hex number of more than 64 bits (a raw payload's value,
 * `@th,256,72 0x646973736f6c76653a`): up to 128. */
static int lex_bighex(struct lexer *x, const char *s, uint32_t col)
{
	size_t n = 2, z;

	while (s + n < x->end && s[n] == '0')
		n++;
	z = n;
	while (s + n < x->end && isxdigit((unsigned char)s[n]))
		n++;
	if (n - z > 32)
		return lerr(x, x->line, col, "integer out of range");
	if (s + n < x->end && (isalpha((unsigned char)s[n]) || s[n] == '_'))
		return lerr(x, x->line, col + (uint32_t)n,
			    "unexpected character after number");
	struct tok *t = push(x, T_BIGINT, x->line, col);
	if (!t || set_text(t, s + z, n - z) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < t->slen; i++)
		t->s[i] = (char)tolower((unsigned char)t->s[i]);
	adv(x, n);
	return 0;
}

static int lex_number(struct lexer *x)
{
	const char *s = x->p;
	uint32_t col = x->col;
	uint64_t v = 0;
	size_t n = 0;

	if (s + 2 < x->end + 0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    s + 2 < x->end && isxdigit((unsigned char)s[2])) {
		n = 2;
		while (s + n < x->end && isxdigit((unsigned char)s[n])) {
			if (v >> 60)
				return lex_bighex(x, s, col);
			int c = s[n];
			v = v * 16 + (unsigned)(isdigit(c) ? c - '0'
							   : (tolower(c) - 'a' + 10));
			n++;
		}
	} else if (s + 2 < x->end && s[0] == '0' && s[1] == 'b' &&
		   (s[2] == '0' || s[2] == '1') &&
		   !(s + 3 < x->end && (s[3] == ':' || isxdigit((unsigned char)s[3])) &&
		     s[3] != '0' && s[3] != '1')) {
		n = 2;
		while (s + n < x->end && (s[n] == '0' || s[n] == '1')) {
			if (v >> 63)
				return lerr(x, x->line, col,
					    "integer out of range");
			v = v * 2 + (unsigned)(s[n] - '0');
			n++;
		}
	} else {
		int r = lex_addr(x);
		if (r != 0)
			return r < 0 ? r : 0;
		while (s + n < x->end && isdigit((unsigned char)s[n])) {
			if (v > (UINT64_MAX - 9) / 10)
				return lerr(x, x->line, col,
					    "integer out of range");
			v = v * 10 + (unsigned)(s[n] - '0');
			n++;
		}
		/* "1h30m", "10s": a word the parser reads as a time */
		if (s + n < x->end && isalpha((unsigned char)s[n])) {
			while (s + n < x->end && isalnum((unsigned char)s[n]))
				n++;
			struct tok *t = push(x, T_IDENT, x->line, col);
			if (!t || set_text(t, s, n) < 0)
				return -ENOMEM;
			adv(x, n);
			return 0;
		}
	}
	if (s + n < x->end && (isalpha((unsigned char)s[n]) || s[n] == '_'))
		return lerr(x, x->line, col + (uint32_t)n,
			    "unexpected character after number");
	struct tok *t = push(x, T_INT, x->line, col);
	if (!t)
		return -ENOMEM;
	t->u = v;
	adv(x, n);
	return 0;
}

static int lex_string(struct lexer *x)
{
	uint32_t line = x->line, col = x->col;
	char *buf;
	size_t n = 0, cap = 64;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	adv(x, 1);
	for (;;) {
		if (x->p >= x->end || *x->p == '\n') {
			free(buf);
			return lerr(x, line, col, "unterminated string");
		}
		char c = *x->p;
		if (c == '"') {
			adv(x, 1);
			break;
		}
		if (c == '\\') {
			if (x->p + 1 >= x->end) {
				free(buf);
				return lerr(x, line, col,
					    "unterminated string");
			}
			switch (x->p[1]) {
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0':
				free(buf);
				return lerr(x, x->line, x->col,
					    "a NUL byte in a string");
			default:
				/* no escape: the backslash itself, as nft
				 * (which has none) reads it: "C:\path" */
				c = 0;
			}
			adv(x, c ? 2 : 1);
			if (!c)
				c = '\\';
		} else {
			if (c == 0) {
				free(buf);
				return lerr(x, x->line, x->col,
					    "a NUL byte in a string");
			}
			adv(x, 1);
		}
		if (n + 1 >= cap) {
			char *nb;
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		buf[n++] = c;
	}
	buf[n] = 0;
	if (!linx_utf8_valid(buf, n)) {
		free(buf);
		return lerr(x, line, col, "string is not valid UTF-8");
	}
	struct tok *t = push(x, T_STRING, line, col);
	if (!t) {
		free(buf);
		return -ENOMEM;
	}
	t->s = buf;
	t->slen = n;
	return 0;
}

static int sep(struct lexer *x, uint32_t line, uint32_t col)
{
	if (x->out->n && x->out->v[x->out->n - 1].kind == T_SEP)
		return 0;
	return push(x, T_SEP, line, col) ? 0 : -ENOMEM;
}

int nftl_lex(const char *text, size_t len, uint32_t file, struct tok_list *out,
	    struct lex_err *e)
{
	struct lexer x = { text, text + len, 1, 1, file, out, e };
	int r = 0;

	if (len > NFT_LANG_MAX_TEXT)
		return lerr(&x, 1, 1, "input too large");
	while (x.p < x.end && r >= 0) {
		unsigned char c = (unsigned char)*x.p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			adv(&x, 1);
		} else if (c == '\n') {
			r = sep(&x, x.line, x.col);
			x.p++;
			x.line++;
			x.col = 1;
		} else if (c == '\\' && x.p + 1 < x.end &&
			   (x.p[1] == '\n' ||
			    (x.p[1] == '\r' && x.p + 2 < x.end &&
			     x.p[2] == '\n'))) {
			x.p += x.p[1] == '\n' ? 2 : 3;
			x.line++;
			x.col = 1;
		} else if (c == '#') {
			while (x.p < x.end && *x.p != '\n')
				adv(&x, 1);
		} else if (c == '/' && x.p + 1 < x.end && x.p[1] == '*') {
			uint32_t l0 = x.line, c0 = x.col;
			unsigned depth = 0;

			do {
				if (x.p + 1 < x.end && x.p[0] == '/' &&
				    x.p[1] == '*') {
					if (++depth > NFT_LANG_MAX_NEST)
						return lerr(&x, x.line, x.col,
							    "comments nested too deep");
					adv(&x, 2);
				} else if (x.p + 1 < x.end && x.p[0] == '*' &&
					   x.p[1] == '/') {
					depth--;
					adv(&x, 2);
				} else if (*x.p == '\n') {
					x.p++;
					x.line++;
					x.col = 1;
				} else {
					adv(&x, 1);
				}
			} while (depth && x.p < x.end);
			if (depth)
				return lerr(&x, l0, c0,
					    "unterminated comment");
		} else if (c == ';') {
			r = sep(&x, x.line, x.col);
			adv(&x, 1);
		} else if (c == '"') {
			r = lex_string(&x);
		} else if (c == '$' || c == '@') {
			uint32_t col = x.col;
			size_t n = 1;

			/* nft's names run on through '-', '.' and '/' after
			 * '$' as after '@' (`$low-$high` is the variable
			 * "low-"; `define a.b` is used as `$a.b`) */
			while (x.p + n < x.end && is_ident((unsigned char)x.p[n]))
				n++;
			if (n == 1)
				return lerr(&x, x.line, col,
					    c == '$' ? "expected a variable name after '$'"
						     : "expected a set name after '@'");
			if (n > 256)
				return lerr(&x, x.line, col, "name too long");
			struct tok *t = push(&x, c == '$' ? T_VAR : T_SETREF,
					     x.line, col);
			if (!t || set_text(t, x.p + 1, n - 1) < 0)
				return -ENOMEM;
			adv(&x, n);
		} else if (isdigit(c)) {
			r = lex_number(&x);
		} else if (c == ':' && x.p + 1 < x.end && x.p[1] == ':') {
			r = lex_addr(&x);
			if (r == 0)
				return lerr(&x, x.line, x.col,
					    "invalid IPv6 address");
			r = r < 0 ? r : 0;
		} else if (is_ident_start(c)) {
			size_t n = 0;
			bool hex = true;

			while (x.p + n < x.end && is_ident((unsigned char)x.p[n])) {
				if (x.p[n] == '/' &&
				    nftl_byte_unit(x.p, n, NULL))
					break;
				if (!isxdigit((unsigned char)x.p[n]))
					hex = false;
				n++;
			}
			if (hex && x.p + n + 1 < x.end && x.p[n] == ':' &&
			    (isxdigit((unsigned char)x.p[n + 1]) ||
			     x.p[n + 1] == ':')) {
				r = lex_addr(&x);
				if (r != 0) {
					r = r < 0 ? r : 0;
					continue;
				}
			}
			/* a word with a '*' right after it is one word, as
			 * nft's scanner reads `ens*` (its asteriskstring):
			 * an interface name wildcard, unquoted */
			if (x.p + n < x.end && x.p[n] == '*')
				n++;
			if (n > 256)
				return lerr(&x, x.line, x.col,
					    "identifier too long");
			struct tok *t = push(&x, T_IDENT, x.line, x.col);
			if (!t || set_text(t, x.p, n) < 0)
				return -ENOMEM;
			adv(&x, n);
		} else if (strchr("{}()[],:=./-*<>!&|^~+", c) && c) {
			char k = (char)c;
			size_t n = 1;

			if (x.p + 1 < x.end && x.p[1] == '=') {
				if (c == '!')
					k = 'N', n = 2;
				else if (c == '<')
					k = 'l', n = 2;
				else if (c == '>')
					k = 'g', n = 2;
			}
			struct tok *t = push(&x, T_PUNCT, x.line, x.col);
			if (!t)
				return -ENOMEM;
			t->c = k;
			adv(&x, n);
		} else {
			char msg[64];

			if (c >= 0x20 && c < 0x7f)
				snprintf(msg, sizeof(msg),
					 "unexpected character '%c'", c);
			else
				snprintf(msg, sizeof(msg),
					 "unexpected byte 0x%02x", c);
			return lerr(&x, x.line, x.col, msg);
		}
	}
	if (r < 0)
		return r;
	struct tok *t = push(&x, T_SEP, x.line, x.col);
	if (!t)
		return -ENOMEM;
	t = push(&x, T_EOF, x.line, x.col);
	return t ? 0 : -ENOMEM;
}
