/* SPDX-License-Identifier: MIT */
/*
 * lang-format.c - a ruleset value as canonical nftables text: tables in
 * (family, name) order; in a table its flags and comment, the chains,
 * then the sets, the maps, the objects and the flowtables; a chain's base
 * header on one line, the policy on the next, a blank line, one rule per
 * line.  Register-level expression sequences are read back into nft's
 * statements (the inverse of lang-parse.c); a rule with anything else is
 * written as a `# <unsupported ...>` comment line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang-internal.h"
#include "nft-internal.h" /* nft_strset */

static const char *str_of(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);
	return v && v->type == LINX_STRING ? v->str : NULL;
}

/* streq() for attributes that may be missing: false when either is NULL. */
static bool str_is(const char *a, const char *b)
{
	return a && b && streq(a, b);
}

static bool int_of(const struct linx_value *m, const char *k, int64_t *out)
{
	return linx_value_get_i64(linx_map_get(m, k), out);
}

/* An integer in 0..max, as the parser reads it back: a value outside
 * that range is something the text cannot say. */
static bool uint_of(const struct linx_value *m, const char *k, int64_t max,
		    int64_t *out)
{
	int64_t v;

	if (!int_of(m, k, &v) || v < 0 || v > max)
		return false;
	*out = v;
	return true;
}

static const struct linx_value *bytes_of(const struct linx_value *m,
					 const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);
	return v && v->type == LINX_BYTES ? v : NULL;
}

/* Whether nft's scanner reads all of `s` as one word after its first
 * character: letters, digits, '_', '-', '.', '/' (not a byte unit and a
 * '/', which the lexer splits as a rate: lang-lex.c). */
static bool word_rest(const char *s)
{
	const char *slash = strchr(s, '/');

	if (slash && nftl_byte_unit(s, (size_t)(slash - s), NULL))
		return false;
	for (const char *q = s; *q; q++)
		if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-' &&
		    *q != '.' && *q != '/')
			return false;
	return true;
}

/* Whether map value `m` (NULL: no) has `k` true. */
static bool is_true(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = m ? linx_map_get(m, k) : NULL;

	return v && v->type == LINX_BOOL && v->b;
}

/* Set or map `name` of table value `t`, or NULL. */
static const struct linx_value *named_set(const struct linx_value *t,
					  const char *name)
{
	const struct linx_value *l = t ? linx_map_get(t, "sets") : NULL;

	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *n = linx_map_get(&l->items[i], "name");
		if (n && n->type == LINX_STRING && streq(n->str, name))
			return &l->items[i];
	}
	return NULL;
}

/* A name as nft reads it: bare when it is a plain identifier. */
static void put_name(struct sbuf *b, const char *s)
{
	bool bare = s && (isalpha((unsigned char)s[0]) || s[0] == '_') &&
		    word_rest(s);

	/* nft reads its keywords as keywords: quoted, only we take them */
	if (bare && !nftl_is_keyword(s))
		nftl_sb_puts(b, s);
	else
		nftl_sb_quote(b, s ? s : "");
}

/* The dash of a range: spaced after a name, which would swallow it, but
 * not after a hex number (0x0a-0x14, as nft prints it). */
static void range_dash(struct sbuf *b)
{
	size_t w = b->n;

	while (w && isalnum((unsigned char)b->p[w - 1]))
		w--;
	if (b->n - w > 2 && b->p[w] == '0' && b->p[w + 1] == 'x')
		nftl_sb_put(b, "-", 1);
	else if (b->n && isalpha((unsigned char)b->p[b->n - 1]))
		nftl_sb_puts(b, " - ");
	else
		nftl_sb_put(b, "-", 1);
}

static bool one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* What the parser takes back as a name: 1..255 bytes. */
static bool name_ok(const char *s)
{
	return s && s[0] && strlen(s) <= 255;
}

static bool ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 15 || s[n - 1] == '*')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool prio_ok(const struct linx_value *p)
{
	static const char *const names[] = { "raw", "mangle", "dstnat",
					     "filter", "security", "srcnat",
					     "out", NULL };
	int64_t i;

	if (!p)
		return false;
	if (linx_value_get_i64(p, &i))
		return i >= INT32_MIN && i <= INT32_MAX;
	if (p->type == LINX_STRING)
		return one_of(p->str, names);
	if (p->type == LINX_MAP) {
		const struct linx_value *n = linx_map_get(p, "name");
		const struct linx_value *o = linx_map_get(p, "offset");
		return n && n->type == LINX_STRING && one_of(n->str, names) &&
		       (!o || (linx_value_get_i64(o, &i) && i >= -INT32_MAX &&
			       i <= INT32_MAX));
	}
	return false;
}

static void put_time(struct sbuf *b, uint64_t ms)
{
	static const struct { uint64_t ms; const char *u; } u[] = {
		{ 86400000, "d" }, { 3600000, "h" }, { 60000, "m" },
		{ 1000, "s" }, { 1, "ms" } };
	if (ms == 0) {
		nftl_sb_puts(b, "0s");
		return;
	}
	for (size_t i = 0; i < 5; i++)
		if (ms >= u[i].ms) {
			nftl_sb_printf(b, "%" PRIu64 "%s", ms / u[i].ms, u[i].u);
			ms %= u[i].ms;
		}
}

/* ---- rules ----------------------------------------------------------------- */

struct fctx {
	int family;
	/* the rule's table (its named maps' types), or NULL */
	const struct linx_value *table;
	int l4, nf, eth;
	unsigned vlan; /* 802.1Q headers known, stacked; 0 none */
	bool have[24];
	const struct linx_value *reg[24]; /* immediates not yet used */
	char *regtext[24]; /* "tcp dport map { ... }" loaded there */
	/* the map of regtext[r] gives an address and a port (a nat map's
	 * `ADDR . PORT` values), the port in the next slot */
	bool regpair[24];
	/* the map of regtext[r] is a named one (`map @m`): whether its
	 * values give the port too is the map's type, which a rule does
	 * not see; the nat that reads the port from the slot after the
	 * address tells */
	bool regnamed[24];
	/* the map of regtext[r] gives address ranges (data_interval): a
	 * nat reads the last of each from the slot after the first */
	bool regiv[24];
	bool term; /* a verdict was written: nothing may follow */
	bool iiftype; /* the link-layer dependency was read */
	/* the transport protocol was matched, maybe as a set (meta l4proto
	 * { tcp, udp }): what the parser wants before a nat port */
	bool l4seen;
	/* the ICMP type matched so far: a type, NFTL_ICMP_ECHO, or
	 * NFTL_ICMP_ANY; a field defined for another (icmpv6 mtu where
	 * id and sequence are) is not read as that field */
	int icmp;
	uint64_t gen_max; /* the largest value the generator matched gives */
	uint32_t fmask; /* sel_of(): the bit field masked so (0: none) */
	struct nftl_raw raw; /* raw_of()'s selector */
	struct sbuf out;
	char why[160];
	bool bad;
};

static void word(struct fctx *c, const char *s)
{
	if (c->out.n)
		nftl_sb_put(&c->out, " ", 1);
	nftl_sb_puts(&c->out, s);
}

static void wordf(struct fctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wordf(struct fctx *c, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	word(c, tmp);
}

static int unsupported(struct fctx *c, const struct linx_value *e,
		       const char *why)
{
	const char *n = e && e->type == LINX_MAP ? str_of(e, "expr") : NULL;

	if (!c->bad)
		snprintf(c->why, sizeof(c->why), "%s%s%s", n ? n : "expression",
			 why ? ": " : "", why ? why : "");
	c->bad = true;
	return -1;
}

/* An unsigned integer in decimal, or in hex after "0x" (lowercase, no
 * padding), as "%" PRIu64 and "0x%" PRIx64 print it: without vsnprintf(),
 * which costs more than the rest of a match. */
static void put_u64(struct sbuf *b, uint64_t v, bool hex)
{
	char buf[24];
	size_t i = sizeof(buf);

	do {
		buf[--i] = "0123456789abcdef"[hex ? v & 15 : v % 10];
		v = hex ? v >> 4 : v / 10;
	} while (v);
	if (hex) {
		buf[--i] = 'x';
		buf[--i] = '0';
	}
	nftl_sb_put(b, buf + i, sizeof(buf) - i);
}

/* meta hour as nft lists it: the local "HH:MM[:SS]"; a value past a day
 * (only a number gives one) as the number, which reads back as it is. */
static void hour_text(struct sbuf *b, uint64_t v)
{
	long x;

	if (v >= 86400) {
		put_u64(b, v, false);
		return;
	}
	x = ((long)v + nftl_gmtoff()) % 86400;
	if (x < 0)
		x += 86400;
	nftl_sb_printf(b, "\"%02ld:%02ld", x / 3600, x / 60 % 60);
	if (x % 60)
		nftl_sb_printf(b, ":%02ld", x % 60);
	nftl_sb_puts(b, "\"");
}

/* meta time as nft lists it: the local "YYYY-MM-DD HH:MM:SS" (whole
 * seconds; nft drops the rest too); past what the C library can render,
 * the number of seconds, which reads back as it is. */
static void date_text(struct sbuf *b, uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000u);
	char buf[64];
	struct tm tm;

	if (localtime_r(&secs, &tm) &&
	    strftime(buf, sizeof(buf), "\"%Y-%m-%d %H:%M:%S\"", &tm) > 0)
		nftl_sb_puts(b, buf);
	else
		put_u64(b, ns / 1000000000u, false);
}

/* meta day: the quoted name, as nft lists it */
static void day_text(struct sbuf *b, uint64_t v)
{
	size_t ns;
	const struct nftl_sym *syms = nftl_dtype_syms(DT_DAY, &ns);
	const char *name = v <= 6 ? nftl_sym_name(syms, ns, (uint32_t)v) : NULL;

	if (name)
		nftl_sb_quote(b, name);
	else
		put_u64(b, v, false);
}

/* meta priority as nft lists it: none, root, or major:minor in hex. */
static void classid_text(struct sbuf *b, uint64_t v)
{
	if (v == 0)
		nftl_sb_puts(b, "none");
	else if (v == 0xffffffff)
		nftl_sb_puts(b, "root");
	else
		nftl_sb_printf(b, "%x:%x", (unsigned)(v >> 16),
			       (unsigned)(v & 0xffff));
}

/*
 * The interfaces of the namespace the ruleset is from, a list of
 * {index, name}, while linx_nft_format_with() runs with opts->netns;
 * NULL: indexes print as numbers.  Per thread and not a parameter:
 * value_text() is reached from every match, element and statement
 * printer, none of which carries the call's context.  Initial-exec:
 * the pointer sits in the static TLS block glibc keeps for dlopen()ed
 * objects, not in a lazily allocated dynamic one (whose bookkeeping
 * LeakSanitizer's thread walk misreads and crashes on, glibc 2.36).
 */
static _Thread_local const struct linx_value *fmt_ifnames
	__attribute__((tls_model("initial-exec")));

/* The name of interface `idx` in fmt_ifnames, or NULL. */
static const char *ifname_of(uint64_t idx)
{
	const struct linx_value *l = fmt_ifnames;

	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *x = linx_map_get(&l->items[i], "index");
		const char *n = str_of(&l->items[i], "name");
		if (x && x->type == LINX_UINT && x->u == idx && n && n[0] &&
		    linx_utf8_valid(n, strlen(n)))
			return n;
	}
	return NULL;
}

/* Whether `name` is the set type of `dt` in `len` bytes; some have
 * none (nftl_dtype_settype() gives NULL), and a value from anywhere may
 * name them. */
static bool settype_is(unsigned dt, unsigned len, const char *name)
{
	const char *t = nftl_dtype_settype(dt, len);

	return t && name && strcmp(t, name) == 0;
}

/* Flags combined as the parser reads them in a set, `syn|ack`, when `v`
 * of bitmask type dt has several bits and every one a name; false
 * otherwise (nothing written). */
static bool flag_names_text(struct sbuf *b, unsigned dt, uint64_t v)
{
	size_t ns;
	const struct nftl_sym *syms = nftl_dtype_syms(dt, &ns);
	uint64_t left = v;
	bool first = true;

	if (!syms || !v || !nftl_dtype_is_bitmask(dt))
		return false;
	for (size_t i = 0; i < ns; i++)
		if (syms[i].v && (left & syms[i].v) == syms[i].v)
			left &= ~(uint64_t)syms[i].v;
	if (left)
		return false;
	for (size_t i = 0; i < ns && v; i++)
		if (syms[i].v && (v & syms[i].v) == syms[i].v) {
			if (!first)
				nftl_sb_put(b, "|", 1);
			nftl_sb_puts(b, syms[i].name);
			v &= ~(uint64_t)syms[i].v;
			first = false;
		}
	return true;
}

/* One value of `dt` from register bytes; `plen` >= 0 adds a prefix. */
static int value_text(struct sbuf *b, unsigned dt, const uint8_t *d,
		      unsigned len, int plen)
{
	char buf[64];

	switch (dt) {
	case DT_IPV4:
	case DT_IPV6: {
		uint8_t a[16] = { 0 };
		unsigned full = dt == DT_IPV4 ? 4 : 16;
		if (len > full)
			return -1;
		memcpy(a, d, len);
		inet_ntop(dt == DT_IPV4 ? AF_INET : AF_INET6, a, buf, sizeof(buf));
		nftl_sb_puts(b, buf);
		if (plen >= 0 && (unsigned)plen != full * 8) {
			nftl_sb_put(b, "/", 1);
			put_u64(b, (uint64_t)plen, false);
		}
		else if (len != full)
			return -1;
		return 0;
	}
	case DT_ETHER:
		if (len != 6)
			return -1;
		nftl_sb_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2],
			  d[3], d[4], d[5]);
		return 0;
	case DT_TIME:
		if (len != 4)
			return -1;
		put_time(b, nftl_get_uint(d, len, true));
		return 0;
	case DT_CLASSID:
		if (len != 4)
			return -1;
		classid_text(b, nftl_get_uint(d, len, true));
		return 0;
	case DT_HOUR:
		if (len != 4)
			return -1;
		hour_text(b, nftl_get_uint(d, len, true));
		return 0;
	case DT_DAY:
		if (len != 1)
			return -1;
		day_text(b, d[0]);
		return 0;
	case DT_DATE:
		if (len != 8)
			return -1;
		date_text(b, nftl_get_uint(d, len, true));
		return 0;
	case DT_STR16: /* ct helper: a whole name, no wildcard */
		if (len != 16 || !d[0])
			return -1;
		/* fall through */
	case DT_IFNAME: {
		char n[17] = { 0 };
		if (len > 16)
			return -1;
		memcpy(n, d, len);
		for (const char *q = n; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return -1;
		if (!linx_utf8_valid(n, strlen(n)))
			return -1;
		if (len < 16 && !memchr(d, 0, len)) {
			/* a prefix: the wildcard */
			if (len == 0)
				return -1;
			nftl_sb_quote(b, n);
			b->n--;
			nftl_sb_puts(b, "*\"");
			return 0;
		}
		if (!n[0])
			return -1;
		for (unsigned i = (unsigned)strlen(n); i < len; i++)
			if (d[i])
				return -1;
		for (const char *q = n; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return -1;
		if (!linx_utf8_valid(n, strlen(n)))
			return -1;
		nftl_sb_quote(b, n);
		return 0;
	}
	case DT_IFINDEX: { /* by name where the ruleset is from, as nft */
		const char *n = len == 4 ? ifname_of(nftl_get_uint(d, len, true))
					 : NULL;
		if (!n)
			break;
		nftl_sb_quote(b, n);
		return 0;
	}
	case DT_XINT: { /* a raw payload's value: hex, no leading zeros */
		unsigned k = 0;
		if (len == 0 || len > 16)
			return -1;
		while (k + 1 < len && !d[k])
			k++;
		nftl_sb_printf(b, "0x%x", d[k]);
		while (++k < len)
			nftl_sb_printf(b, "%02x", d[k]);
		return 0;
	}
	default:
		break;
	}
	if (len == 0 || len > 8)
		return -1;
	uint64_t v = nftl_get_uint(d, len, nftl_dtype_host(dt));
	size_t ns;
	const struct nftl_sym *syms = nftl_dtype_syms(dt, &ns);
	const char *name = syms ? nftl_sym_name(syms, ns, (uint32_t)v) : NULL;
	if (name && v <= UINT32_MAX) {
		nftl_sb_puts(b, name);
		return 0;
	}
	if (flag_names_text(b, dt, v))
		return 0;
	if (dt == DT_DSCP) { /* nft: two hex digits */
		nftl_sb_printf(b, "0x%02" PRIx64, v);
		return 0;
	}
	put_u64(b, v, dt == DT_MARK || dt == DT_ETHERTYPE);
	return 0;
}

/* An end of a range of dscp or ecn values: nft prints no names there
 * (the lexer would take `af11-af22` for one word), but hex digits for
 * the field's bits; false for other types. */
static bool sym_range_text(struct sbuf *b, unsigned dt, uint64_t v)
{
	if (dt == DT_DSCP)
		nftl_sb_printf(b, "0x%02" PRIx64, v);
	else if (dt == DT_ECN)
		nftl_sb_printf(b, "0x%" PRIx64, v);
	else if (dt == DT_DAY || dt == DT_MHTYPE || dt == DT_DCCPTYPE)
		/* nft: meta day 2-4 */
		put_u64(b, v, false);
	else
		return false;
	return true;
}

static void bitmask_text(struct sbuf *b, unsigned dt, uint64_t m)
{
	size_t ns;
	const struct nftl_sym *syms = nftl_dtype_syms(dt, &ns);
	bool first = true;

	for (size_t i = 0; i < ns; i++)
		if (m & syms[i].v) {
			if (!first)
				nftl_sb_put(b, ",", 1);
			nftl_sb_puts(b, syms[i].name);
			m &= ~(uint64_t)syms[i].v;
			first = false;
		}
	if (m) {
		if (!first)
			nftl_sb_put(b, ",", 1);
		nftl_sb_printf(b, "0x%" PRIx64, m);
	}
}

/* A set element (value form, by set type name) as text. */
/* A MAC address as the lexer reads it, in octets (sscanf's %x would
 * also skip blanks and take a sign: only hex digits and colons). */
static bool mac_of(const char *str, unsigned o[6])
{
	char end;

	return strspn(str, "0123456789abcdefABCDEF:") == strlen(str) &&
	       sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &o[0], &o[1], &o[2],
		      &o[3], &o[4], &o[5], &end) == 6;
}

static int elem_key_text(struct sbuf *b, const char *type,
			 const struct linx_value *k);

/* A key of a concatenated type ("ipv4_addr . inet_service"): the list of
 * its components, written "10.0.0.1 . 22" (a component may be a prefix
 * or a range). */
static int concat_key_text(struct sbuf *b, const char *type,
			   const struct linx_value *k)
{
	const char *cur = type;
	uint32_t i = 0;

	if (k->type != LINX_LIST)
		return -1;
	for (;; i++) {
		const char *end = strstr(cur, " . ");
		size_t l = end ? (size_t)(end - cur) : strlen(cur);
		char one[32];

		if (i >= k->len || l == 0 || l >= sizeof(one))
			return -1;
		memcpy(one, cur, l);
		one[l] = 0;
		if (i)
			nftl_sb_puts(b, " . ");
		if (elem_key_text(b, one, &k->items[i]) < 0)
			return -1;
		if (!end)
			break;
		cur = end + 3;
	}
	return i + 1 == k->len ? 0 : -1;
}

static int elem_key_text(struct sbuf *b, const char *type,
			 const struct linx_value *k)
{
	int64_t i;

	if (strstr(type, " . "))
		return concat_key_text(b, type, k);

	if (k->type == LINX_MAP) {
		const struct linx_value *r = linx_map_get(k, "range");
		if (!r || r->type != LINX_LIST || r->len != 2)
			return -1;
		/* the parser wants the low end first */
		int64_t a = 0, z = 0;
		if (linx_value_get_i64(&r->items[0], &a) &&
		    linx_value_get_i64(&r->items[1], &z)) {
			if (a > z)
				return -1;
		} else if (r->items[0].type == LINX_STRING &&
			   r->items[1].type == LINX_STRING) {
			unsigned char x[16] = { 0 }, y[16] = { 0 };
			int af = strchr(r->items[0].str, ':') ? AF_INET6 : AF_INET;
			if (!streq(type, "ether_addr") &&
			    (inet_pton(af, r->items[0].str, x) != 1 ||
			     inet_pton(af, r->items[1].str, y) != 1 ||
			     memcmp(x, y, 16) > 0))
				return -1;
			unsigned ma[6], mz[6];
			if (streq(type, "ether_addr")) {
				int q = 0;
				if (!mac_of(r->items[0].str, ma) ||
				    !mac_of(r->items[1].str, mz))
					return -1;
				while (q < 5 && ma[q] == mz[q])
					q++;
				if (ma[q] > mz[q])
					return -1;
			}
		} else {
			return -1;
		}
		unsigned rdt = streq(type, "dscp") ? DT_DSCP
			       : streq(type, "ecn") ? DT_ECN
			       : streq(type, "day") ? DT_DAY
			       : streq(type, "mh_type") ? DT_MHTYPE
			       : streq(type, "dccp_pkttype") ? DT_DCCPTYPE
							     : DT_INT;
		if (rdt != DT_INT && r->items[0].type != LINX_STRING) {
			sym_range_text(b, rdt, (uint64_t)a);
			range_dash(b);
			sym_range_text(b, rdt, (uint64_t)z);
			return 0;
		}
		if (streq(type, "iface_index")) { /* numbers, even with names */
			nftl_sb_printf(b, "%" PRId64, a);
			range_dash(b);
			nftl_sb_printf(b, "%" PRId64, z);
			return 0;
		}
		if (elem_key_text(b, type, &r->items[0]) < 0)
			return -1;
		range_dash(b);
		return elem_key_text(b, type, &r->items[1]);
	}
	if (k->type == LINX_STRING) {
		if (streq(type, "ifname")) {
			/* an interval set's wildcard, "eth*" (data.c) */
			size_t wl = strlen(k->str);
			char pre[16];
			if (wl >= 2 && wl <= 16 && k->str[wl - 1] == '*') {
				memcpy(pre, k->str, wl - 1);
				pre[wl - 1] = '\0';
				if (!ifname_ok(pre))
					return -1;
			} else if (!ifname_ok(k->str)) {
				return -1;
			}
			nftl_sb_quote(b, k->str);
			return 0;
		}
		/* an address, a prefix or a MAC, as the lexer reads them */
		char buf[64];
		unsigned char a[16];
		size_t n = strlen(k->str);
		if (n == 0 || n >= sizeof(buf))
			return -1;
		memcpy(buf, k->str, n + 1);
		char *sl = strchr(buf, '/');
		if (sl)
			*sl = 0;
		bool v6 = streq(type, "ipv6_addr");
		if (streq(type, "ether_addr")) {
			unsigned o[6];
			if (sl || !mac_of(buf, o))
				return -1;
			nftl_sb_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x", o[0],
				       o[1], o[2], o[3], o[4], o[5]);
			return 0;
		} else if ((!v6 && strcmp(type, "ipv4_addr")) ||
			   inet_pton(v6 ? AF_INET6 : AF_INET, buf, a) != 1) {
			return -1;
		}
		if (sl) {
			char *e;
			long pl = strtol(sl + 1, &e, 10);
			if (!isdigit((unsigned char)sl[1]) || *e ||
			    pl < 0 || pl > (v6 ? 128 : 32))
				return -1;
		}
		nftl_sb_puts(b, k->str);
		return 0;
	}
	/* a field without a named type (icmpv6 code): a plain integer of
	 * N bits, as the parser reads it */
	if (strncmp(type, "integer/", 8) == 0) {
		int bits = atoi(type + 8);
		if ((bits != 8 && bits != 16 && bits != 24 && bits != 32 &&
		     bits != 64) ||
		    !linx_value_get_i64(k, &i) || i < 0 ||
		    (bits < 64 && (uint64_t)i >> bits))
			return -1;
		nftl_sb_printf(b, "%" PRId64, i);
		return 0;
	}
	unsigned sdt, slen;
	if (!linx_value_get_i64(k, &i) || i < 0 ||
	    !nftl_settype_dtype(type, &sdt, &slen) || sdt == DT_IFNAME ||
	    sdt == DT_IPV4 || sdt == DT_IPV6 || sdt == DT_ETHER ||
	    (slen < 8 && (uint64_t)i >> (8 * slen)))
		return -1;
	if (sdt == DT_DAY) {
		day_text(b, (uint64_t)i);
		return 0;
	}
	if (sdt == DT_IFINDEX && ifname_of((uint64_t)i)) {
		nftl_sb_quote(b, ifname_of((uint64_t)i));
		return 0;
	}
	if (nftl_settype_dtype(type, &sdt, &slen) && sdt != DT_ETHERTYPE) {
		size_t ns;
		const struct nftl_sym *syms = nftl_dtype_syms(sdt, &ns);
		const char *nm = syms && i <= UINT32_MAX
					 ? nftl_sym_name(syms, ns, (uint32_t)i)
					 : NULL;
		if (nm) {
			nftl_sb_puts(b, nm);
			return 0;
		}
		if (flag_names_text(b, sdt, (uint64_t)i))
			return 0;
	}
	if (streq(type, "mark"))
		nftl_sb_printf(b, "0x%" PRIx64, (uint64_t)i);
	else if (streq(type, "time"))
		put_time(b, (uint64_t)i);
	else if (streq(type, "classid"))
		classid_text(b, (uint64_t)i);
	else if (streq(type, "hour"))
		hour_text(b, (uint64_t)i);
	else if (streq(type, "time_date"))
		date_text(b, (uint64_t)i);
	else if (streq(type, "dscp"))
		nftl_sb_printf(b, "0x%02" PRIx64, (uint64_t)i);
	else if (streq(type, "ether_type")) {
		size_t ns;
		const struct nftl_sym *s = nftl_dtype_syms(DT_ETHERTYPE, &ns);
		const char *n = nftl_sym_name(s, ns, (uint32_t)i);
		if (n)
			nftl_sb_puts(b, n);
		else
			nftl_sb_printf(b, "0x%04" PRIx64, (uint64_t)i);
	} else
		nftl_sb_printf(b, "%" PRId64, i);
	return 0;
}

static int verdict_text(struct sbuf *b, const struct linx_value *v)
{
	if (v->type == LINX_STRING) {
		if (strcmp(v->str, "accept") && strcmp(v->str, "drop") &&
		    strcmp(v->str, "continue") && strcmp(v->str, "return"))
			return -1;
		nftl_sb_puts(b, v->str);
		return 0;
	}
	if (v->type == LINX_MAP && v->len == 1) {
		const char *k = v->pairs[0].key;
		const struct linx_value *x = &v->pairs[0].value;
		if ((streq(k, "jump") || streq(k, "goto")) &&
		    x->type == LINX_STRING) {
			nftl_sb_printf(b, "%s ", k);
			put_name(b, x->str);
			return 0;
		}
		int64_t q;
		if (streq(k, "queue") && linx_value_get_i64(x, &q) &&
		    q >= 0 && q <= 65535) {
			nftl_sb_printf(b, "queue num %" PRId64, q);
			return 0;
		}
	}
	return -1;
}

static int stateful_text(struct sbuf *b, const struct linx_value *xs,
			 bool state);

static int elements_text(struct sbuf *b, const char *type,
			 const struct linx_value *el, bool vmap, bool is_map,
			 const char *dtype)
{
	if (!el || el->type != LINX_LIST)
		return -1;
	nftl_sb_puts(b, "{ ");
	for (uint32_t i = 0; i < el->len; i++) {
		const struct linx_value *e = &el->items[i];
		const struct linx_value *k = e;
		const struct linx_value *val = NULL;
		if (i)
			nftl_sb_puts(b, ", ");
		if (e->type == LINX_MAP && linx_map_get(e, "key")) {
			k = linx_map_get(e, "key");
			val = linx_map_get(e, "value");
		}
		if (is_map != (val != NULL))
			return -1;
		if (elem_key_text(b, type, k) < 0)
			return -1;
		if (k != e) {
			int64_t t;
			const char *cm = str_of(e, "comment");
			const struct linx_value *xs = linx_map_get(e, "exprs");
			/* nft reads them before the timeout and comment */
			if (xs && xs->type != LINX_NIL &&
			    stateful_text(b, xs, true) < 0)
				return -1;
			if (int_of(e, "timeout", &t) && t >= 0) {
				nftl_sb_puts(b, " timeout ");
				put_time(b, (uint64_t)t);
			}
			if (int_of(e, "expires", &t) && t >= 0) {
				nftl_sb_puts(b, " expires ");
				put_time(b, (uint64_t)t);
			}
			if (cm) {
				nftl_sb_puts(b, " comment ");
				nftl_sb_quote(b, cm);
			}
		}
		if (val) {
			nftl_sb_puts(b, " : ");
			if (vmap) {
				if (verdict_text(b, val) < 0)
					return -1;
			} else if (dtype && nftl_object_type_word(dtype)) {
				/* an object map's value: an object's name */
				if (val->type != LINX_STRING || !val->len ||
				    val->len > 255)
					return -1;
				nftl_sb_quote(b, val->str);
			} else if (!dtype || elem_key_text(b, dtype, val) < 0) {
				return -1;
			}
		}
	}
	nftl_sb_puts(b, " }");
	return 0;
}

/* Which selector a load is. */
/* The TCP option or SCTP chunk field an exthdr reads or writes (no
 * `present` flag), or NULL. */
static const struct nftl_sel *tcpopt_sel(struct fctx *c,
					 const struct linx_value *e)
{
	const char *op = str_of(e, "op");
	const struct linx_value *f = linx_map_get(e, "flags");
	const struct nftl_sel *s;
	int64_t type, off, len;
	char why[160];

	if (!op || !(streq(op, "sctp") || streq(op, "tcpopt")) ||
	    !int_of(e, "type", &type) || !int_of(e, "offset", &off) ||
	    !int_of(e, "len", &len) || (f && (f->type != LINX_LIST || f->len)))
		return NULL;
	if (streq(op, "sctp")) {
		for (size_t i = 0; i < nftl_n_sels; i++) {
			s = &nftl_sels[i];
			if (s->kind == SEL_EXTHDR && s->base == type &&
			    s->offset == off && s->len == len &&
			    strncmp(s->proto, "sctp chunk ", 11) == 0)
				return s;
		}
		return NULL;
	}
	/* a bit field, with its mask (c->fmask: mptcp subtype) */
	for (size_t i = 0; c->fmask && i < nftl_n_sels; i++) {
		s = &nftl_sels[i];
		if (s->kind == SEL_EXTHDR && s->bits && s->base == type &&
		    s->offset == off && s->len == len &&
		    strncmp(s->proto, "tcp option ", 11) == 0 &&
		    nftl_sel_mask(s) == c->fmask)
			return s;
	}
	if (c->fmask)
		return NULL;
	/* a named field, or `tcp option @KIND,OFF,LEN` */
	if (type < 0 || off < 0 || off > 255 || len < 0 || len > 16 ||
	    !nftl_tcpopt_raw_sel((uint64_t)type, (uint64_t)off * 8,
				 (uint64_t)len * 8, &c->raw, &s, why,
				 sizeof(why)))
		return NULL;
	return s;
}

static bool is_expr(const struct linx_value *e, const char *name);

/* Whether the rule read so far says the packet is IPv6 (`v6`) or IPv4,
 * as an extension header or an IPv4 option needs: else the parser would
 * add that check (dep_exthdr_ip()). */
static bool ip_known(const struct fctx *c, bool v6)
{
	switch (c->family) {
	case F_IP6:
	case F_IP:
		return (c->family == F_IP6) == v6;
	case F_INET:
		return c->nf == (v6 ? 10 : 2);
	case F_BRIDGE:
	case F_NETDEV:
		return c->eth == (v6 ? 0x86dd : 0x0800);
	default:
		return false;
	}
}

/* 6 if `e` is an exthdr load of an IPv6 extension header, 4 of an IPv4
 * option, else 0. */
static int exthdr_ip(const struct linx_value *e)
{
	const char *op = is_expr(e, "exthdr") ? str_of(e, "op") : NULL;

	if (!op || !linx_map_get(e, "dreg"))
		return 0;
	return streq(op, "ipv6") ? 6 : streq(op, "ipv4") ? 4 : 0;
}

static bool is_exthdr6(const struct linx_value *e)
{
	return exthdr_ip(e) == 6;
}

/* The IPv6 extension header or IPv4 option field an exthdr loads (no
 * `present` flag), in a rule known to be of that IP version; a bit field
 * only with its mask (c->fmask), as for payloads.  NULL otherwise. */
static const struct nftl_sel *exthdr_ip_sel(const struct fctx *c,
					    const struct linx_value *e)
{
	const struct linx_value *f = linx_map_get(e, "flags");
	int v = exthdr_ip(e);
	int kind = v == 6 ? SEL_EXTHDR6 : SEL_EXTHDR4;
	int64_t type, off, len;

	if (!v || !ip_known(c, v == 6) || !int_of(e, "type", &type) ||
	    !int_of(e, "offset", &off) || !int_of(e, "len", &len) ||
	    (f && (f->type != LINX_LIST || f->len)))
		return NULL;
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind != kind || s->base != type ||
		    s->offset != off || s->len != len)
			continue;
		if (c->fmask ? !s->bits || nftl_sel_mask(s) != c->fmask
			     : s->bits)
			continue;
		return s;
	}
	return NULL;
}

/* The key of `ct original|reply ...` a ct load with a direction reads:
 * a bare saddr/daddr is the table's family's address. */
static const struct nftl_sel *ct_dir_sel(const struct fctx *c,
					 const struct linx_value *e,
					 const char *key)
{
	const char *dir = str_of(e, "direction");
	bool orig;

	if (!dir || !str_is(str_of(e, "expr"), "ct") ||
	    (!streq(dir, "original") && !streq(dir, "reply")))
		return NULL;
	orig = dir[0] == 'o';
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind != SEL_CT || s->proto[2] != ' ' ||
		    (s->proto[3] == 'o') != orig || !streq(s->key, key))
			continue;
		if ((s->dtype == DT_IPV4 || s->dtype == DT_IPV6) &&
		    !strchr(s->proto + 3, ' ') &&
		    (s->dtype == DT_IPV6 ? c->family != F_IP6
					 : c->family != F_IP))
			continue;
		return s;
	}
	return NULL;
}

static bool only_keys(const struct linx_value *e, const char *const *keys);

/* The osf selector of load `e`: its ttl mode (0 when absent, as the
 * kernel takes it) and the version flag; NULL for what the language
 * cannot write. */
static const struct nftl_sel *osf_sel(const struct linx_value *e)
{
	static const char *const keys[] = { "expr", "dreg", "ttl", "flags",
					    NULL };
	const struct linx_value *f = linx_map_get(e, "flags");
	int64_t ttl = 0;
	unsigned ver = 0;

	if (!only_keys(e, keys) ||
	    (linx_map_get(e, "ttl") && !uint_of(e, "ttl", 2, &ttl)))
		return NULL;
	if (f) {
		if (f->type != LINX_LIST || f->len > 1 ||
		    (f->len && (f->items[0].type != LINX_STRING ||
				!streq(f->items[0].str, "version"))))
			return NULL;
		ver = f->len;
	}
	for (size_t i = 0; i < nftl_n_sels; i++)
		if (nftl_sels[i].kind == SEL_OSF && nftl_sels[i].base == ttl &&
		    nftl_sels[i].offset == ver)
			return &nftl_sels[i];
	return NULL;
}

/* The selector of an xfrm expression (ipsec in|out [spnum N] KEY), NULL
 * for a key, direction or index the language cannot write. */
static const struct nftl_sel *xfrm_sel(const struct linx_value *e)
{
	static const char *const keys[] = { "expr", "dreg", "key", "dir",
					    "spnum", NULL };
	const char *key = str_of(e, "key"), *dir = str_of(e, "dir");
	int64_t n = 0;

	if (!only_keys(e, keys) || !key || !dir ||
	    (!streq(dir, "in") && !streq(dir, "out")) ||
	    (linx_map_get(e, "spnum") && !uint_of(e, "spnum", 5, &n)))
		return NULL;
	for (size_t i = 0; i < nftl_n_sels; i++)
		if (nftl_sels[i].kind == SEL_XFRM &&
		    nftl_sels[i].base == (dir[0] == 'o') &&
		    nftl_sels[i].offset == n &&
		    strcmp(nftl_sels[i].key, key) == 0)
			return &nftl_sels[i];
	return NULL;
}

/* The protocol a payload at `base` is in, from the rule's context (the
 * family, the dependencies read so far), and the base's number. */
static const char *ctx_proto(const struct fctx *c, const char *base,
			     int64_t off, int64_t len, unsigned *bp)
{
	const char *proto = NULL;
	unsigned b;

	if (streq(base, "link")) {
		b = 0;
		/* an ether field outside the bridge family comes after its
		 * dependency (meta iiftype ether); a load without one is
		 * raw to nft (@ll,0,48) */
		if (c->family != F_BRIDGE && !c->iiftype)
			return NULL;
		proto = "ether";
	} else if (streq(base, "network")) {
		b = 1;
		if (c->family == F_IP)
			proto = "ip";
		else if (c->family == F_IP6)
			proto = "ip6";
		else if (c->family == F_INET)
			proto = c->nf == 2 ? "ip" : c->nf == 10 ? "ip6" : NULL;
		else if (c->family == F_BRIDGE || c->family == F_NETDEV)
			proto = c->eth == 0x800	   ? "ip"
				: c->eth == 0x86dd ? "ip6"
				: c->eth == 0x806  ? "arp"
						   : NULL;
		else if (c->family == F_ARP)
			proto = "arp";
	} else if (streq(base, "transport")) {
		b = 2;
		switch (c->l4) {
		case 6: proto = "tcp"; break;
		case 17: proto = "udp"; break;
		case 1: proto = "icmp"; break;
		case 2: proto = "igmp"; break;
		case 58: proto = "icmpv6"; break;
		case 132: proto = "sctp"; break;
		case 33: proto = "dccp"; break;
		case 136: proto = "udplite"; break;
		case 50: proto = "esp"; break;
		case 51: proto = "ah"; break;
		case 108: proto = "comp"; break;
		default:
			if ((off == 0 || off == 2) && len == 2)
				proto = "th";
		}
	} else {
		return NULL;
	}
	if (!proto)
		return NULL;
	/* icmp and igmp need IPv4, icmpv6 IPv6: the parser adds that
	 * network dependency, and refuses the other family's context (by
	 * number: gcc 14 takes proto for one literal and warns) */
	if (b == 2 && (c->l4 == 1 || c->l4 == 2) &&
	    (c->family == F_IP6 || (c->family == F_INET && c->nf == 10) ||
	     ((c->family == F_BRIDGE || c->family == F_NETDEV) &&
	      c->eth == 0x86dd)))
		return NULL;
	if (b == 2 && c->l4 == 58 &&
	    (c->family == F_IP || (c->family == F_INET && c->nf == 2) ||
	     ((c->family == F_BRIDGE || c->family == F_NETDEV) &&
	      c->eth == 0x800)))
		return NULL;
	*bp = b;
	return proto;
}

static const struct nftl_sel *sel_of(struct fctx *c, const struct linx_value *e,
				    bool *prefix)
{
	const char *kind = str_of(e, "expr");
	int64_t dreg;

	*prefix = false;
	if (!int_of(e, "dreg", &dreg) || dreg < 1 || dreg > 23)
		return NULL;
	if (streq(kind, "meta") || streq(kind, "ct")) {
		const char *key = str_of(e, "key");
		if (!key)
			return NULL;
		if (linx_map_get(e, "direction"))
			return ct_dir_sel(c, e, key);
		for (size_t i = 0; i < nftl_n_sels; i++)
			if (nftl_sels[i].kind == (kind[0] == 'm' ? SEL_META : SEL_CT) &&
			    nftl_sels[i].proto[2] != ' ' &&
			    strcmp(nftl_sels[i].key, key) == 0)
				return &nftl_sels[i];
		return NULL;
	}
	if (streq(kind, "rt")) {
		const char *key = str_of(e, "key");
		for (size_t i = 0; key && i < nftl_n_sels; i++)
			if (nftl_sels[i].kind == SEL_RT &&
			    strcmp(nftl_sels[i].key, key) == 0)
				return &nftl_sels[i];
		return NULL;
	}
	if (streq(kind, "socket")) {
		const char *key = str_of(e, "key");
		for (size_t i = 0; key && i < nftl_n_sels; i++)
			if (nftl_sels[i].kind == SEL_SOCKET &&
			    strcmp(nftl_sels[i].key, key) == 0)
				return linx_map_get(e, "level") ? NULL
								: &nftl_sels[i];
		return NULL;
	}
	if (streq(kind, "osf"))
		return osf_sel(e);
	if (streq(kind, "xfrm"))
		return xfrm_sel(e);
	if (streq(kind, "exthdr"))
		return exthdr_ip(e) ? exthdr_ip_sel(c, e) : tcpopt_sel(c, e);
	if (!streq(kind, "payload"))
		return NULL;
	const char *base = str_of(e, "base");
	int64_t off, len;
	unsigned b;
	if (!base || !int_of(e, "offset", &off) || !int_of(e, "len", &len))
		return NULL;
	const char *proto = ctx_proto(c, base, off, len, &b);
	if (!proto)
		return NULL;
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind != SEL_PAYLOAD || s->base != b ||
		    strcmp(s->proto, proto) != 0 || s->offset != off)
			continue;
		/* a bit field only with its mask, and only a bit field */
		if (c->fmask ? !s->bits || nftl_sel_mask(s) != c->fmask
			     : s->bits)
			continue;
		/* the parser would check the ICMP type first */
		if (!nftl_icmp_satisfied(nftl_icmp_need(s), c->icmp,
					 streq(proto, "icmpv6")))
			continue;
		if (s->len == len)
			return s;
		if (len < s->len && (s->dtype == DT_IPV4 || s->dtype == DT_IPV6 ||
				     s->dtype == DT_ETHER)) {
			*prefix = true;
			return s;
		}
	}
	return NULL;
}

static bool is_expr(const struct linx_value *e, const char *name)
{
	const char *n = e && e->type == LINX_MAP ? str_of(e, "expr") : NULL;
	return n && streq(n, name);
}

static bool sreg1(const struct linx_value *e)
{
	int64_t r;
	return int_of(e, "sreg", &r) && r == 1;
}

/* Whether cmp `e`, if it compares with a $hole, has the type the parser
 * gives a hole of selector `s` (true for any other cmp). */
static bool hole_fits(const struct linx_value *e, const struct nftl_sel *s)
{
	const struct linx_value *h = is_expr(e, "cmp") ? linx_map_get(e, "data")
						       : NULL;
	const char *type = h && h->type == LINX_MAP ? str_of(h, "type") : NULL;
	char buf[32];

	if (!h || h->type != LINX_MAP || !str_of(h, "hole"))
		return true;
	return type && streq(type, nftl_hole_type(s->dtype, s->len, buf,
						   sizeof(buf)));
}

static const char *op_text(const char *op)
{
	if (!op) return NULL;
	if (streq(op, "eq")) return "";
	if (streq(op, "neq")) return "!= ";
	if (streq(op, "lt")) return "< ";
	if (streq(op, "gt")) return "> ";
	if (streq(op, "lte")) return "<= ";
	if (streq(op, "gte")) return ">= ";
	return NULL;
}

static bool has_inv(const struct linx_value *e)
{
	const struct linx_value *f = linx_map_get(e, "flags");
	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++)
		if (f->items[i].type == LINX_STRING &&
		    streq(f->items[i].str, "inv"))
			return true;
	return false;
}

static void sel_name(struct sbuf *b, const struct nftl_sel *s)
{
	static const char *const bare[] = { "iifname", "oifname", "iif",
					    "oif" };
	if (s->kind == SEL_META) {
		for (size_t i = 0; i < 4; i++)
			if (strcmp(s->key, bare[i]) == 0) {
				nftl_sb_puts(b, s->key);
				return;
			}
		nftl_sb_puts(b, "meta ");
		nftl_sb_puts(b, s->field);
		return;
	}
	nftl_sb_puts(b, s->proto);
	nftl_sb_put(b, s->proto[0] == '@' ? "," : " ", 1); /* @th,64,16 */
	nftl_sb_puts(b, s->field);
}

/* The one label a ct labels bitmap (host order, bit N in byte N / 8)
 * has set, or -1 when it has none or several: `ct label set N` sets one. */
static int label_of(const uint8_t *m, uint32_t len)
{
	int label = -1;

	for (uint32_t i = 0; i < len; i++)
		for (unsigned bit = 0; bit < 8; bit++)
			if (m[i] >> bit & 1) {
				if (label >= 0)
					return -1;
				label = (int)(i * 8 + bit);
			}
	return label;
}

/* What a meta or ct statement with sreg 1 sets: its selector. */
static const struct nftl_sel *write_sel(const struct fctx *c,
					const struct linx_value *wr,
					bool masked, uint64_t mask,
					struct nftl_write *w);

static const struct nftl_sel *set_target(const struct linx_value *e)
{
	const char *key = str_of(e, "key"), *dir = str_of(e, "direction");
	bool ct = str_of(e, "expr")[0] == 'c';
	const struct nftl_sel *t = NULL;

	if (!key || (linx_map_get(e, "direction") &&
		     (!ct || !dir ||
		      (!streq(dir, "original") && !streq(dir, "reply")))))
		return NULL;
	for (size_t k = 0; k < nftl_n_sels; k++) {
		const struct nftl_sel *s = &nftl_sels[k];
		/* `ct original|reply KEY`: the direction in the proto */
		bool sdir = s->proto[2] == ' ';
		if (s->kind != (ct ? SEL_CT : SEL_META) ||
		    strcmp(s->key, key) != 0 || sdir != (dir != NULL) ||
		    (dir && ((s->proto[3] == 'o') != (dir[0] == 'o') ||
			     s->dtype == DT_IPV4 || s->dtype == DT_IPV6)))
			continue;
		t = s;
	}
	return t;
}

static int bitwise_ops_text(struct sbuf *b, unsigned dt, const uint8_t *m,
			    const uint8_t *x, unsigned len);

/* One bitwise of a mark's value as the parser reads it back: its mask and
 * xor (bitwise_ops_text()), or a shift, ` << N`, ` >> N`: 'S' for a
 * shift, 'B' for a mask-and-xor, -1 for a bitwise the language cannot
 * write. */
static int mark_op_text(struct sbuf *b, const struct linx_value *bw,
			const struct nftl_sel *s)
{
	const char *bop = str_of(bw, "op");
	int64_t dreg, len;

	if (!sreg1(bw) || !int_of(bw, "dreg", &dreg) || dreg != 1 ||
	    (int_of(bw, "len", &len) && len != s->len))
		return -1;
	/* a mark's only: nft turns a header field to host order around a
	 * shift (payload_set_from() refuses those) */
	if (bop && (streq(bop, "lshift") || streq(bop, "rshift")) &&
	    s->dtype == DT_MARK) {
		const struct linx_value *d = bytes_of(bw, "data");
		uint32_t by;
		if (!d || d->len != 4 || linx_map_get(bw, "mask") ||
		    linx_map_get(bw, "xor"))
			return -1;
		by = (uint32_t)nftl_get_uint(d->bytes, 4, true);
		if (by > 31)
			return -1;
		nftl_sb_printf(b, " %s %u", bop[0] == 'l' ? "<<" : ">>", by);
		return 'S';
	}
	const struct linx_value *mb = bytes_of(bw, "mask");
	const struct linx_value *xb = bytes_of(bw, "xor");
	if (!mb || !xb || mb->len != s->len || xb->len != s->len ||
	    (linx_map_get(bw, "op") && (!bop || strcmp(bop, "bool"))))
		return -1;
	return bitwise_ops_text(b, s->dtype, mb->bytes, xb->bytes, s->len) < 0
		       ? -1
		       : 'B';
}

/* `T set S OPS` for the bitwise expressions bw[0..n-1] applied to S in
 * register 1, in operators the parser folds back to exactly them: a shift
 * binds tighter than the others, so one after a mask-and-xor takes what
 * came before into a group, `(ct mark & 0xff00) >> 8`. */
static int mark_ops_text(struct sbuf *b, const struct nftl_sel *t,
			 const struct nftl_sel *s, const struct linx_value *bw,
			 uint32_t n)
{
	struct sbuf ops = { 0 };
	int prev = 0, rc = 0;

	b->n = 0;
	nftl_sb_printf(b, "%s %s set ", t->proto, t->field);
	sel_name(&ops, s);
	for (uint32_t k = 0; rc == 0 && k < n; k++) {
		size_t at = ops.n;
		int op = mark_op_text(&ops, &bw[k], s);
		/* two and/or/xor in a row would read back as one */
		if (op < 0 || (op == 'B' && prev == 'B'))
			rc = -1;
		else if (op == 'S' && prev == 'B') {
			/* "(" + ops[0, at) + ")" + ops[at, n) */
			struct sbuf g = { 0 };
			nftl_sb_put(&g, "(", 1);
			nftl_sb_put(&g, ops.p, at);
			nftl_sb_put(&g, ")", 1);
			nftl_sb_put(&g, ops.p + at, ops.n - at);
			free(ops.p);
			ops = g;
		}
		prev = op;
	}
	if (rc == 0 && !ops.oom)
		nftl_sb_put(b, ops.p, ops.n);
	rc = rc < 0 || ops.oom ? -1 : 0;
	free(ops.p);
	return rc;
}

/* Whether value d has bits outside mask m (of d's length): a masked
 * address compared with such a value is no prefix (it never matches). */
static bool host_bits(const struct linx_value *m, const struct linx_value *d)
{
	for (uint32_t k = 0; k < d->len && k < m->len; k++)
		if (d->bytes[k] & (uint8_t)~m->bytes[k])
			return true;
	return false;
}

/* The prefix length a mask of leading ones stands for, or -1. */
static int prefix_len(const uint8_t *m, uint32_t len)
{
	int plen = 0;
	bool end = false;

	for (uint32_t k = 0; k < len; k++)
		for (int bit = 7; bit >= 0; bit--) {
			bool on = m[k] >> bit & 1;
			if (on && end)
				return -1;
			if (on)
				plen++;
			else
				end = true;
		}
	return plen;
}

/* The prefix length whose first and last address are lo and hi (n
 * bytes each), or -1: nft lists such a nat range as the prefix. */
static int range_prefix(const uint8_t *lo, const uint8_t *hi, uint32_t n)
{
	uint32_t plen = 0;

	while (plen < n * 8 && (lo[plen / 8] >> (7 - plen % 8) & 1) ==
				       (hi[plen / 8] >> (7 - plen % 8) & 1))
		plen++;
	for (uint32_t i = plen; i < n * 8; i++)
		if ((lo[i / 8] >> (7 - i % 8) & 1) ||
		    !(hi[i / 8] >> (7 - i % 8) & 1))
			return -1;
	return (int)plen;
}

/* A match: the load at exprs[i]; returns how many expressions it took. */
/* byteorder hton of register `reg`: `len` bytes in units of `size` */
static bool is_hton(const struct linx_value *e, int64_t reg, int64_t len,
		    int64_t size)
{
	int64_t sr = -1, dr = -1, l = -1, sz = -1;
	const char *op = str_of(e, "op");

	int_of(e, "sreg", &sr);
	int_of(e, "dreg", &dr);
	int_of(e, "len", &l);
	int_of(e, "size", &sz);
	return op && streq(op, "hton") && sr == reg && dr == reg && l == len &&
	       sz == size;
}

/* byteorder hton of register `reg` over the whole of `s`'s value */
static bool hton_reg_of(const struct linx_value *e, const struct nftl_sel *s,
			int64_t reg)
{
	return nftl_dtype_hton(s->dtype, s->len) &&
	       is_hton(e, reg, s->len, s->len);
}

/* ... as the parser puts it after a component of a concatenation
 * (nftl_sel_hton_size) */
static bool concat_hton_of(const struct linx_value *e,
			   const struct nftl_sel *s, int64_t reg)
{
	return is_hton(e, reg, s->len, nftl_sel_hton_size(s));
}

static bool hton_of(const struct linx_value *e, const struct nftl_sel *s)
{
	return hton_reg_of(e, s, 1);
}

/* value_text() of a value that is big-endian when `be` */
static int be_text(struct sbuf *b, unsigned dt, const uint8_t *d, unsigned len,
		   bool be)
{
	uint8_t h[8];

	if (!be)
		return value_text(b, dt, d, len, -1);
	if (len > sizeof(h))
		return -1;
	for (unsigned k = 0; k < len; k++)
#if __BYTE_ORDER == __LITTLE_ENDIAN
		h[k] = d[len - 1 - k];
#else
		h[k] = d[k];
#endif
	return value_text(b, dt, h, len, -1);
}

/* The operators a bitwise reg = (reg & m) ^ x of `len` bytes reads back
 * from (the parser's binops): ` & M`, ` | X`, ` & M | X` with M the bits
 * kept or set, ` ^ A | B`, ` ^ X`, ` & M ^ X`, the values in dt's
 * notation.  The last operator written ('&', '|', '^'), or -1. */
static int bitwise_ops_text(struct sbuf *b, unsigned dt, const uint8_t *m,
			    const uint8_t *x, unsigned len)
{
	uint8_t mx[16];
	bool zero = true, disjoint = true, full = true, ones = true;

	if (len > sizeof(mx))
		return -1;
	for (unsigned k = 0; k < len; k++) {
		mx[k] = m[k] | x[k];
		zero = zero && !x[k];
		disjoint = disjoint && !(m[k] & x[k]);
		full = full && mx[k] == 0xff;
		ones = ones && m[k] == 0xff;
	}
	if (!zero && !disjoint && full && !ones) {
		/* the bits outside the mask all set: ` ^ A | B`, A the xor
		 * inside the mask, B the bits outside (as nft lists it) */
		uint8_t a[16], o[16];
		for (unsigned k = 0; k < len; k++) {
			a[k] = x[k] & m[k];
			o[k] = (uint8_t)~m[k];
		}
		nftl_sb_puts(b, " ^ ");
		if (be_text(b, dt, a, len, false) < 0)
			return -1;
		nftl_sb_puts(b, " | ");
		return be_text(b, dt, o, len, false) < 0 ? -1 : '|';
	}
	if (zero || !disjoint) {
		if (!ones || zero) {
			nftl_sb_puts(b, " & ");
			if (be_text(b, dt, m, len, false) < 0)
				return -1;
		}
		if (zero)
			return '&';
		nftl_sb_puts(b, " ^ ");
		return be_text(b, dt, x, len, false) < 0 ? -1 : '^';
	}
	if (!full) {
		nftl_sb_puts(b, " & ");
		if (be_text(b, dt, mx, len, false) < 0)
			return -1;
	}
	nftl_sb_puts(b, " | ");
	return be_text(b, dt, x, len, false) < 0 ? -1 : '|';
}

/* One end of a range match (bytes, big-endian when `be`). */
static int range_end(struct sbuf *b, unsigned dt, const struct linx_value *d,
		     bool be)
{
	if (d->len <= 2 && !be &&
	    sym_range_text(b, dt, nftl_get_uint(d->bytes, d->len, false)))
		return 0;
	return be_text(b, dt, d->bytes, d->len, be);
}

/* Whether a generator's value (4 bytes, big-endian when `be`) is one the
 * parser takes: nft refuses values past offset + mod - 1. */
static bool gen_val_ok(const struct fctx *c, const struct linx_value *d,
		       bool be)
{
	return d->len == 4 && nftl_get_uint(d->bytes, 4, !be) <= c->gen_max;
}

/* The match or set statement on what ex[i] put in its register: the
 * value of selector `s`, or with `lhs` the generator (SEL_GEN) that text
 * spells, which the parser takes only before a value match or as the
 * value of a mark. */
/*
 * An anonymous set's elements.  A set of one interval (what nft makes of
 * `{ 1-2, 3 }` by merging) is written with that interval twice: `{ 1-3 }`
 * alone would read back as a plain range match, as nft reads it, while
 * the two merge back into this very set.
 */
static int lone_interval_text(struct sbuf *b, const char *kt,
			      const struct linx_value *el, const char *dt)
{
	const struct linx_value *k = el && el->type == LINX_LIST &&
						     el->len == 1
					     ? &el->items[0]
					     : NULL;
	bool interval = !dt && k &&
			((k->type == LINX_MAP && linx_map_get(k, "range")) ||
			 (k->type == LINX_STRING &&
			  (strchr(k->str, '/') ||
			   (streq(kt, "ifname") && k->len > 1 &&
			    k->str[k->len - 1] == '*'))));
	struct linx_value two = linx_value_list(), c1 = linx_value_nil(),
			  c2 = linx_value_nil();
	int rc;

	if (!interval)
		return elements_text(b, kt, el, dt, dt, NULL);
	if (linx_value_copy(&c1, k) < 0 || linx_value_copy(&c2, k) < 0 ||
	    linx_list_push(&two, &c1) < 0 || linx_list_push(&two, &c2) < 0) {
		/* what a push took is nil here */
		linx_value_clear(&c1);
		linx_value_clear(&c2);
		linx_value_clear(&two);
		return -1;
	}
	rc = elements_text(b, kt, &two, false, false, NULL);
	linx_value_clear(&two);
	return rc;
}

static const char *type_text(const struct linx_value *t, char *buf, size_t n);

/* One key of a raw payload's set (`len` bytes: an integer, its bytes,
 * or a range of those), in hex as nft lists them; its big-endian bytes
 * in `d` for the caller to order a range by. */
static int raw_key_bytes(const struct linx_value *k, unsigned len,
			 uint8_t d[16])
{
	int64_t i;

	memset(d, 0, 16);
	if (k->type == LINX_BYTES && k->len == len) {
		memcpy(d, k->bytes, len);
		return 0;
	}
	if (!linx_value_get_i64(k, &i) || i < 0 ||
	    (len < 8 && (uint64_t)i >> (8 * len)))
		return -1;
	for (unsigned q = 0; q < len && q < 8; q++)
		d[len - 1 - q] = (uint8_t)((uint64_t)i >> (8 * q));
	return 0;
}

static int raw_key_text(struct sbuf *b, unsigned len,
			const struct linx_value *k)
{
	const struct linx_value *r = k->type == LINX_MAP
					     ? linx_map_get(k, "range")
					     : NULL;
	uint8_t x[16], y[16];

	if (!r) {
		return raw_key_bytes(k, len, x) < 0
			       ? -1
			       : value_text(b, DT_XINT, x, len, -1);
	}
	/* the parser wants the low end first */
	if (r->type != LINX_LIST || r->len != 2 ||
	    raw_key_bytes(&r->items[0], len, x) < 0 ||
	    raw_key_bytes(&r->items[1], len, y) < 0 || memcmp(x, y, len) > 0 ||
	    value_text(b, DT_XINT, x, len, -1) < 0)
		return -1;
	range_dash(b);
	return value_text(b, DT_XINT, y, len, -1);
}

/* The elements of a raw payload's anonymous set: a lone interval twice,
 * as lone_interval_text() writes it. */
static int raw_elements_text(struct sbuf *b, unsigned len,
			     const struct linx_value *el)
{
	if (!el || el->type != LINX_LIST || el->len == 0)
		return -1;
	bool twice = el->len == 1 && el->items[0].type == LINX_MAP;
	nftl_sb_puts(b, "{ ");
	for (uint32_t i = 0; i < el->len + twice; i++) {
		if (i)
			nftl_sb_puts(b, ", ");
		if (raw_key_text(b, len, &el->items[i - (i == el->len)]) < 0)
			return -1;
	}
	nftl_sb_puts(b, " }");
	return 0;
}

/* The raw payload a set literal's key_typeof names (nft's typeof of an
 * anonymous set of @nh,96,32) when it is the load `s`: by it the set
 * is listed, even where the load is a field's (ip saddr in an ip
 * table). */
static const struct nftl_sel *raw_set_key(const struct linx_value *lit,
					  const struct nftl_sel *s,
					  struct nftl_raw *raw)
{
	const char *kto = str_of(lit, "key_typeof");
	const struct nftl_sel *r;

	if (!kto || kto[0] != '@' || !(r = nftl_typeof_sel(kto, raw)) ||
	    s->kind != SEL_PAYLOAD || s->bits || r->base != s->base ||
	    r->offset != s->offset || r->len != s->len)
		return NULL;
	return r;
}

/* Whether a map's data type is a nat map's ADDR . PORT. */
static bool nat_pair_type(const struct linx_value *t)
{
	return t && t->type == LINX_LIST && t->len == 2 &&
	       t->items[0].type == LINX_STRING &&
	       t->items[1].type == LINX_STRING &&
	       (streq(t->items[0].str, "ipv4_addr") ||
		streq(t->items[0].str, "ipv6_addr")) &&
	       streq(t->items[1].str, "inet_service");
}

/* Whether a set literal's elements include a range (an interval set). */
static bool has_range(const struct linx_value *el)
{
	for (uint32_t k = 0; el && el->type == LINX_LIST && k < el->len; k++) {
		const struct linx_value *x = &el->items[k];
		const struct linx_value *key =
			x->type == LINX_MAP && linx_map_get(x, "key")
				? linx_map_get(x, "key")
				: x;
		if (key->type == LINX_MAP && linx_map_get(key, "range"))
			return true;
	}
	return false;
}

static const struct nftl_sel *raw_of(struct fctx *c, const struct linx_value *e);

/* `& (m) ` for bitwise `e` masking flags of `s` in register 1 (no xor,
 * the mask as wide as the field); false when it is not that. */
static bool flag_mask_text(struct sbuf *b, const struct nftl_sel *s,
			   const struct linx_value *e)
{
	const struct linx_value *m = bytes_of(e, "mask");
	const struct linx_value *x = bytes_of(e, "xor");
	const char *bop = str_of(e, "op");
	int64_t dreg;
	struct sbuf mb = { 0 };

	if (!m || m->len != (uint32_t)s->len || !sreg1(e) ||
	    !int_of(e, "dreg", &dreg) || dreg != 1 ||
	    (linx_map_get(e, "op") && (!bop || strcmp(bop, "bool"))))
		return false;
	for (uint32_t k = 0; x && k < x->len; k++)
		if (x->bytes[k])
			return false;
	bitmask_text(&mb, s->dtype,
		     nftl_get_uint(m->bytes, m->len, nftl_dtype_host(s->dtype)));
	for (size_t q = 0; mb.p && q < mb.n; q++)
		if (mb.p[q] == ',')
			mb.p[q] = '|';
	nftl_sb_printf(b, "& (%s) ", mb.p ? mb.p : "0");
	free(mb.p);
	return true;
}

/* Whether ex[i + 1] is a mask-and-xor of the value loaded at ex[i], for
 * s, that fmt_match_as() writes as operators (SEL OPS RHS): one the other
 * branches do not take - with an xor, or before an ordering, a range or
 * a set. */
static bool chain_ahead(const struct linx_value *ex, uint32_t n, uint32_t i,
			const struct nftl_sel *s)
{
	const struct linx_value *bw = &ex[i + 1];
	const struct linx_value *m = bytes_of(bw, "mask");
	const struct linx_value *x = bytes_of(bw, "xor");
	const char *bop = str_of(bw, "op");
	int64_t dreg, len = s->len;

	if (i + 2 >= n || !is_expr(bw, "bitwise") || !sreg1(bw) ||
	    !int_of(bw, "dreg", &dreg) || dreg != 1 || !m || !x ||
	    (linx_map_get(bw, "op") && (!bop || strcmp(bop, "bool"))) ||
	    m->len != (uint32_t)s->len || x->len != m->len || m->len > 16 ||
	    nftl_dtype_is_bitmask(s->dtype) || s->dtype == DT_CTLABEL ||
	    s->dtype == DT_IFNAME || s->bits || s->mask ||
	    s->proto[0] == '@') /* raw: field_sel() reads its masks */
		return false;
	if (is_expr(&ex[i], "payload") &&
	    (!int_of(&ex[i], "len", &len) || len != s->len))
		return false;
	/* what follows is a match's: a comparison, or a lookup that leaves
	 * nothing or a verdict (not a value, for a statement to use) */
	const struct linx_value *nx = &ex[i + 2];
	const char *op = str_of(nx, "op");
	int64_t rd = 0;
	if (is_expr(nx, "byteorder") && i + 3 < n)
		nx = &ex[i + 3];
	int_of(nx, "dreg", &rd);
	bool cmp = is_expr(nx, "cmp") || is_expr(nx, "range");
	bool set = (is_expr(nx, "lookup") || is_expr(nx, "set_literal")) &&
		   rd == 0 && !is_expr(&ex[i + 2], "byteorder");
	if (!cmp && !set)
		return false;
	for (uint32_t k = 0; k < x->len; k++)
		if (x->bytes[k])
			return true;
	return set || is_expr(nx, "range") || is_expr(&ex[i + 2], "byteorder") ||
	       (op && strcmp(op, "eq") && strcmp(op, "neq"));
}

static int fmt_match_as(struct fctx *c, const struct linx_value *ex,
			uint32_t n, uint32_t i, const struct nftl_sel *s,
			bool prefix, const char *lhs)
{
	const struct linx_value *ld = &ex[i];
	struct sbuf b = { 0 };
	int used = -1;

	if (!s || i + 1 >= n)
		return unsupported(c, ld, "a load without a match");
	/* nft reads `meta nfproto` in inet tables only (elsewhere the table
	 * says it); the kernel takes it anywhere */
	if (s->kind == SEL_META && streq(s->key, "nfproto") &&
	    c->family != F_INET)
		return unsupported(c, ld, "meta nfproto outside an inet table");
	if ((s->kind == SEL_META && streq(s->key, "l4proto")) ||
	    (s->kind == SEL_PAYLOAD && s->base == 1 &&
	     (streq(s->field, "protocol") || streq(s->field, "nexthdr"))))
		c->l4seen = true;
	int64_t ldreg = 0;
	int_of(ld, "dreg", &ldreg);
	/* numgen into another register: a nat's port from its map */
	if (lhs && ldreg != 1 && !is_expr(ld, "numgen"))
		return unsupported(c, ld, "a generator into another register");
	/* SEL map { ... } / SEL map @m (`lhs`: a generator's text): the
	 * value of a nat or of a meta/ct set, left in the register; a
	 * host-order key turned to network order first when the map has
	 * ranges (an interval map, as the parser makes it) */
	bool mbe = i + 2 < n && is_expr(&ex[i + 1], "byteorder") &&
		   hton_reg_of(&ex[i + 1], s, ldreg) &&
		   is_expr(&ex[i + 2], "set_literal") &&
		   has_range(linx_map_get(&ex[i + 2], "elements"));
	if (is_expr(&ex[i + 1 + mbe], "set_literal") && !prefix &&
	    (mbe || !nftl_dtype_hton(s->dtype, s->len) ||
	     !has_range(linx_map_get(&ex[i + 1], "elements")))) {
		const struct linx_value *m = &ex[i + 1 + mbe];
		const char *kt = str_of(m, "key_type");
		const char *dt = str_of(m, "data_type");
		char dtb[300];
		bool pair = nat_pair_type(linx_map_get(m, "data_type"));
		if (pair)
			dt = type_text(linx_map_get(m, "data_type"), dtb,
				       sizeof(dtb));
		int64_t sr = -1, dr = -1;
		int_of(m, "sreg", &sr);
		int_of(m, "dreg", &dr);
		const char *st = nftl_dtype_settype(s->dtype, s->len);
		if (dt && strcmp(dt, "verdict") && sr == ldreg && dr == ldreg &&
		    kt && !c->regtext[ldreg] && !has_inv(m)) {
			/* the parser reads the keys by the selector's type */
			if (!st || strcmp(st, kt) != 0)
				return unsupported(c, m, "map keys");
			if (lhs)
				nftl_sb_puts(&b, lhs);
			else
				sel_name(&b, s);
			nftl_sb_puts(&b, " map ");
			if (elements_text(&b, kt, linx_map_get(m, "elements"),
					  false, true, dt) < 0 || b.oom) {
				free(b.p);
				return unsupported(c, m, "map elements");
			}
			c->regtext[ldreg] = b.p;
			c->regpair[ldreg] = pair;
			c->regiv[ldreg] = is_true(m, "data_interval");
			return 2 + mbe;
		}
	}
	if (is_expr(&ex[i + 1], "lookup") && !prefix) {
		const struct linx_value *m = &ex[i + 1];
		const char *set = str_of(m, "set");
		int64_t sr = -1, dr = -1;
		int_of(m, "sreg", &sr);
		int_of(m, "dreg", &dr);
		if (dr > 0 && sr == ldreg && dr == ldreg && set && set[0] &&
		    !c->regtext[ldreg] && !has_inv(m)) {
			if (!word_rest(set))
				return unsupported(c, m, "set name");
			if (lhs)
				nftl_sb_puts(&b, lhs);
			else
				sel_name(&b, s);
			nftl_sb_printf(&b, " map @%s", set);
			if (b.oom) {
				free(b.p);
				return unsupported(c, m, "out of memory");
			}
			c->regtext[ldreg] = b.p;
			c->regnamed[ldreg] = true;
			c->regiv[ldreg] = is_true(named_set(c->table, set),
						  "data_interval");
			return 2;
		}
	}
	if (lhs && ldreg != 1)
		return unsupported(c, ld, "a generator into another register");
	if (lhs)
		goto value;
	if (ldreg != 1)
		return unsupported(c, ld, "a load into another register");
	if (is_expr(&ex[i + 1], "objref") && !prefix &&
	    str_of(&ex[i + 1], "set")) {
		/* counter name SEL map @m: the kind is the map's */
		const struct linx_value *o = &ex[i + 1];
		const char *m = str_of(o, "set");
		const struct linx_value *ms = named_set(c->table, m);
		const char *dk = ms ? str_of(ms, "data_type") : NULL;
		const char *words = dk ? nftl_objref_words(dk) : NULL;
		int64_t sr = -1;
		int_of(o, "sreg", &sr);
		if (sr != 1 || !words || !m[0] || !word_rest(m) ||
		    linx_map_get(o, "set_id")) {
			free(b.p);
			return unsupported(c, o, "an object map");
		}
		nftl_sb_printf(&b, "%s ", words);
		sel_name(&b, s);
		nftl_sb_printf(&b, " map @%s", m);
		word(c, b.p);
		free(b.p);
		return 2;
	}
	if (is_expr(&ex[i + 1], "objref") && !prefix) {
		/* ct helper set SEL map { k : "name" } */
		const struct linx_value *o = &ex[i + 1];
		const struct linx_value *set = linx_map_get(o, "set");
		const struct linx_value *el = set ? linx_map_get(set, "elements") : NULL;
		const char *kt = set ? str_of(set, "key_type") : NULL;
		const char *dk = set ? str_of(set, "data_type") : NULL;
		int64_t sr = -1;
		int_of(o, "sreg", &sr);
		const char *st = nftl_dtype_settype(s->dtype, s->len);
		const char *words = dk ? nftl_objref_words(dk) : NULL;
		if (sr != 1 || !kt || !words || !st || strcmp(st, kt) || !el ||
		    el->type != LINX_LIST || !el->len)
			goto badmap;
		nftl_sb_printf(&b, "%s ", words);
		sel_name(&b, s);
		nftl_sb_puts(&b, " map { ");
		for (uint32_t k = 0; k < el->len; k++) {
			const struct linx_value *x = &el->items[k];
			const struct linx_value *key = linx_map_get(x, "key");
			const char *v = str_of(x, "value");
			if (!key || !v || !v[0] || strlen(v) > 255 ||
			    (key->type == LINX_MAP) ||
			    elem_key_text(&b, kt, key) < 0)
				goto badmap;
			nftl_sb_puts(&b, " : ");
			nftl_sb_quote(&b, v);
			nftl_sb_puts(&b, k + 1 < el->len ? ", " : " }");
		}
		if (b.oom)
			goto badmap;
		word(c, b.p);
		free(b.p);
		return 2;
	badmap:
		free(b.p);
		return unsupported(c, o, "an object map");
	}
value:;
	int64_t ll = s->len;
	if (s->kind == SEL_PAYLOAD)
		int_of(ld, "len", &ll);
	/* SEL OPS RHS (the parser's binops): a mask-and-xor before what the
	 * branches below read only without one - an xor, an ordering, a
	 * range, a set - written as its operators; `last` the last of them */
	int chain = !prefix && !lhs && chain_ahead(ex, n, i, s);
	int last = 0;
	if (lhs)
		nftl_sb_puts(&b, lhs);
	else
		sel_name(&b, s);
	if (chain) {
		const struct linx_value *bw = &ex[i + 1];
		const struct linx_value *m = bytes_of(bw, "mask");
		const struct linx_value *x = bytes_of(bw, "xor");
		const struct linx_value *nx = &ex[i + 2];
		bool single = is_expr(nx, "cmp") &&
			      (str_is(str_of(nx, "op"), "eq") ||
			       str_is(str_of(nx, "op"), "neq"));
		bool named = is_expr(nx, "lookup") &&
			     !linx_map_get(nx, "dreg");
		last = bitwise_ops_text(&b, s->dtype, m->bytes, x->bytes,
					m->len);
		/* an outermost ^ moves onto a single value, so one more,
		 * of nothing, keeps this one in the bitwise; it stays
		 * before a named set, and is refused before the rest */
		if (last == '^' && single) {
			static const uint8_t zero[16];
			nftl_sb_puts(&b, " ^ ");
			last = be_text(&b, s->dtype, zero, m->len, false);
		} else if (last == '^' && !named) {
			last = -1;
		}
		if (last < 0) {
			free(b.p);
			return unsupported(c, bw, "cannot be written in nft "
						  "syntax");
		}
	}
	/* a host-order value ordered in network order (nftl_dtype_hton):
	 * the byteorder is part of the match, its values are big-endian */
	bool be = !prefix && is_expr(&ex[i + 1 + chain], "byteorder") &&
		  hton_of(&ex[i + 1 + chain], s);
	bool hton = !prefix && nftl_dtype_hton(s->dtype, s->len);
	if (be && i + 2 + chain >= n)
		return unsupported(c, &ex[i + 1], "a byteorder without a match");
	const struct linx_value *e1 = &ex[i + 1 + chain + be];
	const struct linx_value *e2 =
		i + 2 + chain + be < n ? &ex[i + 2 + chain + be] : NULL;
	nftl_sb_put(&b, " ", 1);
	/* `tcp flags & (syn|ack) { syn, syn|ack }`, `... vmap { ... }`:
	 * the masked flags looked up (the parser's masked_set) */
	int masked = 0;
	if (!prefix && !be && !lhs && nftl_dtype_is_bitmask(s->dtype) &&
	    is_expr(e1, "bitwise") && e2 &&
	    (is_expr(e2, "lookup") || is_expr(e2, "set_literal")) &&
	    flag_mask_text(&b, s, e1)) {
		masked = 1;
		e1 = e2;
		e2 = i + 3 < n ? &ex[i + 3] : NULL;
	}
	if (is_expr(e1, "cmp") && sreg1(e1)) {
		const struct linx_value *d = bytes_of(e1, "data");
		const struct linx_value *h = linx_map_get(e1, "data");
		const char *op = str_of(e1, "op");
		const char *ot = op_text(op);
		if (!ot)
			goto bad;
		if (h && h->type == LINX_MAP && str_of(h, "hole")) {
			const char *hn = str_of(h, "hole");
			if (!hn[0] || strlen(hn) > 255 || !hole_fits(e1, s))
				goto bad;
			/* a name the lexer reads back whole after '$' */
			for (const char *q = hn; *q; q++)
				if (!isalnum((unsigned char)*q) && *q != '_' &&
				    *q != '-' && *q != '.' && *q != '/')
					goto bad;
			nftl_sb_printf(&b, "%s$%s", ot, hn);
			used = 2;
		} else if (!d) {
			goto bad;
		} else if (streq(op, "gte") && e2 && is_expr(e2, "cmp") &&
			   sreg1(e2) && str_of(e2, "op") &&
			   strcmp(str_of(e2, "op"), "lte") == 0 &&
			   bytes_of(e2, "data") && !prefix) {
			const struct linx_value *d2 = bytes_of(e2, "data");
			if (d->len != (uint32_t)s->len || d2->len != d->len ||
			    be != hton || memcmp(d->bytes, d2->bytes, d->len) > 0 ||
			    (lhs && (!gen_val_ok(c, d, be) || !gen_val_ok(c, d2, be))))
				goto bad;
			if (range_end(&b, s->dtype, d, be) < 0)
				goto bad;
			range_dash(&b);
			if (range_end(&b, s->dtype, d2, be) < 0)
				goto bad;
			used = 3;
		} else if (nftl_dtype_is_bitmask(s->dtype)) {
			uint64_t v;
			if (prefix || d->len != (uint32_t)s->len || be)
				goto bad;
			v = nftl_get_uint(d->bytes, d->len, nftl_dtype_host(s->dtype));
			/* == and != spelled out (a bare value is the flag
			 * test); the ordering operators as they are */
			nftl_sb_puts(&b, streq(op, "eq")    ? "== "
					 : streq(op, "neq") ? "!= "
							    : ot);
			if (v)
				bitmask_text(&b, s->dtype, v);
			else
				nftl_sb_puts(&b, "0");
			used = 2;
		} else {
			bool ordering = strcmp(op, "eq") && strcmp(op, "neq");
			/* nft orders these in network order: the parser
			 * would add the byteorder this rule lacks */
			if (hton && ordering != be)
				goto bad;
			nftl_sb_puts(&b, chain && !ot[0] ? "== " : ot);
			if (prefix) {
				if (d->len != ll || (op[0] != 'e' && op[0] != 'n'))
					goto bad;
				if (value_text(&b, s->dtype, d->bytes, d->len,
					       (int)d->len * 8) < 0)
					goto bad;
			} else if ((s->kind == SEL_CT || s->kind == SEL_XFRM) &&
				   d->len && d->len < (uint32_t)s->len &&
				   (s->dtype == DT_IPV4 || s->dtype == DT_IPV6)) {
				/* a ct or xfrm address's byte-aligned prefix:
				 * nft compares its bytes only */
				if (op[0] != 'e' && op[0] != 'n')
					goto bad;
				if (value_text(&b, s->dtype, d->bytes, d->len,
					       (int)d->len * 8) < 0)
					goto bad;
			} else {
				unsigned dl = d->len;
				if (s->dtype == DT_IFNAME ? dl > 16 : dl != (unsigned)s->len)
					goto bad;
				if (lhs && !gen_val_ok(c, d, be))
					goto bad;
				if (be_text(&b, s->dtype, d->bytes, dl, be) < 0)
					goto bad;
			}
			used = 2;
			/* what the match tells the dependencies that follow */
			if (chain)
				;
			else if (op[0] == 'e' && s->kind == SEL_META && !prefix) {
				if (streq(s->key, "l4proto"))
					c->l4 = d->bytes[0];
				else if (streq(s->key, "nfproto") &&
					 (d->bytes[0] == 2 || d->bytes[0] == 10))
					c->nf = d->bytes[0];
				else if (streq(s->key, "protocol") &&
					 d->len == 2 &&
					 ((d->bytes[0] << 8 | d->bytes[1]) == 0x0800 ||
					  (d->bytes[0] << 8 | d->bytes[1]) == 0x86dd))
					c->eth = d->bytes[0] << 8 | d->bytes[1];
			}
			if (op[0] == 'e' && s->kind == SEL_PAYLOAD && s->base == 1 &&
			    !prefix && (streq(s->field, "protocol") ||
					streq(s->field, "nexthdr")))
				c->l4 = d->bytes[0];
			if (op[0] == 'e' && s->kind == SEL_PAYLOAD && s->base == 2 &&
			    !prefix && streq(s->field, "type") &&
			    (streq(s->proto, "icmp") || streq(s->proto, "icmpv6")))
				c->icmp = d->bytes[0];
		}
	} else if (is_expr(e1, "bitwise") && e2 && is_expr(e2, "cmp") &&
		   sreg1(e1) && sreg1(e2) && !prefix && !be) {
		const struct linx_value *m = bytes_of(e1, "mask");
		const struct linx_value *x = bytes_of(e1, "xor");
		const struct linx_value *d = bytes_of(e2, "data");
		const char *op = str_of(e2, "op");
		int64_t dreg;
		const char *bop = str_of(e1, "op");
		if (!m || !d || !op || !int_of(e1, "dreg", &dreg) || dreg != 1 ||
		    (linx_map_get(e1, "op") && (!bop || strcmp(bop, "bool"))) ||
		    m->len != (uint32_t)s->len ||
		    d->len != m->len)
			goto bad;
		for (uint32_t k = 0; x && k < x->len; k++)
			if (x->bytes[k])
				goto bad;
		if (s->dtype == DT_CTLABEL) {
			/* ct label N: one bit, != 0 (label_match()) */
			int bit = -1;
			for (uint32_t k = 0; k < m->len; k++) {
				if (d->bytes[k])
					goto bad;
				for (int q = 0; q < 8; q++)
					if (m->bytes[k] >> q & 1) {
						if (bit >= 0)
							goto bad;
						bit = (int)(k * 8) + q;
					}
			}
			if (bit < 0 || !streq(op, "neq"))
				goto bad;
			put_u64(&b, (uint64_t)bit, false);
			used = 3;
		} else if (nftl_dtype_is_bitmask(s->dtype)) {
			uint64_t mv = nftl_get_uint(m->bytes, m->len, nftl_dtype_host(s->dtype));
			uint64_t dv = nftl_get_uint(d->bytes, d->len, nftl_dtype_host(s->dtype));
			const char *ot = op_text(op);
			if (!ot)
				goto bad;
			if (dv == 0 && streq(op, "neq")) {
				/* the implicit flag test; `tcp flags 0` is
				 * mask 0, which nft lists as 0x0 too */
				if (mv)
					bitmask_text(&b, s->dtype, mv);
				else
					nftl_sb_puts(&b, "0x0");
			} else {
				struct sbuf mb = { 0 };
				bitmask_text(&mb, s->dtype, mv);
				for (size_t q = 0; mb.p && q < mb.n; q++)
					if (mb.p[q] == ',')
						mb.p[q] = '|';
				/* nft reads "& (m) == v"; the other operators
				 * keep their own spelling */
				nftl_sb_printf(&b, "& (%s) %s", mb.p ? mb.p : "0",
					       ot[0] ? ot : "== ");
				free(mb.p);
				if (dv)
					bitmask_text(&b, s->dtype, dv);
				else
					nftl_sb_puts(&b, "0");
			}
			used = 3;
		} else if ((s->dtype == DT_IPV4 || s->dtype == DT_IPV6) &&
			   prefix_len(m->bytes, m->len) >= 0 &&
			   (prefix_len(m->bytes, m->len) % 8 ||
			    prefix_len(m->bytes, m->len) == 0) &&
			   !host_bits(m, d)) {
			/* a prefix mask; a byte-aligned one reads back as a
			 * shorter compare without a mask, so it stays a mask
			 * (`ip saddr & 255.255.0.0 == 10.1.0.0`) */
			int plen = prefix_len(m->bytes, m->len);
			if (strcmp(op, "eq") && strcmp(op, "neq"))
				goto bad;
			nftl_sb_puts(&b, op_text(op));
			if (value_text(&b, s->dtype, d->bytes, d->len, plen) < 0)
				goto bad;
			used = 3;
		} else if (s->dtype != DT_IFNAME &&
			   (streq(op, "eq") || streq(op, "neq"))) {
			/* SEL & MASK ==|!= VALUE (masked_value_match()) */
			nftl_sb_puts(&b, "& ");
			if (be_text(&b, s->dtype, m->bytes, m->len, false) < 0)
				goto bad;
			nftl_sb_puts(&b, streq(op, "eq") ? " == " : " != ");
			if (be_text(&b, s->dtype, d->bytes, d->len, false) < 0)
				goto bad;
			used = 3;
		} else {
			goto bad;
		}
	} else if (lhs && !is_expr(e1, "range") && !is_expr(e1, "meta") &&
		   !is_expr(e1, "ct") && !is_expr(e1, "set_literal") &&
		   !is_expr(e1, "lookup")) {
		goto bad;
	} else if (is_expr(e1, "range") && sreg1(e1) && !prefix) {
		const struct linx_value *f = bytes_of(e1, "from");
		const struct linx_value *t = bytes_of(e1, "to");
		const char *op = str_of(e1, "op");
		if (!f || !t || !op || f->len != (uint32_t)s->len ||
		    t->len != f->len || be != hton ||
		    memcmp(f->bytes, t->bytes, f->len) > 0 ||
		    (lhs && (!gen_val_ok(c, f, be) || !gen_val_ok(c, t, be))))
			goto bad;
		nftl_sb_puts(&b, streq(op, "neq") ? "!= " : "");
		if (range_end(&b, s->dtype, f, be) < 0)
			goto bad;
		range_dash(&b);
		if (range_end(&b, s->dtype, t, be) < 0)
			goto bad;
		used = 2;
	} else if (is_expr(e1, "lookup") && sreg1(e1) && !prefix) {
		const char *set = str_of(e1, "set");
		int64_t dreg = -1;
		int_of(e1, "dreg", &dreg);
		if (!set || !set[0] || (dreg != -1 && dreg != 0))
			goto bad;
		if (!word_rest(set))
			goto bad; /* @name cannot be quoted */
		if (dreg == 0) {
			nftl_sb_puts(&b, "vmap ");
			c->term = true;
		} else if (has_inv(e1))
			nftl_sb_puts(&b, "!= ");
		nftl_sb_put(&b, "@", 1);
		nftl_sb_puts(&b, set);
		used = 2;
	} else if (is_expr(e1, "set_literal") && !prefix) {
		const char *kt = str_of(e1, "key_type");
		const char *dt = str_of(e1, "data_type");
		int64_t dreg = -1;
		int_of(e1, "dreg", &dreg);
		if (!kt || (dt && strcmp(dt, "verdict")) || (dt && dreg != 0))
			goto bad;
		if (!dt && !has_inv(e1) &&
		    nftl_icmp_echo_set(s, linx_map_get(e1, "elements")))
			c->icmp = NFTL_ICMP_ECHO; /* what id and sequence need */
		const char *st = nftl_dtype_settype(s->dtype, s->len);
		struct nftl_raw raw;
		const struct nftl_sel *rs = !dt ? raw_set_key(e1, s, &raw)
						: NULL;
		if (rs) {
			if (!streq(kt, nftl_raw_settype(rs->len)))
				goto bad;
			b.n = 0;
			sel_name(&b, rs);
			nftl_sb_puts(&b, has_inv(e1) ? " != " : " ");
			if (raw_elements_text(&b, rs->len,
					      linx_map_get(e1, "elements")) < 0)
				goto bad;
			used = 2;
			goto done;
		}
		/* a meta or ct key's set has its type: the parser
		 * reads the elements by it */
		if (s->kind != SEL_PAYLOAD && (!st || strcmp(st, kt) != 0))
			goto bad;
		if (s->kind == SEL_PAYLOAD && (!st || strcmp(st, kt) != 0)) {
			/* the set's type says which field: th dport after
			 * an icmp match is not icmp checksum */
			const struct nftl_sel *alt = NULL;
			for (size_t k = 0; k < nftl_n_sels; k++) {
				const struct nftl_sel *x = &nftl_sels[k];
				const char *xt = nftl_dtype_settype(x->dtype, x->len);
				if (x->kind == SEL_PAYLOAD && x->base == s->base &&
				    x->offset == s->offset && x->len == s->len &&
				    xt && strcmp(xt, kt) == 0 &&
				    (!alt || streq(x->proto, "th")))
					alt = x;
			}
			/* none: an integer of the load's width, as a raw
			 * vmap's key is (@nh,72,8 vmap in an ip table,
			 * which nft lists as ip protocol) */
			const struct nftl_sel *r = !alt ? raw_of(c, ld) : NULL;
			if (r && !r->bits && settype_is(r->dtype, r->len, kt))
				alt = r;
			if (!alt)
				goto bad;
			b.n = 0;
			sel_name(&b, alt);
			nftl_sb_put(&b, " ", 1);
		}
		if (dt) {
			nftl_sb_puts(&b, "vmap ");
			c->term = true;
		} else if (has_inv(e1))
			nftl_sb_puts(&b, "!= ");
		if (lone_interval_text(&b, kt, linx_map_get(e1, "elements"),
				       dt) < 0)
			goto bad;
		used = 2;
	} else if (is_expr(e1, "payload") && sreg1(e1) &&
		   !linx_map_get(e1, "dreg") && !prefix && !be && !lhs &&
		   !chain && !s->bits && ll == s->len) {
		/* ip daddr set ip saddr (payload_set_from()): a field of
		 * the same type, written as it is */
		struct nftl_write w;
		const struct nftl_sel *t = write_sel(c, e1, false, 0, &w);
		if (!t || t->dtype != s->dtype || t->len != s->len)
			goto bad;
		b.n = 0;
		nftl_sb_printf(&b, "%s %s set ", t->proto, t->field);
		sel_name(&b, s);
		used = 2;
	} else if ((is_expr(e1, "meta") || is_expr(e1, "ct")) && sreg1(e1) &&
		   !prefix && s->kind != SEL_PAYLOAD && !be) {
		/* meta mark set ct mark */
		const struct nftl_sel *t = set_target(e1);
		if (!t || (t->len != s->len && !nftl_widens_into_mark(t, s)) ||
		    (lhs && t->dtype != DT_MARK))
			goto bad;
		b.n = 0;
		nftl_sb_printf(&b, "%s %s set ", t->proto, t->field);
		if (lhs)
			nftl_sb_puts(&b, lhs);
		else
			sel_name(&b, s);
		used = 2;
	} else if (is_expr(e1, "bitwise") && e2 && sreg1(e1) && !prefix &&
		   !be && !lhs && !chain && !s->bits && ll == s->len) {
		/* meta mark set ct mark & 0xffff0000 | 0x1, ... >> 8
		 * (mark_ops()), ip daddr set ip saddr & 255.255.0.0
		 * (payload_set_from()): the bitwise run, then the set */
		uint32_t k = i + 1;
		struct nftl_write w;
		const struct nftl_sel *t = NULL;
		while (k < n && is_expr(&ex[k], "bitwise"))
			k++;
		if (k >= n || !sreg1(&ex[k]) || linx_map_get(&ex[k], "dreg"))
			goto bad;
		if (s->dtype == DT_MARK &&
		    (is_expr(&ex[k], "meta") || is_expr(&ex[k], "ct")))
			t = set_target(&ex[k]);
		else if (is_expr(&ex[k], "payload") &&
			 (t = write_sel(c, &ex[k], false, 0, &w)) &&
			 t->dtype != s->dtype)
			t = NULL;
		if (!t || t->len != s->len ||
		    mark_ops_text(&b, t, s, e1, k - (i + 1)) < 0)
			goto bad;
		used = (int)(k - i + 1);
	} else {
		goto bad;
	}
done:
	if (b.oom)
		goto bad;
	word(c, b.p);
	free(b.p);
	return used + be + masked + chain;
bad:
	free(b.p);
	return unsupported(c, e1, "cannot be written in nft syntax");
}

/* A payload load of `base` at `off`, `len` bytes, into register 1. */
static bool is_load(const struct linx_value *e, const char *base, int64_t off,
		    int64_t len)
{
	int64_t o, l, d;
	const char *b = is_expr(e, "payload") ? str_of(e, "base") : NULL;

	return b && streq(b, base) && int_of(e, "offset", &o) && o == off &&
	       int_of(e, "len", &l) && l == len && int_of(e, "dreg", &d) &&
	       d == 1;
}

/* The big-endian mask of a bitwise on register 1 with no xor, or -1. */
static int64_t and_mask(const struct linx_value *e)
{
	const struct linx_value *m = bytes_of(e, "mask"), *x = bytes_of(e, "xor");
	int64_t sr, dr;
	const char *op = str_of(e, "op");

	if (!is_expr(e, "bitwise") || !m || m->len > 2 ||
	    (linx_map_get(e, "op") && (!op || !streq(op, "bool"))) ||
	    !int_of(e, "sreg", &sr) || sr != 1 || !int_of(e, "dreg", &dr) ||
	    dr != 1)
		return -1;
	for (uint32_t k = 0; x && k < x->len; k++)
		if (x->bytes[k])
			return -1;
	return (int64_t)nftl_get_uint(m->bytes, m->len, false);
}

/* The value of a cmp eq (or neq, with `neq`) on register 1 of `len`
 * bytes, big-endian, or -1. */
static int64_t cmp_value(const struct linx_value *e, unsigned len, bool neq)
{
	const struct linx_value *d = bytes_of(e, "data");
	const char *op = str_of(e, "op");

	if (!is_expr(e, "cmp") || !sreg1(e) || !d || d->len != len || !op ||
	    !(streq(op, "eq") || (neq && streq(op, "neq"))))
		return -1;
	return (int64_t)nftl_get_uint(d->bytes, len, false);
}

/*
 * Whether the check at exprs[0] and [1] (meta nfproto, meta protocol or
 * the Ethernet type) is the one the parser puts at the start of a rule
 * for an IPv6 extension header (`v6`) or an IPv4 option further on
 * (dep_exthdr_ip()): an exthdr load of that kind comes, and nothing
 * before it would have told the parser the packet's IP version or made
 * it add the check itself (a network header, ether or vlan type, meta
 * nfproto or protocol, icmp).  As nft, only across matches: after a
 * statement the check is listed.
 */
static bool exthdr_ip_dep(const struct linx_value *ex, uint32_t n, uint32_t i,
			  bool v6)
{
	if (i != 0)
		return false;
	for (uint32_t j = 2; j < n; j++) {
		const struct linx_value *e = &ex[j];
		const char *kind = e->type == LINX_MAP ? str_of(e, "expr") : NULL;
		const char *key = kind ? str_of(e, "key") : NULL;
		const char *base = kind ? str_of(e, "base") : NULL;

		static const char *const loads[] = { "meta", "ct", "rt", "fib",
						     "socket", "osf", "xfrm",
						     "numgen", "hash", "exthdr",
						     "payload", NULL };
		static const char *const tests[] = { "cmp", "range", "lookup",
						     "set_literal", "bitwise",
						     "byteorder", NULL };

		if (exthdr_ip(e))
			return exthdr_ip(e) == (v6 ? 6 : 4);
		/* only matches between: nft lists the check after a
		 * statement (a counter) */
		if (!kind || !(one_of(kind, tests) ||
			       (one_of(kind, loads) && linx_map_get(e, "dreg"))))
			return false;
		if (streq(kind, "payload") && (!base || !streq(base, "transport")))
			return false;
		if (streq(kind, "meta") && key &&
		    (streq(key, "nfproto") || streq(key, "protocol")))
			return false;
		if (streq(kind, "meta") && key && streq(key, "l4proto")) {
			int64_t v = j + 1 < n ? cmp_value(&ex[j + 1], 1, true)
					      : -1;
			if (v < 0 || v == 1 || v == 58)
				return false;
		}
	}
	return false;
}

/* Whether ex[i] starts a vlan pcp, dei or id match of the innermost tag. */
static bool vlan_bits_at(const struct linx_value *ex, uint32_t n, uint32_t i,
			 int64_t hb)
{
	return i + 1 < n &&
	       ((is_load(&ex[i], "link", hb, 1) &&
		 (and_mask(&ex[i + 1]) == 0xe0 || and_mask(&ex[i + 1]) == 0x10)) ||
		(is_load(&ex[i], "link", hb, 2) && and_mask(&ex[i + 1]) == 0x0fff));
}

static bool is_tag(int64_t et)
{
	return et == 0x8100 || et == 0x88a8;
}

/*
 * VLAN headers and what nft adds for them: `ether type 8021q` before a
 * vlan id, pcp or dei is a dependency (an 802.1ad tag is printed), `vlan
 * type` of the innermost tag before a network header too; a tag's type
 * stacks another header 4 bytes on.  0: not a VLAN or ether type form.
 */
/* The header base the payload at exprs[j] reads, or writes after the
 * immediate at j (a write of a constant): what a dependency is for. */
static const char *next_base(const struct linx_value *ex, uint32_t n,
			     uint32_t j)
{
	if (j < n && is_expr(&ex[j], "immediate") && j + 1 < n &&
	    is_expr(&ex[j + 1], "payload") && !linx_map_get(&ex[j + 1], "dreg"))
		j++;
	return j < n && is_expr(&ex[j], "payload") ? str_of(&ex[j], "base")
						  : NULL;
}

/* exprs[j..j+2]: meta l4proto == `l4`, then a transport header load
 * (what nft adds for an icmp or icmpv6 field). */
static bool l4_field_at(const struct linx_value *ex, uint32_t n, uint32_t j,
			int l4)
{
	const char *nb = next_base(ex, n, j + 2);

	return j + 2 < n && is_expr(&ex[j], "meta") && str_of(&ex[j], "key") &&
	       str_is(str_of(&ex[j], "key"), "l4proto") &&
	       cmp_value(&ex[j + 1], 1, false) == l4 && nb &&
	       streq(nb, "transport");
}

static int fmt_l2(struct fctx *c, const struct linx_value *ex, uint32_t n,
		  uint32_t i)
{
	const struct linx_value *e = &ex[i];
	const char *nb = next_base(ex, n, i + 2);
	bool net_next = nb && streq(nb, "network");
	/* an IPv6 extension header next: `ether type ip6` or `vlan type
	 * ip6` before it says the packet is IPv6 */
	/* (or further on, past a statement: `ether type ip6 counter
	 * exthdr hbh exists`, which nft lists so) */
	int x_next = 0;
	for (uint32_t j = i + 2; j < n && !x_next; j++)
		x_next = exthdr_ip(&ex[j]);
	int64_t et, hb = 14 + 4 * ((int64_t)c->vlan - 1);

	if (i + 1 >= n)
		return 0;
	/* the Ethernet type nft checks in a bridge before an icmp or
	 * icmpv6 field (it lists neither; igmp's it lists) */
	if (c->vlan == 0 && c->family == F_BRIDGE && c->eth < 0 &&
	    is_load(e, "link", 12, 2) &&
	    ((et = cmp_value(&ex[i + 1], 2, false)) == 0x0800 ||
	     et == 0x86dd) &&
	    l4_field_at(ex, n, i + 2, et == 0x0800 ? 1 : 58)) {
		c->eth = (int)et;
		return 2;
	}
	/* the Ethernet type a bridge's extension header or IPv4 option
	 * puts first */
	if (c->vlan == 0 && c->family == F_BRIDGE && c->eth < 0 &&
	    is_load(e, "link", 12, 2) &&
	    ((et = cmp_value(&ex[i + 1], 2, false)) == 0x86dd ||
	     et == 0x0800) &&
	    exthdr_ip_dep(ex, n, i, et == 0x86dd)) {
		c->eth = (int)et;
		return 2;
	}
	if (x_next && c->eth < 0 && c->family != F_IP &&
	    c->family != F_IP6 && (c->vlan == 0 ? is_load(e, "link", 12, 2)
						: is_load(e, "link", hb + 2, 2)) &&
	    cmp_value(&ex[i + 1], 2, false) ==
		    (x_next == 6 ? 0x86dd : 0x0800)) {
		if (x_next == 6)
			word(c, c->vlan ? "vlan type ip6" : "ether type ip6");
		else
			word(c, c->vlan ? "vlan type ip" : "ether type ip");
		c->eth = x_next == 6 ? 0x86dd : 0x0800;
		if (c->family == F_INET)
			c->nf = x_next == 6 ? 10 : 2;
		return 2;
	}
	if (c->vlan == 0 && is_load(e, "link", 12, 2) &&
	    (et = cmp_value(&ex[i + 1], 2, false)) >= 0) {
		if (et == 0x8100 && vlan_bits_at(ex, n, i + 2, 14)) {
			c->vlan = 1;
			return 2;
		}
		if (et == 0x0806 && c->family == F_BRIDGE && net_next &&
		    c->eth < 0) {
			c->eth = 0x806;
			return 2;
		}
		/* `ether type ip|ip6|arp` before the network header: the
		 * header's dependency, which the parser then does not add
		 * (as nft) */
		if ((et == 0x0806 || et == 0x0800 || et == 0x86dd) &&
		    net_next && c->eth < 0 && c->family != F_IP &&
		    c->family != F_IP6) {
			word(c, et == 0x0800   ? "ether type ip"
				: et == 0x86dd ? "ether type ip6"
					       : "ether type arp");
			c->eth = (int)et;
			if (c->family == F_INET && et != 0x0806)
				c->nf = et == 0x0800 ? 2 : 10;
			return 2;
		}
		if (!is_tag(et))
			return 0;
		word(c, et == 0x8100 ? "ether type 8021q" : "ether type 8021ad");
		c->vlan = 1;
		return 2;
	}
	if (c->vlan == 0)
		return 0;
	if (is_load(e, "link", hb + 2, 2)) { /* vlan type */
		et = cmp_value(&ex[i + 1], 2, false);
		if ((et == 0x0800 || et == 0x86dd || et == 0x0806) && net_next &&
		    c->eth < 0 && c->family != F_IP && c->family != F_IP6) {
			c->eth = (int)et;
			if (c->family == F_INET && et != 0x0806)
				c->nf = et == 0x0800 ? 2 : 10;
			return 2;
		}
		if (is_tag(et)) {
			word(c, et == 0x8100 ? "vlan type 8021q"
					     : "vlan type 8021ad");
			c->vlan++;
			return 2;
		}
		struct nftl_sel s = *nftl_sel_find("vlan", "type");
		s.offset = (uint8_t)(hb + 2);
		return fmt_match_as(c, ex, n, i, &s, false, NULL);
	}
	if (!vlan_bits_at(ex, n, i, hb))
		return 0;
	int64_t m = and_mask(&ex[i + 1]);
	if (m == 0x0fff) {
		/* vlan id: the value in place, any form; skip the bitwise */
		struct linx_value t[4];
		uint32_t k = 1;
		struct nftl_sel s = *nftl_sel_find("vlan", "id");
		t[0] = ex[i];
		for (; k < 4 && i + k + 1 < n; k++)
			t[k] = ex[i + k + 1];
		int rc = fmt_match_as(c, t, k, 0, &s, false, NULL);
		return rc > 0 ? rc + 1 : rc;
	}
	const struct nftl_sel *s = nftl_sel_find("vlan", m == 0xe0 ? "pcp" : "dei");
	int64_t v = i + 2 < n ? cmp_value(&ex[i + 2], 1, true) : -1;
	if (v < 0 || (v & ~m))
		return 0;
	wordf(c, "vlan %s %s%u", s->field,
	      str_is(str_of(&ex[i + 2], "op"), "neq") ? "!= " : "",
	      (unsigned)(v >> s->shift));
	return 3;
}

/* The bit field (ip dscp) a payload load and the bitwise after it read,
 * or NULL. */
static const char *raw_base(const struct linx_value *e, int64_t *off);

/* Whether exprs[i] and the next are a range's cmp >= and cmp <=. */
static bool is_range(const struct linx_value *ex, uint32_t n, uint32_t i)
{
	const char *op = str_of(&ex[i], "op");
	const char *op2 = i + 1 < n && is_expr(&ex[i + 1], "cmp")
				  ? str_of(&ex[i + 1], "op") : NULL;
	return op && streq(op, "gte") && op2 && streq(op2, "lte");
}

static const struct nftl_sel *field_sel(struct fctx *c,
					const struct linx_value *ex,
					uint32_t n, uint32_t i)
{
	const struct linx_value *bw = i + 2 < n ? &ex[i + 1] : NULL;
	const struct linx_value *m = bw ? bytes_of(bw, "mask") : NULL;
	const struct linx_value *x = bw ? bytes_of(bw, "xor") : NULL;
	const char *op = bw ? str_of(bw, "op") : NULL;
	const struct nftl_sel *s;
	int64_t dreg = -1, len = -1;
	bool prefix;

	if ((!is_expr(&ex[i], "payload") && !is_exthdr6(&ex[i]) &&
	     !str_is(str_of(&ex[i], "op"), "tcpopt")) ||
	    !is_expr(bw, "bitwise") ||
	    !sreg1(bw) || !int_of(bw, "dreg", &dreg) || dreg != 1 || !m ||
	    (op && !streq(op, "bool")) || !int_of(&ex[i], "len", &len) ||
	    m->len != len || len > 8 || (x && x->len != m->len))
		return NULL;
	for (uint32_t k = 0; x && k < x->len; k++)
		if (x->bytes[k])
			return NULL;
	/* named bit fields are in at most 4 bytes; raw ones in up to 8 */
	uint64_t fm = nftl_get_uint(m->bytes, m->len, false);
	s = NULL;
	if (len <= 4) {
		c->fmask = (uint32_t)fm;
		s = c->fmask ? sel_of(c, &ex[i], &prefix) : NULL;
		c->fmask = 0;
	}
	const char *cop = is_expr(&ex[i + 2], "cmp") ? str_of(&ex[i + 2], "op")
						     : NULL;
	if (s || !fm ||
	    (cop && (streq(cop, "eq") || streq(cop, "neq")) &&
	     !is_range(ex, n, i + 2)))
		return s;
	/* flags masked before a set (`tcp flags & (syn|ack) { ... }`):
	 * the flags' own selector writes it (fmt_match_as()) */
	const struct nftl_sel *whole = sel_of(c, &ex[i], &prefix);
	if (whole && !whole->bits && nftl_dtype_is_bitmask(whole->dtype))
		return NULL;
	/* a set, range or ordering of a raw payload not in whole bytes: nft masks
	 * the load and shifts the values (@th,0,4 { 1, 3 }); written
	 * with the field's own bits, which read back the same */
	unsigned shift = 0, bits = 0;
	while (!(fm >> shift & 1))
		shift++;
	while (shift + bits < 64 && fm >> (shift + bits) & 1)
		bits++;
	if (shift + bits < 64 && fm >> (shift + bits))
		return NULL; /* not one run of bits */
	int64_t loff;
	const char *base = raw_base(&ex[i], &loff);
	if (!base)
		return NULL;
	uint64_t off = 8u * (unsigned)loff + 8u * (unsigned)len - shift - bits;
	char why[160];
	if (!nftl_raw_sel(base, off, bits, &c->raw, &s, why, sizeof(why)) ||
	    s->len != len || s->offset != loff || !s->bits)
		return NULL;
	return s;
}

/* A bit field's value as the parser writes it, shifted down in place:
 * register bytes, integers, and the keys of set elements and ranges.
 * False for a value with bits outside the field. */
static bool field_down(struct linx_value *v, const struct nftl_sel *s,
		       unsigned depth)
{
	uint64_t m = nftl_sel_mask(s), u;

	if (depth > 4)
		return false;
	switch (v->type) {
	case LINX_INT:
	case LINX_UINT:
		if (!linx_value_get_u64(v, &u) || (u & ~m))
			return false;
		*v = linx_value_int((int64_t)(u >> s->shift));
		return true;
	case LINX_BYTES:
		if (v->len != s->len)
			return false;
		u = nftl_get_uint(v->bytes, v->len, false);
		if (u & ~m)
			return false;
		u >>= s->shift;
		for (uint32_t k = 0; k < v->len; k++)
			v->bytes[k] = (uint8_t)(u >> (8 * (v->len - 1 - k)));
		return true;
	case LINX_LIST:
		for (uint32_t k = 0; k < v->len; k++)
			if (!field_down(&v->items[k], s, depth + 1))
				return false;
		return true;
	case LINX_MAP:
		for (uint32_t k = 0; k < v->len; k++) {
			const char *key = v->pairs[k].key;
			if ((streq(key, "data") || streq(key, "from") ||
			     streq(key, "to") || streq(key, "elements") ||
			     streq(key, "range") || streq(key, "key")) &&
			    !field_down(&v->pairs[k].value, s, depth + 1))
				return false;
		}
		return true;
	default:
		return false;
	}
}

/* A match on a bit field: the load, its mask, then a match as on any
 * field, on values shifted down to the field (nft prints `ip dscp ef`,
 * not the byte 0xb8). */
static int fmt_field(struct fctx *c, const struct linx_value *ex, uint32_t n,
		     uint32_t i, const struct nftl_sel *s)
{
	struct linx_value t[3];
	uint32_t m = 1;
	int64_t dreg = -1;
	int rc = 0;

	/* a named set or map of the field's type: the parser shifts the
	 * field down to its own value first (e_field_shift), which a
	 * lookup without the shift would not find */
	const struct linx_value *sh = &ex[i + 2];
	const struct linx_value *by = bytes_of(sh, "data");
	const char *sop = str_of(sh, "op");
	int64_t slen = -1;
	uint32_t amount = 0;
	if (by && by->len == sizeof(amount))
		memcpy(&amount, by->bytes, sizeof(amount));
	if (s->bits && s->shift && is_expr(sh, "bitwise") && sop &&
	    streq(sop, "rshift") && sreg1(sh) && int_of(sh, "dreg", &dreg) &&
	    dreg == 1 && int_of(sh, "len", &slen) && slen == s->len &&
	    amount == s->shift && i + 3 < n && is_expr(&ex[i + 3], "lookup") &&
	    str_of(&ex[i + 3], "set")) {
		t[0] = ex[i];
		t[1] = ex[i + 3];
		rc = fmt_match_as(c, t, 2, 0, s, false, NULL);
		return rc <= 0 ? rc : rc + 2;
	}
	if (s->bits && s->shift && is_expr(sh, "lookup") && str_of(sh, "set"))
		return unsupported(c, sh, "a named set of a bit field not "
					  "shifted to its value");
	dreg = -1;
	/* not a value to compare: a map's key, another mask */
	if (is_expr(&ex[i + 2], "bitwise") ||
	    (int_of(&ex[i + 2], "dreg", &dreg) && dreg != 0))
		return unsupported(c, &ex[i + 2], "cannot be written in nft "
						  "syntax");
	/* the match's own expressions: one, or a range's two cmps */
	const char *op = str_of(&ex[i + 2], "op");
	const char *op2 = i + 3 < n && is_expr(&ex[i + 3], "cmp")
				  ? str_of(&ex[i + 3], "op") : NULL;
	uint32_t end = is_expr(&ex[i + 2], "cmp") && op && streq(op, "gte") &&
			       op2 && streq(op2, "lte")
			       ? i + 4 : i + 3;

	t[0] = ex[i];
	for (uint32_t k = i + 2; k < end; k++, m++) {
		if (linx_value_copy(&t[m], &ex[k]) < 0 ||
		    !field_down(&t[m], s, 0))
			rc = -1;
		if (rc < 0) {
			m++;
			break;
		}
	}
	if (rc == 0)
		rc = fmt_match_as(c, t, m, 0, s, false, NULL);
	for (uint32_t k = 1; k < m; k++)
		linx_value_clear(&t[k]);
	/* a value with bits outside the field: no field match, but a
	 * masked one (`tcp flags & (fin|syn) > fin|rst`), the caller's */
	return rc < 0 ? 0 : rc + 1;
}

/* A payload load no field of its context is: nft lists it raw,
 * `@th,96,32` (any mask it has printed as a mask), or NULL. */
/* The raw name of a payload load's header ("ll", "nh", "th") and its
 * byte offset, or NULL for what is no such load. */
static const char *raw_base(const struct linx_value *e, int64_t *off)
{
	const char *base = str_of(e, "base");
	int64_t len, dreg;

	if (!is_expr(e, "payload") || !base || !int_of(e, "dreg", &dreg) ||
	    dreg < 1 || dreg > 23 || !uint_of(e, "offset", 255, off) ||
	    !uint_of(e, "len", 16, &len) || len == 0)
		return NULL;
	return streq(base, "link")	   ? "ll"
	       : streq(base, "network")   ? "nh"
	       : streq(base, "transport") ? "th"
					  : NULL;
}

static const struct nftl_sel *raw_of(struct fctx *c, const struct linx_value *e)
{
	const struct nftl_sel *s = NULL;
	const char *base;
	int64_t off, len;
	char why[160];

	if (!(base = raw_base(e, &off)) || !uint_of(e, "len", 16, &len) ||
	    !nftl_raw_sel(base, (uint64_t)off * 8, (uint64_t)len * 8, &c->raw,
			  &s, why, sizeof(why)))
		return NULL;
	return s;
}

static int fmt_match(struct fctx *c, const struct linx_value *ex, uint32_t n,
		     uint32_t i)
{
	bool prefix;
	const struct nftl_sel *s = field_sel(c, ex, n, i);
	int rc;

	if (s && (rc = fmt_field(c, ex, n, i, s)) != 0)
		return rc;
	s = sel_of(c, &ex[i], &prefix);
	/* a load shortened for a prefix (`ip saddr 10.0.0.0/16` loads 2
	 * bytes) is only ever compared == or != with a value: anything else
	 * on such a load (a range, an ordering, a $hole) is a raw payload's
	 * (`@nh,96,16 1-5`) */
	if (s && prefix && i + 1 < n) {
		const char *op = str_of(&ex[i + 1], "op");
		if (!is_expr(&ex[i + 1], "cmp") || !op ||
		    !bytes_of(&ex[i + 1], "data") ||
		    (!streq(op, "eq") && !streq(op, "neq"))) {
			const struct nftl_sel *raw = raw_of(c, &ex[i]);
			if (raw) {
				s = raw;
				prefix = false;
			}
		}
	}
	/* a $hole reads back with its selector's type: a raw load that is
	 * a field too (@nh,96,32, ip saddr) stays raw for an integer hole */
	if (s && i + 1 < n && !hole_fits(&ex[i + 1], s)) {
		const struct nftl_sel *raw = raw_of(c, &ex[i]);
		if (raw) {
			s = raw;
			prefix = false;
		}
	}
	if (!s)
		s = raw_of(c, &ex[i]);

	return fmt_match_as(c, ex, n, i, s, prefix, NULL);
}

static int take_reg(struct fctx *c, const struct linx_value *e,
		    const char *key, const struct linx_value **data)
{
	int64_t r;

	*data = NULL;
	if (!linx_map_get(e, key))
		return 0;
	if (!int_of(e, key, &r) || r < 1 || r > 23 || !c->reg[r])
		return -1;
	*data = c->reg[r];
	c->reg[r] = NULL;
	return 1;
}

/* Whether flag list `f` holds `name`. */
static bool has_flag(const struct linx_value *f, const char *name)
{
	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++)
		if (f->items[i].type == LINX_STRING &&
		    streq(f->items[i].str, name))
			return true;
	return false;
}

static void flags_text(struct sbuf *b, const struct linx_value *f)
{
	bool first = true;

	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++) {
		const struct linx_value *x = &f->items[i];
		if (x->type != LINX_STRING)
			continue;
		if (streq(x->str, "proto_specified") ||
		    streq(x->str, "map_ips") || streq(x->str, "netmap"))
			continue; /* netmap: `prefix` before `to` */
		nftl_sb_puts(b, first ? " " : ",");
		nftl_sb_puts(b, streq(x->str, "fully_random") ? "fully-random"
							      : x->str);
		first = false;
	}
}

static bool flags_ok(const struct linx_value *f)
{
	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++) {
		const struct linx_value *x = &f->items[i];
		if (x->type != LINX_STRING)
			return false;
		if (strcmp(x->str, "random") && strcmp(x->str, "fully_random") &&
		    strcmp(x->str, "persistent") &&
		    strcmp(x->str, "proto_specified") &&
		    strcmp(x->str, "map_ips") && strcmp(x->str, "netmap"))
			return false;
	}
	return !f || f->type == LINX_LIST;
}

static int fmt_ports(struct fctx *c, struct sbuf *b, const struct linx_value *e)
{
	const struct linx_value *lo, *hi;
	int64_t rp = 0;

	/* the parser takes a port after a transport match only, as nft:
	 * a protocol it names, or a printed l4proto match (not the
	 * dependency of a `th` field, which nft lists but cannot read) */
	bool named = false;
	switch (c->l4) { /* the protocols ctx_proto() prints by name */
	case 1: case 6: case 17: case 33: case 50: case 51: case 58:
	case 132: case 136:
		named = true;
	}
	/* a map's value (`: numgen inc mod 2 map { ... }`), one register */
	if (int_of(e, "reg_proto_min", &rp) && rp >= 1 && rp <= 23 &&
	    c->regtext[rp]) {
		if (linx_map_get(e, "reg_proto_max") || c->regpair[rp] ||
		    c->regiv[rp] || (!named && !c->l4seen))
			return -1;
		nftl_sb_puts(b, " : ");
		nftl_sb_puts(b, c->regtext[rp]);
		free(c->regtext[rp]);
		c->regtext[rp] = NULL;
		c->regnamed[rp] = false;
		return 1;
	}
	if (take_reg(c, e, "reg_proto_min", &lo) < 0 ||
	    take_reg(c, e, "reg_proto_max", &hi) < 0)
		return -1;
	if (!lo)
		return hi ? -1 : 0;
	if (lo->len != 2 || (!named && !c->l4seen))
		return -1;
	nftl_sb_printf(b, ":%u", lo->bytes[0] << 8 | lo->bytes[1]);
	if (hi) {
		int64_t rlo = -1, rhi = -1;
		if (hi->len != 2)
			return -1;
		/* `:80-80` keeps a register of its own for the end, as nft
		 * sends it; `:80` names one register twice */
		int_of(e, "reg_proto_min", &rlo);
		int_of(e, "reg_proto_max", &rhi);
		if (memcmp(hi->bytes, lo->bytes, 2) || rlo != rhi)
			nftl_sb_printf(b, "-%u", hi->bytes[0] << 8 | hi->bytes[1]);
	}
	return 1;
}

/* tproxy [ip|ip6] to [ADDR][:PORT], from the immediates before it: the
 * family word only in inet tables, where nft needs it with an address. */
static int fmt_tproxy(struct fctx *c, const struct linx_value *e)
{
	static const char *const keys[] = { "expr", "family", "reg_addr",
					    "reg_port", NULL };
	const char *fam = str_of(e, "family");
	const struct linx_value *a, *pt;
	struct sbuf b = { 0 };
	int f;

	if (!fam || !only_keys(e, keys))
		return unsupported(c, e, "family");
	f = streq(fam, "ip") ? F_IP : streq(fam, "ip6") ? F_IP6 : -1;
	if ((f < 0 && !streq(fam, "unspec")) ||
	    (c->family != F_INET && f != c->family) ||
	    (c->family == F_INET && f < 0 && linx_map_get(e, "reg_addr")))
		return unsupported(c, e, "family");
	if (take_reg(c, e, "reg_addr", &a) < 0 ||
	    take_reg(c, e, "reg_port", &pt) < 0 || (!a && !pt) ||
	    (a && a->len != (f == F_IP6 ? 16u : 4u)) || (pt && pt->len != 2))
		return unsupported(c, e, "registers");
	nftl_sb_puts(&b, "tproxy ");
	if (c->family == F_INET && f >= 0)
		nftl_sb_printf(&b, "%s ", fam);
	nftl_sb_puts(&b, "to ");
	if (a && f == F_IP6)
		nftl_sb_put(&b, "[", 1);
	if (a)
		value_text(&b, f == F_IP6 ? DT_IPV6 : DT_IPV4, a->bytes,
			   a->len, -1);
	if (a && f == F_IP6)
		nftl_sb_put(&b, "]", 1);
	if (pt)
		nftl_sb_printf(&b, ":%u", pt->bytes[0] << 8 | pt->bytes[1]);
	word(c, b.p ? b.p : "");
	free(b.p);
	return 1;
}

/* synproxy with the options its flags name.  nft lists `mss N wscale N`
 * when either flag is set; that text reads back with both, so only the
 * flagged ones are written here, and unflagged nonzero values (lost in
 * any text) are refused. */
static int fmt_synproxy(struct fctx *c, const struct linx_value *e)
{
	static const char *const keys[] = { "expr", "mss", "wscale", "flags",
					    NULL };
	static const char *const fl[] = { "mss", "wscale", "timestamp",
					  "sack_perm", NULL };
	const struct linx_value *f = linx_map_get(e, "flags");
	bool has[4] = { false };
	int64_t mss = 0, ws = 0;
	struct sbuf b = { 0 };

	if (!only_keys(e, keys) ||
	    (linx_map_get(e, "mss") && !uint_of(e, "mss", 65535, &mss)) ||
	    (linx_map_get(e, "wscale") && !uint_of(e, "wscale", 255, &ws)) ||
	    (f && f->type != LINX_LIST))
		return unsupported(c, e, "values");
	for (uint32_t k = 0; f && k < f->len; k++) {
		unsigned j = 0;
		if (f->items[k].type != LINX_STRING)
			return unsupported(c, e, "flags");
		while (fl[j] && strcmp(fl[j], f->items[k].str))
			j++;
		if (!fl[j])
			return unsupported(c, e, "flags");
		has[j] = true;
	}
	if ((!has[0] && mss) || (!has[1] && ws))
		return unsupported(c, e, "a value without its flag");
	nftl_sb_puts(&b, "synproxy");
	if (has[0])
		nftl_sb_printf(&b, " mss %" PRId64, mss);
	if (has[1])
		nftl_sb_printf(&b, " wscale %" PRId64, ws);
	if (has[2])
		nftl_sb_puts(&b, " timestamp");
	if (has[3])
		nftl_sb_puts(&b, " sack-perm");
	word(c, b.p);
	free(b.p);
	return 1;
}

/* dup and fwd, from the immediates their registers hold: the device as
 * its index (nft takes `fwd to 2`), or its name where the namespace the
 * rules run in is known (value_text()), the address in the table's
 * family or fwd's own. */
static int fmt_dup_fwd(struct fctx *c, const struct linx_value *e)
{
	bool fwd = str_is(str_of(e, "expr"), "fwd");
	const struct linx_value *dev, *addr;
	const char *np = str_of(e, "nfproto");
	struct sbuf b = { 0 };

	if (take_reg(c, e, "sreg_dev", &dev) < 0 ||
	    take_reg(c, e, "sreg_addr", &addr) < 0)
		return unsupported(c, e, "registers");
	bool v6 = fwd ? np && streq(np, "ip6") : c->family == F_IP6;
	unsigned al = v6 ? 16 : 4;
	if ((dev && dev->len != 4) || (addr && addr->len != al) ||
	    (fwd && (!dev || (addr && !np) || (!addr && np))) ||
	    (!fwd && (addr ? c->family != F_IP && c->family != F_IP6
			   : !dev || c->family != F_NETDEV)))
		return unsupported(c, e, "operands");
	nftl_sb_puts(&b, fwd ? "fwd" : "dup");
	if (fwd && addr)
		nftl_sb_printf(&b, " %s", np);
	nftl_sb_puts(&b, " to ");
	if (addr) {
		value_text(&b, v6 ? DT_IPV6 : DT_IPV4, addr->bytes, al, -1);
		if (dev)
			nftl_sb_puts(&b, " device ");
	}
	if (dev)
		value_text(&b, DT_IFINDEX, dev->bytes, 4, -1);
	word(c, b.p);
	free(b.p);
	return 1;
}

static int fmt_nat(struct fctx *c, const struct linx_value *e)
{
	const char *kind = str_of(e, "expr");
	struct sbuf b = { 0 };

	if (!flags_ok(linx_map_get(e, "flags")))
		return unsupported(c, e, "flags");
	if (streq(kind, "nat")) {
		const char *type = str_of(e, "type");
		const char *fam = str_of(e, "family");
		const struct linx_value *lo, *hi;
		/* family inet: ports only, in an inet table (`meta l4proto
		 * tcp dnat to :80`, the parser's F_INET) */
		bool inet = fam && streq(fam, "inet") && c->family == F_INET &&
			    !linx_map_get(e, "reg_addr_min") &&
			    !linx_map_get(e, "reg_addr_max");
		if (!type || !fam ||
		    (strcmp(fam, "ip") && strcmp(fam, "ip6") && !inet) ||
		    (strcmp(type, "snat") && strcmp(type, "dnat")))
			return unsupported(c, e, "type or family");
		bool v6 = streq(fam, "ip6");
		bool netmap = has_flag(linx_map_get(e, "flags"), "netmap");
		int64_t ra = 0, rp = 0, rx = 0;
		bool amin = int_of(e, "reg_addr_min", &ra) && ra >= 1 &&
			    ra <= 23 && c->regtext[ra];
		/* a map of address ranges: the last in the next slot */
		if (amin && c->regiv[ra] && ra == 1 &&
		    int_of(e, "reg_addr_max", &rx) && rx == (v6 ? 2 : 9) &&
		    !linx_map_get(e, "reg_proto_min") && !c->reg[rx] &&
		    !c->regtext[rx]) {
			nftl_sb_printf(&b, "%s %s %sto %s", type, fam,
				       netmap ? "prefix " : "", c->regtext[ra]);
			free(c->regtext[ra]);
			c->regtext[ra] = NULL;
			c->regiv[ra] = c->regnamed[ra] = false;
			flags_text(&b, linx_map_get(e, "flags"));
			word(c, b.p ? b.p : "");
			free(b.p);
			return 1;
		}
		if (netmap)
			goto bad;
		nftl_sb_printf(&b, "%s ", type);
		if (c->family == F_INET && !inet)
			nftl_sb_printf(&b, "%s ", fam);
		nftl_sb_puts(&b, "to ");
		if (amin && !c->regiv[ra] && !linx_map_get(e, "reg_addr_max") &&
		    !linx_map_get(e, "reg_proto_max")) {
			bool pair = c->regpair[ra];
			/* a named map's ADDR . PORT: the port from the
			 * slot after the address, which nothing else
			 * loaded (the parser's `: PORT` goes to register
			 * 2 and, for ip6, is seen there) */
			if (c->regnamed[ra] && ra == 1 &&
			    int_of(e, "reg_proto_min", &rp) &&
			    rp == (v6 ? 2 : 9) && !c->regtext[rp] &&
			    !c->reg[rp])
				pair = true;
			nftl_sb_puts(&b, c->regtext[ra]);
			free(c->regtext[ra]);
			c->regtext[ra] = NULL;
			c->regpair[ra] = false;
			c->regnamed[ra] = false;
			/* ADDR . PORT values: the port is the map's too,
			 * in the slot after the address */
			if (pair && !(ra == 1 &&
				      int_of(e, "reg_proto_min", &rp) &&
				      rp == (v6 ? 2 : 9)))
				goto bad;
			if (!pair && int_of(e, "reg_proto_min", &rp)) {
				if (rp >= 1 && rp <= 23 && c->regtext[rp]) {
					nftl_sb_puts(&b, " : ");
					nftl_sb_puts(&b, c->regtext[rp]);
					free(c->regtext[rp]);
					c->regtext[rp] = NULL;
				} else if (fmt_ports(c, &b, e) <= 0) {
					goto bad;
				}
			}
			flags_text(&b, linx_map_get(e, "flags"));
			word(c, b.p ? b.p : "");
			free(b.p);
			return 1;
		}
		if (take_reg(c, e, "reg_addr_min", &lo) < 0 ||
		    take_reg(c, e, "reg_addr_max", &hi) < 0)
			goto bad;
		if (lo) {
			unsigned al = v6 ? 16 : 4;
			if (lo->len != al || (hi && hi->len != al))
				goto bad;
			/* a range that is a prefix, as its prefix (no port
			 * can follow one: `to 10.0.0.0/24:80` is no nft);
			 * a range of one address too, which the address
			 * alone would not give back */
			int plen = hi && !linx_map_get(e, "reg_proto_min")
					   ? range_prefix(lo->bytes, hi->bytes, al)
					   : -1;
			if (v6 && plen < 0)
				nftl_sb_put(&b, "[", 1);
			value_text(&b, v6 ? DT_IPV6 : DT_IPV4, lo->bytes, al,
				   plen < (int)al * 8 ? plen : -1);
			if (plen == (int)al * 8) /* the address alone is
						  * one register */
				nftl_sb_printf(&b, "/%d", plen);
			/* nft brackets each address of a range: [a]-[b] */
			if (plen < 0 && hi) {
				nftl_sb_puts(&b, v6 ? "]-[" : "-");
				value_text(&b, v6 ? DT_IPV6 : DT_IPV4, hi->bytes, al,
					   -1);
			}
			if (v6 && plen < 0)
				nftl_sb_put(&b, "]", 1);
		} else if (hi) {
			goto bad;
		}
		int pr = fmt_ports(c, &b, e);
		if (pr < 0 || (!lo && pr == 0))
			goto bad;
	} else {
		nftl_sb_puts(&b, streq(kind, "masq") ? "masquerade" : "redirect");
		int64_t rp = 0, rx = 0;
		/* the port a map gave (`redirect to :tcp dport map {...}`;
		 * the kernel lists the same register as the maximum) */
		if (int_of(e, "reg_proto_min", &rp) && rp >= 1 && rp <= 23 &&
		    c->regtext[rp] && !c->regpair[rp] &&
		    (!int_of(e, "reg_proto_max", &rx) || rx == rp)) {
			nftl_sb_puts(&b, " to :");
			nftl_sb_puts(&b, c->regtext[rp]);
			free(c->regtext[rp]);
			c->regtext[rp] = NULL;
			c->regnamed[rp] = false;
			flags_text(&b, linx_map_get(e, "flags"));
			word(c, b.p ? b.p : "");
			free(b.p);
			return 1;
		}
		struct sbuf pb = { 0 };
		int pr = fmt_ports(c, &pb, e);
		if (pr < 0) {
			free(pb.p);
			goto bad;
		}
		if (pr > 0) {
			nftl_sb_puts(&b, " to ");
			nftl_sb_puts(&b, pb.p);
		}
		free(pb.p);
	}
	flags_text(&b, linx_map_get(e, "flags"));
	word(c, b.p ? b.p : "");
	free(b.p);
	return 1;
bad:
	free(b.p);
	return unsupported(c, e, "registers");
}

static int fmt_reject(struct fctx *c, const struct linx_value *e)
{
	size_t n4, n6, nx;
	const struct nftl_sym *icmp = nftl_reject_codes(REJECT_ICMP, &n4);
	const struct nftl_sym *icmp6 = nftl_reject_codes(REJECT_ICMP6, &n6);
	const struct nftl_sym *icmpx = nftl_reject_codes(REJECT_ICMPX, &nx);
	const char *type = str_of(e, "type");
	int64_t code = 0;
	const char *n;

	int_of(e, "code", &code);
	if (!type || code < 0 || code > 255)
		return unsupported(c, e, "type");
	if (streq(type, "tcp_reset")) {
		if (c->l4 != 6)
			return unsupported(c, e, "tcp reset without tcp");
		word(c, "reject with tcp reset");
		return 1;
	}
	if (streq(type, "icmpx_unreach")) {
		/* the kernel takes it in an ip or ip6 table (pushed as a
		 * value), nft -f does not */
		if (c->family == F_IP || c->family == F_IP6)
			return unsupported(c, e, "icmpx in an ip table");
		/* bare only where the parser would pick icmpx: not in a
		 * rule about one IP version (that gets its icmp) */
		if (code == 1 && c->family != F_IP && c->family != F_IP6 &&
		    c->nf != 2 && c->nf != 10 && c->eth != 0x0800 &&
		    c->eth != 0x86dd) {
			word(c, "reject");
			return 1;
		}
		/* 0..3 all have names; the kernel refuses any other */
		n = nftl_sym_name(icmpx, nx, (uint32_t)code);
		if (!n)
			return unsupported(c, e, "code");
		wordf(c, "reject with icmpx type %s", n);
		return 1;
	}
	if (!streq(type, "icmp_unreach"))
		return unsupported(c, e, "type");
	/* the family comes from the table, or from the rule's own
	 * `meta nfproto` (inet) or `meta protocol` (bridge, netdev) */
	bool v6 = c->family == F_IP6 ||
		  (c->family != F_IP && (c->nf == 10 || c->eth == 0x86dd));
	bool v4 = c->family == F_IP ||
		  (c->family != F_IP6 && (c->nf == 2 || c->eth == 0x0800));
	if (!v6 && !v4)
		return unsupported(c, e, "icmp reject without a family");
	if ((c->family == F_IP && code == 3) || (c->family == F_IP6 && code == 4)) {
		word(c, "reject");
		return 1;
	}
	n = v6 ? nftl_sym_name(icmp6, n6, (uint32_t)code)
	       : nftl_sym_name(icmp, n4, (uint32_t)code);
	if (n)
		wordf(c, "reject with %s type %s", v6 ? "icmpv6" : "icmp", n);
	else
		wordf(c, "reject with %s %" PRId64, v6 ? "icmpv6" : "icmp",
		      code);
	return 1;
}

static int fmt_limit(struct sbuf *b, const struct linx_value *e)
{
	int64_t rate, burst = -1;
	const char *unit = str_of(e, "unit"), *type = str_of(e, "type");
	bool bytes = type && streq(type, "bytes");

	static const char *const units[] = { "second", "minute", "hour", "day",
					     "week", NULL };
	if (!int_of(e, "rate", &rate) || rate < 0 || !one_of(unit, units))
		return -1;
	if (linx_map_get(e, "burst") && !uint_of(e, "burst", UINT32_MAX, &burst))
		return -1;
	nftl_sb_puts(b, "rate ");
	if (has_inv(e))
		nftl_sb_puts(b, "over ");
	nftl_sb_printf(b, "%" PRId64 "%s/%s", rate, bytes ? " bytes" : "", unit);
	if (burst >= 0 && !(bytes ? burst == 0 : burst == 5))
		nftl_sb_printf(b, " burst %" PRId64 " %s", burst,
			  bytes ? "bytes" : "packets");
	return 0;
}

/* The statements of a set statement, a set or an element, each after a
 * space: `counter packets 1 bytes 2`, `limit rate 1/second`, `quota 5
 * bytes`, `ct count 3`.  Without `state` (a set's own, which nft lists
 * so) a counter's numbers and a quota's usage are left out. */
static int stateful_text(struct sbuf *b, const struct linx_value *xs,
			 bool state)
{
	if (xs->type != LINX_LIST || xs->len > 2)
		return -1;
	for (uint32_t k = 0; k < xs->len; k++) {
		const struct linx_value *e = &xs->items[k];
		int64_t pk, by, cnt;
		nftl_sb_puts(b, " ");
		if (is_expr(e, "counter")) {
			if (state && uint_of(e, "packets", INT64_MAX, &pk) &&
			    uint_of(e, "bytes", INT64_MAX, &by))
				nftl_sb_printf(b, "counter packets %" PRId64
						  " bytes %" PRId64, pk, by);
			else
				nftl_sb_puts(b, "counter");
		} else if (is_expr(e, "limit")) {
			nftl_sb_puts(b, "limit ");
			if (fmt_limit(b, e) < 0)
				return -1;
		} else if (is_expr(e, "quota")) {
			int64_t used = 0;
			if (!uint_of(e, "bytes", INT64_MAX, &by) ||
			    (linx_map_get(e, "consumed") &&
			     !uint_of(e, "consumed", INT64_MAX, &used)))
				return -1;
			nftl_sb_printf(b, "quota %s%" PRId64 " bytes",
				       has_inv(e) ? "over " : "", by);
			if (state && used > 0)
				nftl_sb_printf(b, " used %" PRId64 " bytes", used);
		} else if (is_expr(e, "connlimit")) {
			const struct linx_value *cf = linx_map_get(e, "flags");
			if (!uint_of(e, "count", UINT32_MAX, &cnt) ||
			    (cf && (cf->type != LINX_LIST || cf->len > 1 ||
				    (cf->len == 1 && !has_inv(e)))))
				return -1;
			nftl_sb_printf(b, "ct count %s%" PRId64,
				       has_inv(e) ? "over " : "", cnt);
		} else {
			return -1;
		}
	}
	return 0;
}

/* The set a fib result is looked up in: `@name`, `vmap @name`, or an
 * inline set or verdict map of the result's type. */
static int fib_set_text(struct sbuf *b, const struct linx_value *m,
			unsigned dt, unsigned len)
{
	int64_t dreg = -1;

	int_of(m, "dreg", &dreg);
	if (is_expr(m, "lookup")) {
		const char *set = str_of(m, "set");
		if (!set || !set[0] || (dreg != -1 && dreg != 0))
			return -1;
		if (!word_rest(set))
			return -1; /* @name cannot be quoted */
		if (dreg == 0)
			nftl_sb_puts(b, "vmap ");
		else if (has_inv(m))
			nftl_sb_puts(b, "!= ");
		nftl_sb_printf(b, "@%s", set);
		return 0;
	}
	const char *kt = str_of(m, "key_type");
	const char *vt = str_of(m, "data_type");
	const char *st = nftl_dtype_settype(dt, len);
	if (!kt || !st || strcmp(st, kt) != 0 || (vt && strcmp(vt, "verdict")) ||
	    (vt && dreg != 0))
		return -1;
	if (vt)
		nftl_sb_puts(b, "vmap ");
	else if (has_inv(m))
		nftl_sb_puts(b, "!= ");
	return elements_text(b, kt, linx_map_get(m, "elements"), vt, vt,
			     NULL);
}

static int fmt_fib(struct fctx *c, const struct linx_value *ex, uint32_t n,
		   uint32_t i)
{
	static const char *const fl[] = { "saddr", "daddr", "mark", "iif",
					  "oif", NULL };
	const struct linx_value *e = &ex[i];
	const struct linx_value *f = linx_map_get(e, "flags");
	const char *res = str_of(e, "result");
	struct sbuf b = { 0 };
	bool present = false, first = true;
	int64_t dreg;
	unsigned dt, len;

	if (!f || f->type != LINX_LIST || !res || !int_of(e, "dreg", &dreg) ||
	    dreg != 1 || i + 1 >= n || !sreg1(&ex[i + 1]) ||
	    !(is_expr(&ex[i + 1], "cmp") ? bytes_of(&ex[i + 1], "data") != NULL
					 : is_expr(&ex[i + 1], "lookup") ||
						   is_expr(&ex[i + 1],
							   "set_literal")))
		return unsupported(c, e, "not a fib match");
	if (streq(res, "addrtype"))
		dt = DT_FIBADDR, len = 4;
	else if (streq(res, "oif"))
		dt = DT_IFINDEX, len = 4;
	else if (streq(res, "oifname"))
		dt = DT_IFNAME, len = 16;
	else
		return unsupported(c, e, "result");
	nftl_sb_puts(&b, "fib ");
	for (uint32_t k = 0; k < f->len; k++) {
		const struct linx_value *x = &f->items[k];
		if (x->type == LINX_STRING && streq(x->str, "present")) {
			present = true;
			continue;
		}
		if (x->type != LINX_STRING || !one_of(x->str, fl)) {
			free(b.p);
			return unsupported(c, e, "flags");
		}
		nftl_sb_printf(&b, "%s%s", first ? "" : " . ", x->str);
		first = false;
	}
	if (first) {
		free(b.p);
		return unsupported(c, e, "flags");
	}
	nftl_sb_printf(&b, " %s ", dt == DT_FIBADDR ? "type" : res);
	if (!is_expr(&ex[i + 1], "cmp")) {
		if (present || fib_set_text(&b, &ex[i + 1], dt, len) < 0 ||
		    b.oom) {
			free(b.p);
			return unsupported(c, e, "set");
		}
		if (linx_map_get(&ex[i + 1], "data_type") ||
		    (int_of(&ex[i + 1], "dreg", &dreg) && dreg == 0))
			c->term = true;
		word(c, b.p);
		free(b.p);
		return 2;
	}
	const struct linx_value *d = bytes_of(&ex[i + 1], "data");
	const char *op = str_of(&ex[i + 1], "op");
	const char *ot = op_text(op);
	if (present) {
		uint64_t v = d->len == 4 ? nftl_get_uint(d->bytes, 4, true) : 2;
		if (!op || strcmp(op, "eq") || v > 1) {
			free(b.p);
			return unsupported(c, e, "present");
		}
		nftl_sb_puts(&b, v ? "exists" : "missing");
	} else {
		if (!ot || (dt == DT_IFNAME ? d->len > 16 : d->len != len)) {
			free(b.p);
			return unsupported(c, e, "value");
		}
		nftl_sb_puts(&b, ot);
		if (value_text(&b, dt, d->bytes, d->len, -1) < 0) {
			free(b.p);
			return unsupported(c, e, "value");
		}
	}
	if (b.oom) {
		free(b.p);
		return unsupported(c, e, "memory");
	}
	word(c, b.p);
	free(b.p);
	return 2;
}

/* ---- concatenations ------------------------------------------------------ */

static const char *type_text(const struct linx_value *t, char *buf, size_t n);

/* A component type the parser takes in a concatenation (its ckey_add):
 * a set type under its canonical name. */
static bool concat_type_ok(unsigned dt, unsigned len)
{
	return dt != DT_HINT && dt != DT_FIBADDR &&
	       nftl_dtype_settype(dt, len) != NULL;
}

/* A component selector the parser takes: one of those types, or a
 * host-order integer whose typeof says its order (ct zone, meta cpu;
 * not meta len). */
/* The bitwise expressions after the one-byte load ex[j] that make it a
 * bit field of a key, as the parser's key_bits() writes them (the mask,
 * the shift down when the field has one): how many, and the field in
 * *ret; 0 when they are not there. */
static unsigned key_bits_at(struct fctx *c, const struct linx_value *ex,
			    uint32_t n, uint32_t j, const struct nftl_sel **ret)
{
	const struct linx_value *bw = j + 1 < n ? &ex[j + 1] : NULL;
	const struct linx_value *m = bw ? bytes_of(bw, "mask") : NULL;
	const struct linx_value *x = bw ? bytes_of(bw, "xor") : NULL;
	const char *op = bw ? str_of(bw, "op") : NULL;
	int64_t reg = -1, sr = -1, dr = -1, len = -1, bl = -1;
	bool prefix;

	*ret = NULL;
	if (!is_expr(&ex[j], "payload") || !int_of(&ex[j], "dreg", &reg) ||
	    !int_of(&ex[j], "len", &len) || len != 1 || !bw ||
	    !is_expr(bw, "bitwise") || !int_of(bw, "sreg", &sr) || sr != reg ||
	    !int_of(bw, "dreg", &dr) || dr != reg || !int_of(bw, "len", &bl) ||
	    bl != 1 || !m || m->len != 1 || !x || x->len != 1 || x->bytes[0] ||
	    (op && !streq(op, "bool")))
		return 0;
	c->fmask = m->bytes[0];
	const struct nftl_sel *s = sel_of(c, &ex[j], &prefix);
	c->fmask = 0;
	if (!s || !s->bits || s->len != 1 || prefix)
		return 0;
	if (!s->shift) {
		*ret = s;
		return 1;
	}
	const struct linx_value *sh = j + 2 < n ? &ex[j + 2] : NULL;
	const struct linx_value *d = sh ? bytes_of(sh, "data") : NULL;
	uint32_t by;
	if (!sh || !is_expr(sh, "bitwise") || !str_is(str_of(sh, "op"), "rshift") ||
	    !int_of(sh, "sreg", &sr) || sr != reg || !int_of(sh, "dreg", &dr) ||
	    dr != reg || !int_of(sh, "len", &bl) || bl != 1 || !d ||
	    d->len != 4 || linx_map_get(sh, "mask") || linx_map_get(sh, "xor"))
		return 0;
	memcpy(&by, d->bytes, 4);
	if (by != s->shift)
		return 0;
	*ret = s;
	return 2;
}

static bool concat_sel_ok(const struct nftl_sel *s)
{
	return concat_type_ok(s->dtype, s->len) ||
	       (s->dtype == DT_HINT && nftl_sel_typeof_ok(s) &&
		nftl_dtype_settype(s->dtype, s->len));
}

/* A dependency the parser adds: meta KEY, then cmp eq of its value. */
struct dep {
	const char *key; /* "nfproto", "l4proto", "protocol", "iiftype" */
	uint8_t b[2];
	unsigned len;
};

static bool dep_at(const struct linx_value *ex, uint32_t n, uint32_t i,
		   struct dep *d)
{
	const struct linx_value *ld = &ex[i], *cm;
	const struct linx_value *data;
	const char *key, *op;
	int64_t dreg;

	if (i + 1 >= n || !is_expr(ld, "meta") || !int_of(ld, "dreg", &dreg) ||
	    dreg != 1 || linx_map_get(ld, "direction"))
		return false;
	key = str_of(ld, "key");
	cm = &ex[i + 1];
	op = is_expr(cm, "cmp") ? str_of(cm, "op") : NULL;
	data = bytes_of(cm, "data");
	if (!key || !op || !streq(op, "eq") || !sreg1(cm) || !data)
		return false;
	if ((streq(key, "nfproto") || streq(key, "l4proto")) && data->len == 1)
		d->len = 1;
	else if ((streq(key, "protocol") || streq(key, "iiftype")) &&
		 data->len == 2)
		d->len = 2;
	else
		return false;
	d->key = streq(key, "nfproto")	  ? "nfproto"
		 : streq(key, "l4proto") ? "l4proto"
		 : streq(key, "protocol") ? "protocol"
					   : "iiftype";
	memcpy(d->b, data->bytes, d->len);
	return true;
}

struct dctx {
	int l4, nf, eth;
	bool iiftype;
};

static void dep_apply(struct dctx *x, const struct dep *d)
{
	if (streq(d->key, "nfproto"))
		x->nf = d->b[0];
	else if (streq(d->key, "l4proto"))
		x->l4 = d->b[0];
	else if (streq(d->key, "protocol"))
		x->eth = d->b[0] << 8 | d->b[1];
	else
		x->iiftype = true;
}

static bool dep_push(struct dep *out, unsigned *n, const char *key,
		     unsigned v, unsigned len)
{
	if (*n >= 16)
		return false;
	out[*n].key = key;
	out[*n].len = len;
	if (len == 1) {
		out[*n].b[0] = (uint8_t)v;
	} else if (streq(key, "iiftype")) {
		uint16_t h = (uint16_t)v; /* host order, as the parser */
		memcpy(out[*n].b, &h, 2);
	} else {
		out[*n].b[0] = (uint8_t)(v >> 8);
		out[*n].b[1] = (uint8_t)v;
	}
	(*n)++;
	return true;
}

/* What the parser's emit_deps() adds for `s` in context `x` (updated);
 * false where it would refuse (conflicting protocols). */
static bool deps_of(const struct fctx *c, struct dctx *x,
		    const struct nftl_sel *s, struct dep *out, unsigned *n)
{
	if (s->kind != SEL_PAYLOAD)
		return true;
	if (s->base == 0) {
		if (c->family == F_BRIDGE || x->iiftype)
			return true;
		x->iiftype = true;
		return dep_push(out, n, "iiftype", 1, 2);
	}
	bool v6 = streq(s->proto, "ip6") ||
		  (s->base == 2 && streq(s->proto, "icmpv6"));
	bool net = s->base == 1 || (s->base == 2 && (streq(s->proto, "icmp") ||
						    streq(s->proto, "icmpv6")));
	if (s->base == 2 && streq(s->proto, "icmp") && c->family == F_IP)
		net = false;
	if (s->base == 2 && streq(s->proto, "icmpv6") && c->family == F_IP6)
		net = false;
	if (net) {
		int want = v6 ? 10 : 2, et = v6 ? 0x86dd : 0x0800;
		switch (c->family) {
		case F_IP:
		case F_IP6:
			if ((c->family == F_IP6) != v6)
				return false;
			break;
		case F_INET:
			if (x->nf != want) {
				if (x->nf >= 0)
					return false;
				x->nf = want;
				if (!dep_push(out, n, "nfproto", (unsigned)want, 1))
					return false;
			}
			break;
		case F_BRIDGE:
		case F_NETDEV:
			if (x->eth != et) {
				x->eth = et;
				if (!dep_push(out, n, "protocol", (unsigned)et, 2))
					return false;
			}
			break;
		default:
			return false;
		}
	}
	if (s->base != 2 || streq(s->proto, "th"))
		return true;
	int proto = nftl_l4_proto(s->proto);
	if (x->l4 == proto)
		return true;
	if (x->l4 >= 0 || proto < 0)
		return false;
	x->l4 = proto;
	return dep_push(out, n, "l4proto", (unsigned)proto, 1);
}

/* The raw payloads a set literal's key_typeof names where the loads
 * have a field's name (`ip saddr . @nh,64,8`, which nft lists as ip
 * ttl): the components written as the typeof has them, so that they
 * parse back to the same key_typeof. */
static void raw_by_typeof(const struct linx_value *kto,
			  const struct nftl_sel **sel, unsigned nl,
			  struct nftl_raw *raws)
{
	struct nftl_raw tmp;
	const struct nftl_sel *r;

	if (!kto || kto->type != LINX_LIST || kto->len != nl)
		return;
	for (unsigned k = 0; k < nl; k++)
		if (kto->items[k].type == LINX_STRING &&
		    kto->items[k].str[0] == '@' &&
		    (r = nftl_typeof_sel(kto->items[k].str, &tmp)) &&
		    sel[k]->kind == SEL_PAYLOAD && !sel[k]->bits &&
		    r->base == sel[k]->base && r->offset == sel[k]->offset &&
		    r->len == sel[k]->len)
			sel[k] = nftl_raw_keep(r, &raws[k]);
}

/*
 * `SEL . SEL ... RHS` at ex[i]: the dependencies the parser puts first,
 * the loads into consecutive slots (register 1, then NFT_REG32_00 +
 * slot or the 16-byte register a slot starts), and a lookup or a
 * set_literal of a concatenated type from register 1.  Returns how many
 * expressions it wrote, or 0 when ex[i] does not start one that the
 * parser would give back exactly (the caller goes on as before).
 */
static int fmt_concat(struct fctx *c, const struct linx_value *ex, uint32_t n,
		      uint32_t i)
{
	struct dep seen[16], want[16];
	unsigned n_seen = 0, n_want = 0, slot = 0, nl = 0;
	struct dctx x = { c->l4, c->nf, c->eth, c->iiftype };
	const struct nftl_sel *sel[8];
	const struct linx_value *loads[8], *bw[8] = { 0 };
	struct nftl_raw raws[8];
	struct fctx t = *c;
	uint32_t j = i;
	unsigned n_host = 0, n_hton = 0;

	while (n_seen < 16 && dep_at(ex, n, j, &seen[n_seen])) {
		dep_apply(&x, &seen[n_seen]);
		n_seen++;
		j += 2;
	}
	/* the loads, resolved in the context the dependencies make */
	t.l4 = x.l4, t.nf = x.nf, t.eth = x.eth;
	for (; j < n && nl < 8; j++) {
		bool prefix;
		int64_t dreg;
		const struct nftl_sel *s;

		if (!is_expr(&ex[j], "payload") && !is_expr(&ex[j], "meta") &&
		    !is_expr(&ex[j], "ct"))
			break;
		/* a one-byte bit field (key_bits()): its mask, then its
		 * shift down, on its register */
		unsigned fb = key_bits_at(&t, ex, n, j, &s);
		if (!fb)
			s = sel_of(&t, &ex[j], &prefix);
		else
			prefix = false;
		/* a field with no name: raw (@nh,64,16), in whole bytes */
		if (!s && is_expr(&ex[j], "payload") &&
		    (s = raw_of(&t, &ex[j])) && s->bits)
			s = NULL;
		if (s)
			s = nftl_raw_keep(s, &raws[nl]);
		if (!s || prefix || !concat_sel_ok(s) ||
		    !int_of(&ex[j], "dreg", &dreg) ||
		    dreg != (slot % 4 == 0 ? 1 + slot / 4 : 8 + slot))
			break;
		loads[nl] = &ex[j];
		sel[nl++] = s;
		slot += (s->len + 3u) / 4;
		j += fb;
		/* before an interval set, the parser turns each host-order
		 * component to network order right after its load */
		unsigned hs = nftl_sel_hton_size(s);
		/* a component's operators (component_ops()): one bitwise
		 * on its register, before any byteorder */
		if (j + 1 < n && is_expr(&ex[j + 1], "bitwise") &&
		    s->proto[0] != '@' && s->dtype != DT_IFNAME) {
			const struct linx_value *w = &ex[j + 1];
			const struct linx_value *mb = bytes_of(w, "mask");
			const struct linx_value *xb = bytes_of(w, "xor");
			const char *op = str_of(w, "op");
			int64_t sr = -1, dr = -1, len = -1;
			int_of(w, "sreg", &sr);
			int_of(w, "dreg", &dr);
			int_of(w, "len", &len);
			if (sr != dreg || dr != dreg || len != s->len || !mb ||
			    !xb || mb->len != s->len || xb->len != s->len ||
			    (linx_map_get(w, "op") && (!op || !streq(op, "bool"))))
				break;
			bw[nl - 1] = w;
			j++;
		}
		bool noop = hs && hs != s->len; /* nft 1.1 leaves it out */
		if (hs && !noop)
			n_host++;
		if (hs && j + 1 < n && is_expr(&ex[j + 1], "byteorder") &&
		    concat_hton_of(&ex[j + 1], s, dreg)) {
			n_hton += !noop;
			j++;
		}
	}
	if (nl < 2 || slot > 16 || j >= n || (n_hton && n_hton != n_host))
		return 0;
	/* the parser would have put exactly these dependencies */
	struct dctx y = { c->l4, c->nf, c->eth, c->iiftype };
	for (unsigned k = 0; k < nl; k++)
		if (!deps_of(c, &y, sel[k], want, &n_want))
			return 0;
	if (n_want != n_seen)
		return 0;
	for (unsigned k = 0; k < n_seen; k++)
		if (!streq(want[k].key, seen[k].key) ||
		    want[k].len != seen[k].len ||
		    memcmp(want[k].b, seen[k].b, want[k].len))
			return 0;

	const struct linx_value *m = &ex[j];
	struct sbuf b = { 0 };
	int64_t sreg = 0, dreg = -1;
	bool lk = is_expr(m, "lookup"), lit = is_expr(m, "set_literal");
	if ((!lk && !lit) || !int_of(m, "sreg", &sreg) || sreg != 1)
		return 0;
	int_of(m, "dreg", &dreg);
	/* SEL . SEL map { ... } or map @m: the value of a nat or of a
	 * meta or ct set, left in register 1 */
	bool tomap = dreg == 1 && !c->regtext[1];
	if (dreg != -1 && dreg != 0 && !tomap)
		return 0;
	const struct linx_value *f = linx_map_get(m, "flags");
	if (f && (f->type != LINX_LIST || f->len > 1 ||
		  (f->len == 1 && !has_inv(m))))
		return 0;
	if (dreg == 0 && has_inv(m))
		return 0;
	char kb[300], db[300];
	const struct linx_value *ktv = linx_map_get(m, "key_type");
	const char *dt = str_of(m, "data_type");
	bool pair = tomap && nat_pair_type(linx_map_get(m, "data_type"));
	if (pair)
		dt = type_text(linx_map_get(m, "data_type"), db, sizeof(db));
	if (tomap && ((lit && (!dt || streq(dt, "verdict"))) || has_inv(m)))
		return 0;
	if (lit) {
		if (!ktv || ktv->type != LINX_LIST || ktv->len != nl ||
		    (!tomap && dt && !streq(dt, "verdict")) ||
		    (!tomap && (dt != NULL) != (dreg == 0)))
			return 0;
		raw_by_typeof(linx_map_get(m, "key_typeof"), sel, nl, raws);
		for (unsigned k = 0; k < nl; k++) {
			const char *st = nftl_dtype_settype(sel[k]->dtype,
							    sel[k]->len);
			const struct nftl_sel *r;
			/* an integer where the field has a type (nft's
			 * @nh,72,8 . ...): the raw payload */
			if (st && ktv->items[k].type == LINX_STRING &&
			    !streq(st, ktv->items[k].str) &&
			    sel[k]->kind == SEL_PAYLOAD &&
			    (r = raw_of(&t, loads[k])) && !r->bits &&
			    (st = nftl_dtype_settype(r->dtype, r->len)))
				sel[k] = nftl_raw_keep(r, &raws[k]);
			if (ktv->items[k].type != LINX_STRING || !st ||
			    !streq(st, ktv->items[k].str))
				return 0;
		}
	}
	for (unsigned k = 0; k < nl; k++) {
		if (k)
			nftl_sb_puts(&b, " . ");
		sel_name(&b, sel[k]);
		if (bw[k] &&
		    bitwise_ops_text(&b, sel[k]->dtype,
				     bytes_of(bw[k], "mask")->bytes,
				     bytes_of(bw[k], "xor")->bytes,
				     sel[k]->len) < 0)
			goto bad;
	}
	nftl_sb_puts(&b, tomap ? " map " : dreg == 0 ? " vmap "
					  : has_inv(m) ? " != " : " ");
	if (lk) {
		const char *set = str_of(m, "set");
		if (!set || !set[0])
			goto bad;
		if (!word_rest(set))
			goto bad;
		nftl_sb_put(&b, "@", 1);
		nftl_sb_puts(&b, set);
	} else {
		const char *kt = type_text(ktv, kb, sizeof(kb));
		if (!kt || elements_text(&b, kt, linx_map_get(m, "elements"),
					 dreg == 0, dreg == 0 || tomap, dt) < 0)
			goto bad;
	}
	if (b.oom)
		goto bad;
	if (tomap) {
		c->regtext[1] = b.p;
		c->regpair[1] = pair;
		c->regnamed[1] = lk;
		c->regiv[1] = lk ? is_true(named_set(c->table, str_of(m, "set")),
					  "data_interval")
				 : is_true(m, "data_interval");
	} else {
		word(c, b.p);
		free(b.p);
	}
	c->l4 = y.l4, c->nf = y.nf, c->eth = y.eth, c->iiftype = y.iiftype;
	if (dreg == 0)
		c->term = true;
	return (int)(j + 1 - i);
bad:
	free(b.p);
	return 0;
}

/* ---- numgen, jhash, symhash ------------------------------------------------ */

/* What the parser matches a generator's result as (its gen_sels). */
static const struct nftl_sel gen_lhs = { "numgen", "", SEL_GEN, 0, 0, 4,
					 DT_HINT, "", 0, 0, 0 };

/* Whether every key of map `e` is one of `keys` (NULL-terminated): a
 * field the parser never writes would be lost in the text. */
static bool only_keys(const struct linx_value *e, const char *const *keys)
{
	for (uint32_t k = 0; k < e->len; k++)
		if (!one_of(e->pairs[k].key, keys))
			return false;
	return true;
}

/* " mod N[ seed 0xS][ offset M]" as nft lists them: an offset of 0 and a
 * seed the kernel chose are not shown.  False for values the parser
 * refuses (gen_mod), noting the largest value for the match. */
static bool gen_mod_text(struct fctx *c, struct sbuf *b,
			 const struct linx_value *e, bool seed)
{
	int64_t mod, off = 0, sd;

	if (!uint_of(e, "modulus", UINT32_MAX, &mod) || mod == 0 ||
	    (linx_map_get(e, "offset") &&
	     !uint_of(e, "offset", UINT32_MAX, &off)) ||
	    off + mod - 1 > UINT32_MAX)
		return false;
	c->gen_max = (uint64_t)(off + mod - 1);
	nftl_sb_printf(b, " mod %" PRId64, mod);
	if (linx_map_get(e, "seed")) {
		if (!seed || !uint_of(e, "seed", UINT32_MAX, &sd))
			return false;
		nftl_sb_printf(b, " seed 0x%" PRIx64, sd);
	}
	if (off)
		nftl_sb_printf(b, " offset %" PRId64, off);
	return true;
}

/* The match or mark on a generator whose text is in `b` (freed). */
static int gen_match(struct fctx *c, const struct linx_value *ex, uint32_t n,
		     uint32_t i, struct sbuf *b)
{
	int rc;

	if (b->oom) {
		free(b->p);
		return unsupported(c, &ex[i], "out of memory");
	}
	rc = fmt_match_as(c, ex, n, i, &gen_lhs, false, b->p);
	free(b->p);
	return rc;
}

/* numgen, or symhash, whose input is the packet's flow: at ex[i] */
static int fmt_gen(struct fctx *c, const struct linx_value *ex, uint32_t n,
		   uint32_t i)
{
	static const char *const ng_keys[] = { "expr", "dreg", "modulus",
					       "type", "offset", NULL };
	static const char *const sym_keys[] = { "expr", "dreg", "modulus",
						"offset", "type", NULL };
	const struct linx_value *e = &ex[i];
	const char *type = str_of(e, "type");
	struct sbuf b = { 0 };

	if (is_expr(e, "numgen")) {
		if (!type || !(streq(type, "inc") || streq(type, "random")) ||
		    !only_keys(e, ng_keys))
			return unsupported(c, e, "type");
		nftl_sb_printf(&b, "numgen %s", type);
	} else {
		if (!type || !streq(type, "symhash") || !only_keys(e, sym_keys))
			return unsupported(c, e, "a hash without its input");
		nftl_sb_puts(&b, "symhash");
	}
	if (!gen_mod_text(c, &b, e, false)) {
		free(b.p);
		return unsupported(c, e, "modulus or offset");
	}
	return gen_match(c, ex, n, i, &b);
}

/*
 * `jhash SEL [. SEL ...] mod N ...` at ex[i]: the dependencies the
 * parser puts first, the loads from register 2 in 4-byte slots (its
 * load_key() from slot 4), then the hash of their bytes into register 1
 * and what uses it.  Returns 0 when ex[i] does not start one (the
 * caller goes on as before).
 */
static int fmt_jhash(struct fctx *c, const struct linx_value *ex, uint32_t n,
		     uint32_t i)
{
	static const char *const keys[] = { "expr", "sreg", "dreg", "len",
					    "modulus", "seed", "offset",
					    "type", NULL };
	struct dep seen[16], want[16];
	unsigned n_seen = 0, n_want = 0, slot = 4, nl = 0;
	struct dctx x = { c->l4, c->nf, c->eth, c->iiftype };
	const struct nftl_sel *sel[8];
	struct fctx t = *c;
	uint32_t j = i;

	while (n_seen < 16 && dep_at(ex, n, j, &seen[n_seen])) {
		dep_apply(&x, &seen[n_seen]);
		n_seen++;
		j += 2;
	}
	t.l4 = x.l4, t.nf = x.nf, t.eth = x.eth;
	for (; j < n && nl < 8; j++) {
		bool prefix;
		int64_t dreg;
		const struct nftl_sel *s;

		if (!is_expr(&ex[j], "payload") && !is_expr(&ex[j], "meta") &&
		    !is_expr(&ex[j], "ct"))
			break;
		s = sel_of(&t, &ex[j], &prefix);
		if (!s || prefix || !int_of(&ex[j], "dreg", &dreg) ||
		    dreg != (slot % 4 == 0 ? 1 + slot / 4 : 8 + slot))
			break;
		sel[nl++] = s;
		slot += (s->len + 3u) / 4;
	}
	const struct linx_value *h = j < n ? &ex[j] : NULL;
	const char *type = h ? str_of(h, "type") : NULL;
	int64_t sreg = 0, len = 0;
	if (nl == 0 || slot > 16 || !is_expr(h, "hash") || !type ||
	    !streq(type, "jhash") || !only_keys(h, keys) ||
	    !int_of(h, "sreg", &sreg) || sreg != 2 || !int_of(h, "len", &len) ||
	    len != (nl == 1 ? sel[0]->len : (slot - 4) * 4))
		return 0;
	struct dctx y = { c->l4, c->nf, c->eth, c->iiftype };
	for (unsigned k = 0; k < nl; k++)
		if (!deps_of(c, &y, sel[k], want, &n_want))
			return 0;
	if (n_want != n_seen)
		return 0;
	for (unsigned k = 0; k < n_seen; k++)
		if (!streq(want[k].key, seen[k].key) ||
		    want[k].len != seen[k].len ||
		    memcmp(want[k].b, seen[k].b, want[k].len))
			return 0;

	struct sbuf b = { 0 };
	nftl_sb_puts(&b, "jhash ");
	for (unsigned k = 0; k < nl; k++) {
		if (k)
			nftl_sb_puts(&b, " . ");
		sel_name(&b, sel[k]);
	}
	if (!gen_mod_text(c, &b, h, true)) {
		free(b.p);
		return 0;
	}
	c->l4 = y.l4, c->nf = y.nf, c->eth = y.eth, c->iiftype = y.iiftype;
	int rc = gen_match(c, ex, n, j, &b);
	return rc < 0 ? rc : rc + (int)(j - i);
}

/*
 * `add|update|delete @set { KEY [timeout T] [STATEFUL ...] [: DATA] }` at
 * ex[i]: the dependencies and loads the parser's load_key() makes, a
 * meta or ct load of the data into the register after the key's, then
 * the dynset. Returns how many expressions it wrote, or 0 when ex[i]
 * does not start one the parser would give back exactly.
 */
static bool type_is(const struct linx_value *t, const struct nftl_sel *s)
{
	const char *name = nftl_dtype_settype(s->dtype, s->len);

	return name && t->type == LINX_STRING && strcmp(t->str, name) == 0;
}

/* Whether a dynset with its set inline is what the parser makes of
 * `meter NAME [size N] { KEY [timeout T] STATEFUL }` (set_stmt()). */
static bool meter_ok(const struct linx_value *m, const struct linx_value *inl,
		     const struct nftl_sel *const *sel, unsigned nl)
{
	static const char *const known[] = { "name", "key_type", "flags",
					     "size", NULL };
	const struct linx_value *kt = linx_map_get(inl, "key_type");
	const struct linx_value *f = linx_map_get(inl, "flags");
	const struct linx_value *xs = linx_map_get(m, "exprs");
	int64_t to = 0, size;

	for (uint32_t i = 0; i < inl->len; i++)
		if (!one_of(inl->pairs[i].key, known))
			return false;
	if (linx_map_get(inl, "size") && !uint_of(inl, "size", UINT32_MAX, &size))
		return false;
	if (!xs || xs->type != LINX_LIST || xs->len != 1)
		return false;
	if (linx_map_get(m, "timeout") && !uint_of(m, "timeout", INT64_MAX, &to))
		return false;
	if (strcmp(str_of(m, "op"), to > 0 ? "update" : "add") != 0)
		return false;
	/* flags: [timeout,] dynamic, as set_stmt() writes them */
	if (!f || f->type != LINX_LIST || f->len != (to > 0 ? 2u : 1u))
		return false;
	for (uint32_t i = 0; i < f->len; i++)
		if (f->items[i].type != LINX_STRING ||
		    strcmp(f->items[i].str,
			   i + 1 < f->len ? "timeout" : "dynamic") != 0)
			return false;
	/* the key's types: one name, or a list for a concatenation */
	if (!kt)
		return false;
	if (nl == 1)
		return type_is(kt, sel[0]);
	if (kt->type != LINX_LIST || kt->len != nl)
		return false;
	for (unsigned i = 0; i < nl; i++)
		if (!type_is(&kt->items[i], sel[i]))
			return false;
	return true;
}

static int fmt_dynset(struct fctx *c, const struct linx_value *ex, uint32_t n,
		      uint32_t i)
{
	struct dep seen[16], want[16];
	unsigned n_seen = 0, n_want = 0, slot = 0, nl = 0;
	struct dctx x = { c->l4, c->nf, c->eth, c->iiftype };
	const struct nftl_sel *sel[8], *dsel = NULL;
	struct fctx t = *c;
	uint32_t j = i;
	bool prefix;
	int64_t dreg, v;

	while (n_seen < 16 && dep_at(ex, n, j, &seen[n_seen])) {
		dep_apply(&x, &seen[n_seen]);
		n_seen++;
		j += 2;
	}
	t.l4 = x.l4, t.nf = x.nf, t.eth = x.eth;
	for (; j < n && nl < 8; j++) {
		const struct nftl_sel *s;

		if (!is_expr(&ex[j], "payload") && !is_expr(&ex[j], "meta") &&
		    !is_expr(&ex[j], "ct"))
			break;
		s = sel_of(&t, &ex[j], &prefix);
		if (!s || prefix || !concat_sel_ok(s) ||
		    !int_of(&ex[j], "dreg", &dreg) ||
		    dreg != (slot % 4 == 0 ? 1 + slot / 4 : 8 + slot))
			break;
		sel[nl++] = s;
		slot += (s->len + 3u) / 4;
	}
	if (nl == 0 || slot > 16 || j >= n)
		return 0;
	/* the data: a meta or ct load into the register after the key */
	unsigned dr = 1 + (slot + 3) / 4;
	if ((is_expr(&ex[j], "meta") || is_expr(&ex[j], "ct")) &&
	    int_of(&ex[j], "dreg", &dreg) && dreg == (int64_t)dr) {
		dsel = sel_of(&t, &ex[j], &prefix);
		if (!dsel || !nftl_dtype_settype(dsel->dtype, dsel->len))
			return 0;
		j++;
	} else if (nl > 1 && sel[nl - 1]->kind != SEL_PAYLOAD &&
		   j < n && is_expr(&ex[j], "dynset")) {
		/* KEY : DATA where the data's register follows the key's
		 * slots: read the last load as the data */
		unsigned ks = slot - (sel[nl - 1]->len + 3u) / 4;
		int64_t r = -1;
		int_of(&ex[j - 1], "dreg", &r);
		if (r == (int64_t)(1 + (ks + 3) / 4) &&
		    int_of(&ex[j], "sreg_data", &v) && v == r) {
			dsel = sel[--nl];
			slot = ks;
		}
	}
	if (j >= n || !is_expr(&ex[j], "dynset"))
		return 0;
	const struct linx_value *m = &ex[j];
	const struct linx_value *inl = linx_map_get(m, "set");
	bool meter = inl && inl->type == LINX_MAP;
	const char *op = str_of(m, "op");
	const char *set = meter ? str_of(inl, "name") : str_of(m, "set");
	if (!op || (strcmp(op, "add") && strcmp(op, "update") &&
		    strcmp(op, "delete")))
		return 0;
	if (meter && (dsel || !meter_ok(m, inl, sel, nl)))
		return 0;
	if (!int_of(m, "sreg_key", &v) || v != 1 || linx_map_get(m, "set_id"))
		return 0;
	if (dsel ? !int_of(m, "sreg_data", &v) || v != (int64_t)(1 + (slot + 3) / 4)
		 : linx_map_get(m, "sreg_data") != NULL)
		return 0;
	if (!set || !set[0] || !word_rest(set))
		return 0;
	const struct linx_value *f = linx_map_get(m, "flags");
	for (uint32_t k = 0; f && k < f->len; k++)
		if (f->type != LINX_LIST || f->items[k].type != LINX_STRING ||
		    strcmp(f->items[k].str, "expr"))
			return 0;
	/* the parser would have put exactly these dependencies */
	struct dctx y = { c->l4, c->nf, c->eth, c->iiftype };
	for (unsigned k = 0; k < nl; k++)
		if (!deps_of(c, &y, sel[k], want, &n_want))
			return 0;
	if (n_want != n_seen)
		return 0;
	for (unsigned k = 0; k < n_seen; k++)
		if (!streq(want[k].key, seen[k].key) ||
		    want[k].len != seen[k].len ||
		    memcmp(want[k].b, seen[k].b, want[k].len))
			return 0;

	struct sbuf b = { 0 };
	int64_t size;
	if (!meter)
		nftl_sb_printf(&b, "%s @%s { ", op, set);
	else if (uint_of(inl, "size", UINT32_MAX, &size))
		nftl_sb_printf(&b, "meter %s size %" PRId64 " { ", set, size);
	else
		nftl_sb_printf(&b, "meter %s { ", set);
	for (unsigned k = 0; k < nl; k++) {
		if (k)
			nftl_sb_puts(&b, " . ");
		sel_name(&b, sel[k]);
	}
	int64_t to = 0;
	if (linx_map_get(m, "timeout") && !uint_of(m, "timeout", INT64_MAX, &to))
		goto bad;
	if (to > 0) {
		nftl_sb_puts(&b, " timeout ");
		put_time(&b, (uint64_t)to);
	}
	const struct linx_value *xs = linx_map_get(m, "exprs");
	if (xs && (xs->type != LINX_LIST || xs->len > 2))
		goto bad;
	if (xs && stateful_text(&b, xs, true) < 0)
		goto bad;
	if (dsel) {
		nftl_sb_puts(&b, " : ");
		sel_name(&b, dsel);
	}
	nftl_sb_puts(&b, " }");
	if (b.oom)
		goto bad;
	word(c, b.p);
	free(b.p);
	c->l4 = y.l4, c->nf = y.nf, c->eth = y.eth, c->iiftype = y.iiftype;
	return (int)(j + 1 - i);
bad:
	free(b.p);
	return 0;
}

/*
 * exthdr and rt at exprs[i]: `tcp option NAME exists|missing`, the MSS
 * clamp `tcp option maxseg size set rt mtu` (rt tcpmss, hton, the write),
 * or a match of a TCP option field or an rt key (fmt_match).
 */
static int fmt_tcpopt_rt(struct fctx *c, const struct linx_value *ex,
			 uint32_t n, uint32_t i)
{
	const struct linx_value *e = &ex[i];
	const struct linx_value *f = linx_map_get(e, "flags");
	const char *key = str_of(e, "key");
	int64_t dreg = -1, type, off, len;

	int_of(e, "dreg", &dreg);
	if (is_expr(e, "rt") && key && streq(key, "tcpmss") && dreg == 1 &&
	    i + 2 < n && is_expr(&ex[i + 1], "byteorder") &&
	    hton_of(&ex[i + 1], nftl_sel_find("rt", "mtu")) &&
	    is_expr(&ex[i + 2], "exthdr") && sreg1(&ex[i + 2])) {
		const struct nftl_sel *t = tcpopt_sel(c, &ex[i + 2]);
		if (!t || t->len != 2 || strncmp(t->proto, "tcp ", 4) != 0)
			return unsupported(c, &ex[i + 2], "a write of rt mtu");
		wordf(c, "%s %s set rt mtu", t->proto, t->field);
		return 3;
	}
	if (is_expr(e, "exthdr") && linx_map_get(e, "sreg"))
		return unsupported(c, e, "an option write of this value");
	if (is_expr(e, "exthdr") && f && f->type == LINX_LIST && f->len == 1 &&
	    f->items[0].type == LINX_STRING &&
	    streq(f->items[0].str, "present")) {
		const char *op = str_of(e, "op");
		const struct linx_value *d =
			i + 1 < n && is_expr(&ex[i + 1], "cmp") &&
					sreg1(&ex[i + 1])
				? bytes_of(&ex[i + 1], "data")
				: NULL;
		const char *cop = d ? str_of(&ex[i + 1], "op") : NULL;
		bool sctp = op && streq(op, "sctp");
		if (!op || !(sctp || streq(op, "tcpopt")) || dreg != 1 ||
		    !int_of(e, "type", &type) || !int_of(e, "offset", &off) ||
		    !int_of(e, "len", &len) || type < 0 || type > 255 ||
		    off != 0 || len != 1 || !d || d->len != 1 ||
		    d->bytes[0] > 1 || !cop || !streq(cop, "eq"))
			return unsupported(c, e, "an option test");
		const char *name = sctp ? nftl_sctp_chunk_name((unsigned)type)
					: nftl_tcpopt_name((unsigned)type);
		/* nft has no syntax for a chunk by number */
		if (sctp && !name)
			return unsupported(c, e, "a test of an unnamed SCTP "
						 "chunk");
		if (sctp)
			wordf(c, "sctp chunk %s %s", name,
			      d->bytes[0] ? "exists" : "missing");
		else if (name)
			wordf(c, "tcp option %s %s", name,
			      d->bytes[0] ? "exists" : "missing");
		else
			wordf(c, "tcp option %u %s", (unsigned)type,
			      d->bytes[0] ? "exists" : "missing");
		return 2;
	}
	return fmt_match(c, ex, n, i);
}

/*
 * `exthdr NAME exists|missing` or `ip option NAME exists|missing` at
 * exprs[i]: an exthdr ipv6 or ipv4 load with the `present` flag (one
 * byte at offset 0, as the parser writes it) and a cmp eq 1 or 0, in a
 * rule known to be of that IP version.
 */
static int fmt_exthdr_ip_test(struct fctx *c, const struct linx_value *ex,
			      uint32_t n, uint32_t i)
{
	static const char *const keys[] = { "expr", "dreg", "type", "offset",
					    "len", "op", "flags", NULL };
	const struct linx_value *e = &ex[i];
	const struct linx_value *d = i + 1 < n && is_expr(&ex[i + 1], "cmp") &&
					     sreg1(&ex[i + 1])
					     ? bytes_of(&ex[i + 1], "data")
					     : NULL;
	const char *cop = d ? str_of(&ex[i + 1], "op") : NULL;
	const char *name = NULL;
	bool v6 = exthdr_ip(e) == 6;
	int64_t dreg, type, off, len;

	if (only_keys(e, keys) && int_of(e, "dreg", &dreg) && dreg == 1 &&
	    uint_of(e, "type", 255, &type))
		name = v6 ? nftl_exthdr6_name((unsigned)type)
			  : nftl_ipopt_name((unsigned)type);
	if (!name || !int_of(e, "offset", &off) || off != 0 ||
	    !int_of(e, "len", &len) || len != 1 || !d || d->len != 1 ||
	    d->bytes[0] > 1 || !cop || !streq(cop, "eq"))
		return unsupported(c, e, v6 ? "an extension header test"
					    : "an IPv4 option test");
	if (!ip_known(c, v6))
		return unsupported(c, e, v6 ? "an extension header test "
					      "outside IPv6"
					    : "an IPv4 option test outside "
					      "IPv4");
	wordf(c, "%s %s %s", v6 ? "exthdr" : "ip option", name,
	      d->bytes[0] ? "exists" : "missing");
	return 2;
}

/*
 * The selector whose write (nftl_write_layout()) is `wr`, in context:
 * the same bytes, the same mask for a masked one, the same checksum
 * attributes.  NULL for a write the parser would not give back.
 */
static const struct nftl_sel *write_sel(const struct fctx *c,
					const struct linx_value *wr,
					bool masked, uint64_t mask,
					struct nftl_write *w)
{
	static const char *const keys[] = { "expr", "sreg", "base", "offset",
					    "len", "csum_type", "csum_offset",
					    "csum_flags", NULL };
	static const char *const csums[] = { "none", "inet", "sctp" };
	const char *base = str_of(wr, "base"), *ct = str_of(wr, "csum_type");
	const struct linx_value *f = linx_map_get(wr, "csum_flags");
	int64_t off, len, coff;
	unsigned b;

	if (!base || !ct || !f || f->type != LINX_LIST || f->len > 1 ||
	    !only_keys(wr, keys) || !sreg1(wr) ||
	    !int_of(wr, "offset", &off) || !int_of(wr, "len", &len) ||
	    !int_of(wr, "csum_offset", &coff))
		return NULL;
	bool pseudo = f->len == 1;
	if (pseudo && (f->items[0].type != LINX_STRING ||
		       !streq(f->items[0].str, "pseudohdr")))
		return NULL;
	const char *proto = ctx_proto(c, base, off, len, &b);
	/* then th, which nft writes with no checksum whatever the
	 * protocol (`meta l4proto udp th dport set 53`) */
	for (int pass = 0; pass < 2 && proto; pass++) {
		for (size_t k = 0; k < nftl_n_sels; k++) {
			const struct nftl_sel *s = &nftl_sels[k];
			if (s->kind != SEL_PAYLOAD || s->base != b ||
			    !streq(s->proto, proto) || !nftl_write_layout(s, w))
				continue;
			if (w->offset == off && w->len == len &&
			    w->masked == masked &&
			    (!masked || w->mask == mask) &&
			    streq(csums[w->csum_type], ct) &&
			    w->csum_offset == coff && w->pseudohdr == pseudo)
				return s;
		}
		proto = b == 2 && !streq(proto, "th") ? "th" : NULL;
	}
	return NULL;
}

/* The raw base (ll, nh, th) of a payload write with no checksum, and its
 * offset and length in bytes: the only writes nft lists raw.  NULL for
 * any other. */
static const char *raw_write_base(const struct linx_value *wr, int64_t *off,
				  int64_t *len)
{
	static const char *const keys[] = { "expr", "sreg", "base", "offset",
					    "len", "csum_type", "csum_offset",
					    "csum_flags", NULL };
	const struct linx_value *f = linx_map_get(wr, "csum_flags");
	const char *ct = str_of(wr, "csum_type"), *base = str_of(wr, "base");
	int64_t coff;

	if (!only_keys(wr, keys) || !sreg1(wr) || !ct || !streq(ct, "none") ||
	    !int_of(wr, "csum_offset", &coff) || coff != 0 || !f ||
	    f->type != LINX_LIST || f->len || !base ||
	    !uint_of(wr, "offset", 255, off) || !uint_of(wr, "len", 16, len) ||
	    *len == 0)
		return NULL;
	return streq(base, "link")	   ? "ll"
	       : streq(base, "network")   ? "nh"
	       : streq(base, "transport") ? "th"
					  : NULL;
}

/* A write of whole bytes with no checksum no field of its context is:
 * nft lists it raw, `@nh,8,8 set 0x4`. */
static const struct nftl_sel *raw_write_sel(struct fctx *c,
					    const struct linx_value *wr)
{
	const struct nftl_sel *s = NULL;
	const char *base;
	int64_t off, len;
	char why[160];

	base = raw_write_base(wr, &off, &len);
	if (!base || !nftl_raw_sel(base, (uint64_t)off * 8, (uint64_t)len * 8,
				   &c->raw, &s, why, sizeof(why)) ||
	    s->proto[0] != '@')
		return NULL;
	return s;
}

/*
 * The raw bit field a masked write with no checksum puts its value in
 * (`@th,4,12 set 0x123`): the bits the mask clears, one run of them,
 * and only if the parser would write that field with this very layout.
 */
static const struct nftl_sel *raw_bits_write_sel(struct fctx *c,
						 const struct linx_value *wr,
						 uint64_t mask,
						 struct nftl_write *w)
{
	const struct nftl_sel *s = NULL;
	const char *base;
	int64_t off, len;
	char why[160];

	base = raw_write_base(wr, &off, &len);
	if (!base || len > 8)
		return NULL;
	unsigned width = 8u * (unsigned)len, sh = 0, bits = 0;
	uint64_t clear = ~mask & (width == 64 ? ~0ull : (1ull << width) - 1);
	if (!clear)
		return NULL;
	while (!(clear >> sh & 1))
		sh++;
	while (sh + bits < width && (clear >> (sh + bits) & 1))
		bits++;
	if (sh + bits < 64 && clear >> (sh + bits) != 0)
		return NULL; /* more than one run */
	uint64_t bitoff = 8u * (uint64_t)off + width - sh - bits;
	if (!nftl_raw_sel(base, bitoff, bits, &c->raw, &s, why, sizeof(why)) ||
	    s->proto[0] != '@' || !nftl_write_layout(s, w) || !w->masked ||
	    w->offset != off || w->len != len || w->mask != mask ||
	    w->csum_type)
		return NULL;
	return s;
}

/* PROTO FIELD set VALUE: the value `v` (big-endian, the field's own
 * bytes, shifted down) as the selector's type prints it. */
static int set_text(struct fctx *c, const struct nftl_sel *s,
		    const uint8_t *v)
{
	struct sbuf b = { 0 };

	sel_name(&b, s);
	nftl_sb_puts(&b, " set ");
	value_text(&b, s->dtype, v, s->len, -1);
	if (b.oom) {
		free(b.p);
		return unsupported(c, NULL, "out of memory");
	}
	word(c, b.p);
	free(b.p);
	return 0;
}

/*
 * A payload write at exprs[i]: an immediate and the write of a whole
 * field, or the load, the bitwise keeping the other bits and the write
 * of a bit field (or of one byte under a checksum).  0: not one.
 */
static int fmt_payload_set(struct fctx *c, const struct linx_value *ex,
			   uint32_t n, uint32_t i)
{
	const struct linx_value *e = &ex[i];
	const struct nftl_sel *s;
	struct nftl_write w;
	int64_t dreg = -1, off, len;

	if (is_expr(e, "immediate") && i + 1 < n &&
	    is_expr(&ex[i + 1], "payload") &&
	    !linx_map_get(&ex[i + 1], "dreg")) {
		const struct linx_value *d = bytes_of(e, "data");
		if (!int_of(e, "dreg", &dreg) || dreg != 1 || !d)
			return 0;
		s = write_sel(c, &ex[i + 1], false, 0, &w);
		if (!s)
			s = raw_write_sel(c, &ex[i + 1]);
		if (!s || d->len != s->len)
			return unsupported(c, &ex[i + 1], "a payload write "
							  "nft writes otherwise");
		return set_text(c, s, d->bytes) < 0 ? -1 : 2;
	}
	if (!is_expr(e, "payload") || i + 2 >= n ||
	    !is_expr(&ex[i + 1], "bitwise") || !is_expr(&ex[i + 2], "payload") ||
	    linx_map_get(&ex[i + 2], "dreg"))
		return 0;
	const struct linx_value *bw = &ex[i + 1];
	const struct linx_value *m = bytes_of(bw, "mask"), *x = bytes_of(bw, "xor");
	const char *op = str_of(bw, "op");
	int64_t bd = -1, woff, wlen;
	if (!int_of(e, "dreg", &dreg) || dreg != 1 || !sreg1(bw) ||
	    !int_of(bw, "dreg", &bd) || bd != 1 || (op && !streq(op, "bool")) ||
	    !int_of(e, "offset", &off) || !int_of(e, "len", &len) ||
	    !int_of(&ex[i + 2], "offset", &woff) ||
	    !int_of(&ex[i + 2], "len", &wlen) || woff != off || wlen != len ||
	    !str_of(e, "base") || !str_of(&ex[i + 2], "base") ||
	    !str_is(str_of(e, "base"), str_of(&ex[i + 2], "base")) || !m ||
	    !x || m->len != len || x->len != len || len > 8)
		return 0;
	uint64_t keep = nftl_get_uint(m->bytes, m->len, false);
	s = write_sel(c, &ex[i + 2], true, keep, &w);
	if (!s)
		s = raw_bits_write_sel(c, &ex[i + 2], keep, &w);
	uint64_t v = nftl_get_uint(x->bytes, x->len, false);
	if (!s || (v & w.mask))
		return unsupported(c, &ex[i + 2], "a payload write nft "
						  "writes otherwise");
	uint8_t b[8];
	v >>= w.shift;
	for (unsigned k = 0; k < s->len; k++)
		b[k] = (uint8_t)(v >> (8 * (s->len - 1 - k)));
	return set_text(c, s, b) < 0 ? -1 : 3;
}

/* Whether the transport header load at exprs[j] is a field of
 * protocol `l4`, which the l4proto match before it is the dependency of;
 * a raw load (`meta l4proto udp @th,96,32 0x2112a442`) has none. */
/* Whether ex[j] loads a transport field that a map turns into the port
 * of the masquerade or redirect after it (`meta l4proto tcp redirect to
 * :tcp dport map { ... }`): nft wants the protocol matched before such
 * a statement, so the match stays written. */
static bool port_map_next(const struct linx_value *ex, uint32_t n, uint32_t j)
{
	int64_t dreg = 0;

	return j + 2 < n && is_expr(&ex[j], "payload") &&
	       (is_expr(&ex[j + 1], "lookup") ||
		is_expr(&ex[j + 1], "set_literal")) &&
	       int_of(&ex[j + 1], "dreg", &dreg) && dreg >= 1 &&
	       (is_expr(&ex[j + 2], "masq") || is_expr(&ex[j + 2], "redir"));
}

/* Whether `wr` is a transport write that protocol `l4` would make with
 * its checksum: not th's, which nft makes with none whatever the
 * protocol (`meta l4proto udp th dport set 53` keeps its match). */
static bool l4_write(const struct fctx *c, const struct linx_value *wr, int l4)
{
	struct fctx t = *c;
	struct nftl_write w;
	const struct nftl_sel *s;

	if (!is_expr(wr, "payload") || linx_map_get(wr, "dreg"))
		return true;
	t.l4 = l4;
	s = write_sel(&t, wr, false, 0, &w);
	return !s || !streq(s->proto, "th");
}

static bool l4_field_next(struct fctx *c, const struct linx_value *ex,
			  uint32_t n, uint32_t j, int l4)
{
	const struct nftl_sel *s;
	int save = c->l4;
	bool prefix;

	/* a write, or the value (an immediate, a field) of the one after */
	if (!is_expr(&ex[j], "payload") || !linx_map_get(&ex[j], "dreg"))
		return l4_write(c, &ex[j], l4) &&
		       (j + 1 >= n || l4_write(c, &ex[j + 1], l4));
	if (j + 1 < n && !l4_write(c, &ex[j + 1], l4))
		return false;
	c->l4 = l4;
	s = field_sel(c, ex, n, j);
	if (!s)
		s = sel_of(c, &ex[j], &prefix);
	c->l4 = save;
	return s && s->proto[0] != '@';
}

static int fmt_stmt(struct fctx *c, const struct linx_value *ex, uint32_t n,
		    uint32_t i)
{
	const struct linx_value *e = &ex[i];
	const char *kind;
	struct sbuf b = { 0 };
	int64_t x;

	if (e->type == LINX_STRING || (e->type == LINX_MAP && !str_of(e, "expr"))) {
		if (verdict_text(&b, e) < 0) {
			free(b.p);
			return unsupported(c, e, "not a verdict");
		}
		c->term = true;
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (e->type != LINX_MAP)
		return unsupported(c, e, "not a map");
	kind = str_of(e, "expr");
	if (streq(kind, "immediate")) {
		int64_t dreg;
		const struct linx_value *v = linx_map_get(e, "verdict");
		const struct linx_value *d = bytes_of(e, "data");
		if (!int_of(e, "dreg", &dreg))
			return unsupported(c, e, "dreg");
		if (dreg == 0 && v) {
			if (verdict_text(&b, v) < 0) {
				free(b.p);
				return unsupported(c, e, "verdict");
			}
			c->term = true;
			word(c, b.p);
			free(b.p);
			return 1;
		}
		if (!d || dreg < 1 || dreg > 23)
			return unsupported(c, e, "data");
		/* meta/ct KEY set VALUE */
		if (dreg == 1 && i + 1 < n &&
		    (is_expr(&ex[i + 1], "meta") || is_expr(&ex[i + 1], "ct")) &&
		    sreg1(&ex[i + 1])) {
			const struct nftl_sel *t = set_target(&ex[i + 1]);
			int label = t && t->dtype == DT_CTLABEL &&
						    d->len == t->len
					    ? label_of(d->bytes, d->len)
					    : -1;
			if (t && (t->dtype == DT_MARK || t->dtype == DT_HINT ||
				  t->dtype == DT_CTEVENT ||
				  t->dtype == DT_CLASSID ||
				  t->dtype == DT_PKTTYPE || label >= 0) &&
			    d->len == t->len) {
				nftl_sb_printf(&b, "%s %s set ", t->proto, t->field);
				if (label >= 0) {
					nftl_sb_printf(&b, "%d", label);
				} else if (t->dtype == DT_CTEVENT) {
					uint64_t m = nftl_get_uint(d->bytes, d->len, true);
					if (m)
						bitmask_text(&b, t->dtype, m);
					else
						nftl_sb_puts(&b, "0");
				} else
					value_text(&b, t->dtype, d->bytes, d->len, -1);
				word(c, b.p);
				free(b.p);
				return 2;
			}
		}
		int pw = fmt_payload_set(c, ex, n, i);
		if (pw != 0)
			return pw;
		/* tcp option NAME FIELD set VALUE */
		const struct nftl_sel *t;
		if (dreg == 1 && i + 1 < n && is_expr(&ex[i + 1], "exthdr") &&
		    sreg1(&ex[i + 1]) && (t = tcpopt_sel(c, &ex[i + 1])) &&
		    strncmp(t->proto, "tcp ", 4) == 0 && d->len == t->len &&
		    t->len != 1) {
			/* (1-byte writes: the parser refuses them, as the
			 * kernel does) */
			nftl_sb_printf(&b, "%s %s set ", t->proto, t->field);
			value_text(&b, t->dtype, d->bytes, d->len, -1);
			word(c, b.p);
			free(b.p);
			return 2;
		}
		c->reg[dreg] = d;
		return 1;
	}
	if (exthdr_ip(e) && linx_map_get(e, "flags") &&
	    linx_map_get(e, "flags")->type == LINX_LIST &&
	    linx_map_get(e, "flags")->len)
		return fmt_exthdr_ip_test(c, ex, n, i);
	if (streq(kind, "exthdr") || streq(kind, "rt"))
		return fmt_tcpopt_rt(c, ex, n, i);
	if (streq(kind, "counter")) {
		int64_t pk, by;
		if (uint_of(e, "packets", INT64_MAX, &pk) &&
		    uint_of(e, "bytes", INT64_MAX, &by))
			wordf(c, "counter packets %" PRId64 " bytes %" PRId64, pk, by);
		else
			word(c, "counter");
		return 1;
	}
	if (streq(kind, "notrack")) {
		word(c, "notrack");
		return 1;
	}
	if (streq(kind, "flow_offload")) {
		/* nft 1.0.6 lists `flow offload @ft` as this too */
		const char *ft = str_of(e, "flowtable");
		if (!ft || !ft[0] || !word_rest(ft))
			return unsupported(c, e, "flowtable"); /* @ft unquoted */
		wordf(c, "flow add @%s", ft);
		return 1;
	}
	if (streq(kind, "connlimit")) {
		const struct linx_value *cf = linx_map_get(e, "flags");
		if (!uint_of(e, "count", UINT32_MAX, &x) ||
		    (cf && (cf->type != LINX_LIST || cf->len > 1 ||
			    (cf->len == 1 && !has_inv(e)))))
			return unsupported(c, e, "count or flags");
		wordf(c, "ct count %s%" PRId64, has_inv(e) ? "over " : "", x);
		return 1;
	}
	if (streq(kind, "log")) {
		const char *s;
		const struct linx_value *f = linx_map_get(e, "flags");
		nftl_sb_puts(&b, "log");
		static const char *const lv[] = { "emerg", "alert", "crit",
						  "err", "warn", "notice",
						  "info", "debug", "audit",
						  NULL };
		if ((str_of(e, "prefix") && strlen(str_of(e, "prefix")) > 127) ||
		    (str_of(e, "level") && !one_of(str_of(e, "level"), lv))) {
			free(b.p);
			return unsupported(c, e, "prefix or level");
		}
		if ((s = str_of(e, "prefix"))) {
			nftl_sb_puts(&b, " prefix ");
			nftl_sb_quote(&b, s);
		}
		if ((s = str_of(e, "level")))
			nftl_sb_printf(&b, " level %s", s);
		if ((linx_map_get(e, "group") && !uint_of(e, "group", 65535, &x)) ||
		    (linx_map_get(e, "snaplen") &&
		     !uint_of(e, "snaplen", UINT32_MAX, &x)) ||
		    (linx_map_get(e, "qthreshold") &&
		     !uint_of(e, "qthreshold", 65535, &x))) {
			free(b.p);
			return unsupported(c, e, "group, snaplen or threshold");
		}
		if (int_of(e, "group", &x))
			nftl_sb_printf(&b, " group %" PRId64, x);
		if (int_of(e, "snaplen", &x))
			nftl_sb_printf(&b, " snaplen %" PRId64, x);
		if (int_of(e, "qthreshold", &x))
			nftl_sb_printf(&b, " queue-threshold %" PRId64, x);
		for (uint32_t k = 0; f && f->type == LINX_LIST && k < f->len; k++) {
			const char *fl = f->items[k].type == LINX_STRING ? f->items[k].str : "";
			const char *t = streq(fl, "tcp_seq") ? "tcp sequence"
				: streq(fl, "tcp_opt") ? "tcp options"
				: streq(fl, "ip_opt") ? "ip options"
				: streq(fl, "uid") ? "skuid"
				: streq(fl, "macdecode") ? "ether" : NULL;
			if (!t) {
				free(b.p);
				return unsupported(c, e, "flags");
			}
			nftl_sb_printf(&b, " flags %s", t);
		}
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (streq(kind, "limit")) {
		nftl_sb_puts(&b, "limit ");
		if (fmt_limit(&b, e) < 0) {
			free(b.p);
			return unsupported(c, e, "rate");
		}
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (streq(kind, "quota")) {
		int64_t by, used = 0;
		if (!uint_of(e, "bytes", INT64_MAX, &by) ||
		    (linx_map_get(e, "consumed") &&
		     !uint_of(e, "consumed", INT64_MAX, &used)))
			return unsupported(c, e, "bytes");
		nftl_sb_printf(&b, "quota %s%" PRId64 " bytes", has_inv(e) ? "over " : "",
			  by);
		if (used > 0)
			nftl_sb_printf(&b, " used %" PRId64 " bytes", used);
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (streq(kind, "objref")) {
		const char *t = str_of(e, "type"), *nm = str_of(e, "name");
		const char *words = t ? nftl_objref_words(t) : NULL;
		if (nm && words) {
			nftl_sb_printf(&b, "%s ", words);
			nftl_sb_quote(&b, nm);
			word(c, b.p);
			free(b.p);
			return 1;
		}
		if (!t || !nm || (strcmp(t, "counter") && strcmp(t, "quota") &&
				  strcmp(t, "limit")))
			return unsupported(c, e, "type");
		nftl_sb_printf(&b, "%s name ", t);
		nftl_sb_quote(&b, nm);
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (streq(kind, "fib"))
		return fmt_fib(c, ex, n, i);
	if (streq(kind, "numgen") || streq(kind, "hash"))
		return fmt_gen(c, ex, n, i);
	if (streq(kind, "nat") || streq(kind, "masq") ||
	    streq(kind, "redir"))
		return fmt_nat(c, e);
	if (streq(kind, "tproxy"))
		return fmt_tproxy(c, e);
	if (streq(kind, "synproxy"))
		return fmt_synproxy(c, e);
	if (streq(kind, "dup") || streq(kind, "fwd"))
		return fmt_dup_fwd(c, e);
	if (streq(kind, "socket") || streq(kind, "osf") ||
	    streq(kind, "xfrm"))
		return fmt_match(c, ex, n, i);
	if (streq(kind, "reject")) {
		c->term = true;
		return fmt_reject(c, e);
	}
	if (streq(kind, "queue")) {
		int64_t num = 0, total = 1;
		const struct linx_value *f = linx_map_get(e, "flags");
		if (linx_map_get(e, "sreg_qnum"))
			return unsupported(c, e, "sreg_qnum");
		c->term = true;
		if ((linx_map_get(e, "num") && !uint_of(e, "num", 65535, &num)) ||
		    (linx_map_get(e, "total") &&
		     (!uint_of(e, "total", 65536, &total) || total < 1 ||
		      num + total - 1 > 65535)))
			return unsupported(c, e, "queue numbers");
		bool fanout = false;
		for (uint32_t k = 0; f && f->type == LINX_LIST && k < f->len; k++)
			fanout = fanout || (f->items[k].type == LINX_STRING &&
					    streq(f->items[k].str, "fanout"));
		/* nft takes a fanout to one queue only as `queue fanout`
		 * (queue 0): "fanout requires a range" otherwise */
		if (fanout && total == 1 && num != 0)
			return unsupported(c, e, "fanout to one queue");
		nftl_sb_puts(&b, "queue");
		if (!fanout || total > 1)
			nftl_sb_printf(&b, " num %" PRId64, num);
		if (total > 1)
			nftl_sb_printf(&b, "-%" PRId64, num + total - 1);
		for (uint32_t k = 0; f && f->type == LINX_LIST && k < f->len; k++) {
			static const char *const qf[] = { "bypass", "fanout",
							  NULL };
			if (f->items[k].type != LINX_STRING ||
			    !one_of(f->items[k].str, qf)) {
				free(b.p);
				return unsupported(c, e, "flags");
			}
			nftl_sb_printf(&b, " %s", f->items[k].str);
		}
		word(c, b.p);
		free(b.p);
		return 1;
	}
	if (streq(kind, "meta") || streq(kind, "ct") ||
	    streq(kind, "payload")) {
		int64_t sreg;
		if (!linx_map_get(e, "dreg") && int_of(e, "sreg", &sreg) &&
		    sreg == 1 && c->regtext[1]) {
			/* meta/ct KEY set SEL map ..., `ct original zone
			 * set ...` (set_target() reads the direction); a
			 * header field's (payload_set_from()) */
			struct nftl_write w;
			const struct nftl_sel *t =
				streq(kind, "payload")
					? write_sel(c, e, false, 0, &w)
					: set_target(e);
			if (!t || c->regpair[1] ||
			    (t->kind != SEL_PAYLOAD && !nftl_sel_map_settable(t)))
				return unsupported(c, e, "set from a map");
			nftl_sb_printf(&b, "%s %s set ", t->proto, t->field);
			nftl_sb_puts(&b, c->regtext[1]);
			free(c->regtext[1]);
			c->regtext[1] = NULL;
			c->regnamed[1] = false;
			if (b.oom) {
				free(b.p);
				return unsupported(c, e, "out of memory");
			}
			word(c, b.p);
			free(b.p);
			return 1;
		}
		int cc = fmt_payload_set(c, ex, n, i);
		if (cc != 0)
			return cc;
		cc = fmt_jhash(c, ex, n, i);
		if (cc != 0)
			return cc;
		cc = fmt_dynset(c, ex, n, i);
		if (cc > 0)
			return cc;
		cc = fmt_concat(c, ex, n, i);
		if (cc > 0)
			return cc;
		if (kind[0] == 'p' && (cc = fmt_l2(c, ex, n, i)) != 0)
			return cc;
		/* dependencies nftables adds: read them as context */
		const char *key = str_of(e, "key");
		if (key && i + 1 < n && is_expr(&ex[i + 1], "cmp") &&
		    sreg1(&ex[i + 1]) && str_of(&ex[i + 1], "op") &&
		    strcmp(str_of(&ex[i + 1], "op"), "eq") == 0 &&
		    bytes_of(&ex[i + 1], "data") && kind[0] == 'm' &&
		    i + 2 < n) {
			const struct linx_value *d = bytes_of(&ex[i + 1], "data");
			const struct linx_value *nx = &ex[i + 2];
			const char *nb = next_base(ex, n, i + 2);
			bool rej = is_expr(nx, "reject");
			/* nft's dependency of `reject with icmp|icmpv6`; an
			 * icmpx reject after it keeps the match */
			bool rej_icmp = rej && str_of(nx, "type") &&
					str_is(str_of(nx, "type"), "icmp_unreach");
			/* icmp and icmpv6 after an explicit l4proto, with no
			 * IP version known: the parser would add one */
			bool lone_icmp =
				d->len == 1 &&
				((d->bytes[0] == 1 && c->family != F_IP &&
				  c->nf != 2 && c->eth != 0x0800) ||
				 (d->bytes[0] == 58 && c->family != F_IP6 &&
				  c->nf != 10 && c->eth != 0x86dd));
			if (streq(key, "l4proto") && d->len == 1 && !lone_icmp &&
			    !port_map_next(ex, n, i + 2) &&
			    ((nb && streq(nb, "transport") &&
			      l4_field_next(c, ex, n, i + 2, d->bytes[0])) ||
			     (rej && str_of(nx, "type") &&
			      strcmp(str_of(nx, "type"), "tcp_reset") == 0 &&
			      d->bytes[0] == 6)) &&
			    c->l4 < 0) {
				c->l4 = d->bytes[0];
				return 2;
			}
			/* nfproto, l4proto, then icmp's or icmpv6's header:
			 * what nft adds for `icmp type` in an inet table */
			bool icmp_dep = false;
			if (i + 4 < n && is_expr(nx, "meta") &&
			    str_of(nx, "key") && str_is(str_of(nx, "key"), "l4proto") &&
			    is_expr(&ex[i + 3], "cmp") && sreg1(&ex[i + 3]) &&
			    str_of(&ex[i + 3], "op") &&
			    str_is(str_of(&ex[i + 3], "op"), "eq") &&
			    is_expr(&ex[i + 4], "payload") &&
			    str_of(&ex[i + 4], "base") &&
			    str_is(str_of(&ex[i + 4], "base"), "transport")) {
				const struct linx_value *l4 = bytes_of(&ex[i + 3], "data");
				icmp_dep = l4 && l4->len == 1 && d->len == 1 &&
					   ((l4->bytes[0] == 1 && d->bytes[0] == 2) ||
					    (l4->bytes[0] == 58 && d->bytes[0] == 10));
			}
			if (streq(key, "nfproto") && d->len == 1 &&
			    c->family == F_INET && c->nf < 0 &&
			    ((nb && streq(nb, "network")) || rej_icmp || icmp_dep)) {
				c->nf = d->bytes[0];
				return 2;
			}
			if (streq(key, "protocol") && d->len == 2 &&
			    (c->family == F_BRIDGE || c->family == F_NETDEV) &&
			    c->eth < 0 &&
			    ((nb && streq(nb, "network")) || rej_icmp)) {
				c->eth = d->bytes[0] << 8 | d->bytes[1];
				return 2;
			}
			/* the check an IPv6 extension header or an IPv4
			 * option further on puts first */
			int64_t dv = d->len == 1   ? d->bytes[0]
				     : d->len == 2 ? d->bytes[0] << 8 |
							     d->bytes[1]
						   : -1;
			if (((streq(key, "nfproto") && c->family == F_INET &&
			      d->len == 1 && (dv == 10 || dv == 2) &&
			      c->nf < 0) ||
			     (streq(key, "protocol") && c->family == F_NETDEV &&
			      d->len == 2 && (dv == 0x86dd || dv == 0x0800) &&
			      c->eth < 0)) &&
			    exthdr_ip_dep(ex, n, i, dv == 10 || dv == 0x86dd)) {
				if (c->family == F_INET)
					c->nf = (int)dv;
				else
					c->eth = (int)dv;
				return 2;
			}
			if (streq(key, "iiftype") && d->len == 2 &&
			    nftl_get_uint(d->bytes, 2, true) == 1 && nb &&
			    streq(nb, "link") && c->family != F_BRIDGE &&
			    !c->iiftype) {
				c->iiftype = true;
				return 2;
			}
		}
		return fmt_match(c, ex, n, i);
	}
	return unsupported(c, e, "no nft syntax for it here");
}

/* The one-value forms the encoder expands into several expressions
 * (expr.c: dnat_to / snat_to, masq and redir with a port). */
static bool is_sugar(const struct linx_value *e)
{
	const char *k = e->type == LINX_MAP ? str_of(e, "expr") : NULL;

	if (!k)
		return false;
	if (streq(k, "dnat_to") || streq(k, "snat_to"))
		return true;
	return (streq(k, "masq") || streq(k, "redir")) &&
	       (linx_map_get(e, "port") || linx_map_get(e, "port_min") ||
		linx_map_get(e, "port_max"));
}

/*
 * `ex` with every sugar form replaced by the expressions a pull would
 * give back: the encoder writes it as a rule message and the decoder
 * reads that back, so the text is what the kernel would list.  0 with
 * *ret a new list, 1 when there is no sugar (nothing to do), or -errno
 * (a sugar form the encoder refuses: left to the caller's "cannot be
 * written" comment).
 */
static int expand_sugar(int family, const struct linx_value *ex,
			struct linx_value *ret)
{
	uint32_t i;
	int r = 0;

	if (family < 0 || family >= F_UNKNOWN)
		return 1;

	for (i = 0; i < ex->len && !is_sugar(&ex->items[i]); i++)
		;
	if (i == ex->len)
		return 1;
	*ret = linx_value_list();
	for (i = 0; i < ex->len && r == 0; i++) {
		struct linx_value item;

		if (!is_sugar(&ex->items[i])) {
			linx_value_copy(&item, &ex->items[i]);
			linx_list_push(ret, &item);
			continue;
		}
		struct linx_error err = { 0 };
		struct nft_batch bt;
		struct nft_enc e = { .bt = &bt, .family = nftl_fam_nfproto(family),
				     .table = "t", .chain = "c", .err = &err };
		struct linx_value rule = linx_value_map(), one = linx_value_list();
		struct linx_value back = linx_value_nil();
		struct nft_where w;

		linx_value_copy(&item, &ex->items[i]);
		linx_list_push(&one, &item);
		linx_map_put(&rule, "exprs", &one);
		nft_batch_init(&bt);
		r = linx_value_status(&rule);
		if (r == 0)
			r = nft_rule_put(&e, &rule, 0);
		if (r == 0 && (bt.error || bt.buf.error))
			r = bt.error ? bt.error : bt.buf.error;
		if (r == 0 && bt.n != 1)
			r = -EINVAL;
		if (r == 0)
			r = nft_rule_parse(NULL,
					   (const struct nlmsghdr *)bt.buf.data,
					   &w, &back);
		const struct linx_value *got = r == 0 ? linx_map_get(&back, "exprs")
						      : NULL;
		for (uint32_t k = 0; got && k < got->len; k++) {
			linx_value_copy(&item, &got->items[k]);
			linx_list_push(ret, &item);
		}
		linx_value_clear(&back);
		linx_value_clear(&rule);
		nft_batch_fini(&bt);
	}
	if (r == 0)
		r = linx_value_status(ret);
	if (r < 0)
		linx_value_clear(ret);
	return r;
}

/* A rule's expressions `ex`, then its tag and comment, into c->out;
 * false if it cannot be written. */
static bool fmt_rule_exprs(struct fctx *c, const struct linx_value *ex,
			   const char *tag, const char *cm)
{
	struct linx_value split;
	int sr;

	c->l4 = c->nf = c->eth = -1;
	c->l4seen = false;
	c->icmp = NFTL_ICMP_ANY;
	memset(c->reg, 0, sizeof(c->reg));
	if (!ex || ex->type != LINX_LIST) {
		unsupported(c, NULL, "a rule without exprs");
		return false;
	}
	/* a load nft merged from adjacent fields, as those fields */
	sr = nftl_split_payloads(ex, c->family == F_IP	  ? "ip"
				     : c->family == F_IP6 ? "ip6"
							  : NULL,
				 &split);
	if (sr < 0) {
		unsupported(c, NULL, "out of memory");
		return false;
	}
	if (sr > 0)
		ex = &split;
	bool written = true;
	for (uint32_t i = 0; written && i < ex->len;) {
		int k = -1;
		if (c->term)
			unsupported(c, NULL, "a statement after a verdict");
		else
			k = fmt_stmt(c, ex->items, ex->len, i);
		written = k > 0;
		i += written ? (uint32_t)k : 0;
	}
	for (int r = 0; written && r < 24; r++)
		if (c->reg[r] || c->regtext[r]) {
			unsupported(c, NULL, "an unused register");
			written = false;
		}
	if (sr > 0)
		linx_value_clear(&split);
	if (!written)
		return false;
	if (tag) {
		size_t n = strlen(tag);
		bool ok = n >= 1 && n <= 64;
		for (const char *q = tag; ok && *q; q++)
			ok = isalnum((unsigned char)*q) || *q == '_' || *q == '.' ||
			     *q == '-';
		if (!ok || (cm && n + strlen(cm) + 5 > 128)) {
			unsupported(c, NULL, "a tag nft cannot hold");
			return false;
		}
	}
	if (cm && (strlen(cm) > 128 || (!tag && strncmp(cm, "tag:", 4) == 0))) {
		unsupported(c, NULL, "a comment nft cannot hold");
		return false;
	}
	if (tag || cm) {
		struct sbuf b = { 0 };
		char *txt = NULL;
		nftl_sb_puts(&b, "comment ");
		if (tag && cm) {
			size_t l = strlen(tag) + strlen(cm) + 6;
			txt = malloc(l);
			if (txt)
				snprintf(txt, l, "tag:%s %s", tag, cm);
		} else if (tag) {
			size_t l = strlen(tag) + 5;
			txt = malloc(l);
			if (txt)
				snprintf(txt, l, "tag:%s", tag);
		}
		nftl_sb_quote(&b, txt ? txt : cm ? cm : "");
		free(txt);
		word(c, b.p ? b.p : "");
		free(b.p);
	}
	if (c->out.oom)
		return false;
	return true;
}

/* A rule value into c->out; false if it cannot be written. */
static bool fmt_rule(struct fctx *c, const struct linx_value *rule)
{
	const struct linx_value *ex = linx_map_get(rule, "exprs");
	const char *tag = str_of(rule, "tag"), *cm = str_of(rule, "comment");
	struct linx_value expanded;
	bool ok;

	if (ex && ex->type == LINX_LIST &&
	    expand_sugar(c->family, ex, &expanded) == 0) {
		ok = fmt_rule_exprs(c, &expanded, tag, cm);
		linx_value_clear(&expanded);
		return ok;
	}
	return fmt_rule_exprs(c, ex, tag, cm);
}

/* ---- declarations -------------------------------------------------------- */

static void indent(struct sbuf *b, int n)
{
	for (int i = 0; i < n; i++)
		nftl_sb_puts(b, "  ");
}

/* A chain's priority (`hook` NULL: a flowtable's).  A name nft would not
 * take in this hook is written as its number, which nft takes anywhere. */
static void put_priority(struct sbuf *b, int family, const char *hook,
			 const struct linx_value *p)
{
	const char *name = p->type == LINX_STRING ? p->str : str_of(p, "name");
	int64_t i, off = 0;
	int32_t num;

	if (linx_value_get_i64(p, &i)) {
		nftl_sb_printf(b, "%" PRId64, i);
		return;
	}
	if (!name) {
		nftl_sb_puts(b, "0");
		return;
	}
	if (p->type == LINX_MAP)
		int_of(p, "offset", &off);
	if (hook && !nft_priority_fits_hook(nftl_fam_nfproto(family), name, hook) &&
	    nft_priority_num(nftl_fam_nfproto(family), name, &num)) {
		nftl_sb_printf(b, "%" PRId64, (int64_t)num + off);
		return;
	}
	nftl_sb_puts(b, name);
	if (off > 0)
		nftl_sb_printf(b, " + %" PRId64, off);
	else if (off < 0)
		nftl_sb_printf(b, " - %" PRId64, -off);
}

static void put_devices(struct sbuf *b, const struct linx_value *d)
{
	nftl_sb_puts(b, "{ ");
	for (uint32_t i = 0; i < d->len; i++) {
		if (i)
			nftl_sb_puts(b, ", ");
		if (d->items[i].type == LINX_STRING)
			nftl_sb_quote(b, d->items[i].str);
	}
	nftl_sb_puts(b, " }");
}

static void put_unsupported_line(struct sbuf *b, int ind, const char *what)
{
	indent(b, ind);
	nftl_sb_puts(b, "# <unsupported ");
	for (const char *q = what; *q; q++)
		nftl_sb_put(b, (*q == '\n' || *q == '\r') ? " " : q, 1);
	nftl_sb_puts(b, ">\n");
}

static void fmt_chain(struct sbuf *b, int family, const struct linx_value *t,
		      const struct linx_value *ch)
{
	const char *name = str_of(ch, "name");
	const char *type = str_of(ch, "type"), *hook = str_of(ch, "hook");
	const struct linx_value *prio = linx_map_get(ch, "priority");
	const struct linx_value *rules = linx_map_get(ch, "rules");
	const char *s;
	bool header = false;

	static const char *const types[] = { "filter", "nat", "route", NULL };
	static const char *const hooks[] = { "prerouting", "input", "forward",
					     "output", "postrouting",
					     "ingress", "egress", NULL };
	static const char *const pols[] = { "accept", "drop", NULL };
	const struct linx_value *dv = linx_map_get(ch, "device");
	const struct linx_value *dsv = linx_map_get(ch, "devices");

	if (!name_ok(name))
		return put_unsupported_line(b, 1, "chain without a name");
	if ((type || hook || prio) &&
	    (!one_of(type, types) || !one_of(hook, hooks) || !prio_ok(prio)))
		return put_unsupported_line(b, 1, "chain: a base chain header");
	if (str_of(ch, "policy") && !one_of(str_of(ch, "policy"), pols))
		return put_unsupported_line(b, 1, "chain: policy");
	if (dv && (dv->type != LINX_STRING || !ifname_ok(dv->str)))
		return put_unsupported_line(b, 1, "chain: device");
	for (uint32_t k = 0; dsv && k < dsv->len; k++)
		if (dsv->type != LINX_LIST || dsv->items[k].type != LINX_STRING ||
		    !ifname_ok(dsv->items[k].str))
			return put_unsupported_line(b, 1, "chain: devices");
	indent(b, 1);
	nftl_sb_puts(b, "chain ");
	put_name(b, name);
	nftl_sb_puts(b, " {\n");
	if (type && hook && prio) {
		const struct linx_value *dev = linx_map_get(ch, "device");
		const struct linx_value *devs = linx_map_get(ch, "devices");
		indent(b, 2);
		nftl_sb_printf(b, "type %s hook %s", type, hook);
		if (dev && dev->type == LINX_STRING) {
			nftl_sb_puts(b, " device ");
			nftl_sb_quote(b, dev->str);
		} else if (devs && devs->type == LINX_LIST && devs->len) {
			if (devs->len == 1 && devs->items[0].type == LINX_STRING) {
				nftl_sb_puts(b, " device ");
				nftl_sb_quote(b, devs->items[0].str);
			} else {
				nftl_sb_puts(b, " devices = ");
				put_devices(b, devs);
			}
		}
		nftl_sb_puts(b, " priority ");
		put_priority(b, family, hook, prio);
		nftl_sb_puts(b, "\n");
		header = true;
		if ((s = str_of(ch, "policy"))) {
			indent(b, 2);
			nftl_sb_printf(b, "policy %s\n", s);
		}
	}
	const struct linx_value *fl = linx_map_get(ch, "flags");
	if (fl && fl->type == LINX_LIST && fl->len) {
		indent(b, 2);
		nftl_sb_puts(b, "flags offload\n");
		header = true;
	}
	if ((s = str_of(ch, "comment"))) {
		indent(b, 2);
		nftl_sb_puts(b, "comment ");
		nftl_sb_quote(b, s);
		nftl_sb_puts(b, "\n");
		header = true;
	}
	if (header && rules && rules->type == LINX_LIST && rules->len)
		nftl_sb_puts(b, "\n");
	for (uint32_t i = 0; rules && rules->type == LINX_LIST && i < rules->len;
	     i++) {
		struct fctx c = { .family = family, .table = t };
		bool ok = fmt_rule(&c, &rules->items[i]);
		for (int r = 0; r < 24; r++)
			free(c.regtext[r]);
		if (ok) {
			indent(b, 2);
			nftl_sb_puts(b, c.out.p ? c.out.p : "");
			nftl_sb_puts(b, "\n");
		} else {
			char w[200];
			snprintf(w, sizeof(w), "expression: %s",
				 c.bad ? c.why : "unknown");
			put_unsupported_line(b, 2, w);
		}
		free(c.out.p);
	}
	indent(b, 1);
	nftl_sb_puts(b, "}\n");
}

static const char *type_text(const struct linx_value *t, char *buf, size_t n)
{
	if (t && t->type == LINX_STRING)
		return t->str;
	if (t && t->type == LINX_LIST && t->len) {
		size_t off = 0;
		buf[0] = 0;
		for (uint32_t i = 0; i < t->len; i++) {
			if (t->items[i].type != LINX_STRING)
				return NULL;
			off += (size_t)snprintf(buf + off, off < n ? n - off : 0,
						"%s%s", i ? " . " : "",
						t->items[i].str);
		}
		return off < n ? buf : NULL;
	}
	return NULL;
}

/* key_typeof / data_typeof when they name selectors of the set's types
 * (`want`), as text spelled as in rules (`iifname`, as nft lists it);
 * NULL otherwise (the set prints with `type`). */
static const char *typeof_text(const struct linx_value *tv,
			       const struct linx_value *want, char *buf,
			       size_t n)
{
	const struct linx_value *c, *w;
	const struct nftl_sel *sel;
	struct nftl_raw raw;
	uint32_t k = tv && tv->type == LINX_LIST ? tv->len : 1;
	struct sbuf t = { 0 };

	if (!tv || !want || (tv->type != LINX_STRING && tv->type != LINX_LIST))
		return NULL;
	if (tv->type == LINX_STRING && streq(tv->str, "verdict"))
		return want->type == LINX_STRING && streq(want->str, "verdict")
			       ? tv->str : NULL;
	if ((tv->type == LINX_LIST) != (want->type == LINX_LIST) ||
	    (tv->type == LINX_LIST && (k < 2 || want->len != k)))
		return NULL;
	for (uint32_t i = 0; i < k; i++) {
		c = tv->type == LINX_LIST ? &tv->items[i] : tv;
		w = want->type == LINX_LIST ? &want->items[i] : want;
		if (c->type != LINX_STRING || w->type != LINX_STRING ||
		    !(sel = nftl_typeof_sel(c->str, &raw)) ||
		    !settype_is(sel->dtype, sel->len, w->str)) {
			free(t.p);
			return NULL;
		}
		if (i)
			nftl_sb_puts(&t, " . ");
		sel_name(&t, sel);
	}
	bool ok = !t.oom && t.n < n;
	if (ok) {
		memcpy(buf, t.p, t.n);
		buf[t.n] = 0;
	}
	free(t.p);
	return ok ? buf : NULL;
}

/* Whether an element list holds a string ending in '*' (a wildcard
 * interface name), in keys, concatenations or ranges. */
static bool has_wildcard(const struct linx_value *v, unsigned depth)
{
	if (depth > 4)
		return false;
	switch (v->type) {
	case LINX_STRING:
		return v->len && v->str[v->len - 1] == '*';
	case LINX_LIST:
		for (uint32_t k = 0; k < v->len; k++)
			if (has_wildcard(&v->items[k], depth + 1))
				return true;
		return false;
	case LINX_MAP:
		for (uint32_t k = 0; k < v->len; k++)
			if (!streq(v->pairs[k].key, "value") &&
			    !streq(v->pairs[k].key, "comment") &&
			    has_wildcard(&v->pairs[k].value, depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

/* Whether component q of an element of type `type` ("ipv4_addr", or a
 * concatenation "ifname . ipv4_addr") is a prefix: an address with a
 * slash.  An interface name may hold a slash (`"vrf/red"`). */
static bool prefix_elem(const char *type, uint32_t q,
			const struct linx_value *c)
{
	const char *t = type;

	if (c->type != LINX_STRING || !strchr(c->str, '/'))
		return false;
	for (uint32_t i = 0; i < q && t; i++)
		if ((t = strstr(t, " . ")))
			t += 3;
	return !t || strncmp(t, "ifname", 6) != 0 ||
	       (t[6] != '\0' && t[6] != ' ');
}

static void fmt_set(struct sbuf *b, const struct linx_value *s)
{
	const char *name = str_of(s, "name");
	char kb[256], db[256];
	const char *kt = type_text(linx_map_get(s, "key_type"), kb, sizeof(kb));
	const char *dt = type_text(linx_map_get(s, "data_type"), db, sizeof(db));
	const struct linx_value *fl = linx_map_get(s, "flags");
	const struct linx_value *el = linx_map_get(s, "elements");
	const char *x;
	int64_t v;

	unsigned sdt, slen;
	static const char *const sflags[] = { "constant", "interval", "timeout",
					      "dynamic", "auto_merge", NULL };
	static const char *const spols[] = { "performance", "memory", NULL };

	if (!name_ok(name) || !kt)
		return put_unsupported_line(b, 1, "set without a name or a type");
	const struct linx_value *ktv = linx_map_get(s, "key_type");
	char tkb[256], tdb[256];
	const char *tk = typeof_text(linx_map_get(s, "key_typeof"), ktv, tkb,
				     sizeof(tkb));
	const char *td = typeof_text(linx_map_get(s, "data_typeof"),
				     linx_map_get(s, "data_type"), tdb,
				     sizeof(tdb));
	unsigned ibits;
	/* a plain integer key or data (typeof ip ttl) only with its
	 * selector, which says how the parser reads it */
	bool kt_ok = ktv->type == LINX_STRING
			     ? nftl_settype_dtype(kt, &sdt, &slen) ||
				       (tk && sscanf(kt, "integer/%u", &ibits) == 1)
			     : ktv->len >= 2 && ktv->len <= 8;
	unsigned slots = 0;
	/* a concatenation: components the parser takes, 64 bytes at most;
	 * an integer one (ip ttl) only with its selector, as nft has it */
	for (uint32_t k = 0; kt_ok && ktv->type == LINX_LIST && k < ktv->len; k++) {
		const char *cn = ktv->items[k].str;
		unsigned bits;

		if (tk && (sscanf(cn, "integer/%u", &bits) == 1 ||
			   sscanf(cn, "host_integer/%u", &bits) == 1)) {
			slots += (bits / 8 + 3) / 4;
			continue;
		}
		kt_ok = nftl_settype_dtype(cn, &sdt, &slen) &&
			concat_type_ok(sdt, slen) &&
			settype_is(sdt, slen, cn);
		slots += (slen + 3) / 4;
	}
	kt_ok = kt_ok && slots <= 16;
	/* the data: a type the parser takes, a plain integer with its
	 * selector (typeof meta mark : ip ttl), or a concatenation of
	 * types the parser takes (type inet_service : ipv4_addr .
	 * inet_service) */
	const struct linx_value *dtv = linx_map_get(s, "data_type");
	const char *objw = dt ? nftl_object_type_word(dt) : NULL;
	bool dt_ok = !dt || streq(dt, "verdict") || objw ||
		     (dtv->type == LINX_STRING
			      ? nftl_settype_dtype(dt, &sdt, &slen) ||
					(td && sscanf(dt, "integer/%u", &ibits) == 1)
			      : dtv->len >= 2 && dtv->len <= 8);
	slots = 0;
	for (uint32_t k = 0; dt_ok && dtv && dtv->type == LINX_LIST &&
			     k < dtv->len; k++) {
		const char *cn = dtv->items[k].str;
		dt_ok = dtv->items[k].type == LINX_STRING &&
			nftl_settype_dtype(cn, &sdt, &slen) &&
			concat_type_ok(sdt, slen) &&
			settype_is(sdt, slen, cn);
		slots += (slen + 3) / 4;
	}
	if (!kt_ok || !dt_ok || slots > 16)
		return put_unsupported_line(b, 1, "set: its key or data type");
	for (uint32_t k = 0; fl && k < fl->len; k++)
		if (fl->type != LINX_LIST || fl->items[k].type != LINX_STRING ||
		    !one_of(fl->items[k].str, sflags))
			return put_unsupported_line(b, 1, "set: flags");
	if (str_of(s, "policy") && !one_of(str_of(s, "policy"), spols))
		return put_unsupported_line(b, 1, "set: policy");
	/* a wildcard interface name ("br-*") is an interval: the parser
	 * takes one only with the flag, which a value from elsewhere may
	 * lack */
	bool interval = false;
	for (uint32_t k = 0; fl && k < fl->len; k++)
		interval = interval || streq(fl->items[k].str, "interval");
	if (!interval && strstr(kt, "ifname") && el &&
	    has_wildcard(el, 0))
		return put_unsupported_line(b, 1, "set: a wildcard element "
						  "without flags interval");
	struct sbuf body = { 0 };
	indent(b, 1);
	nftl_sb_puts(b, dt ? "map " : "set ");
	put_name(b, name);
	nftl_sb_puts(b, " {\n");
	indent(b, 2);
	/* typeof only when every part has its selector, as nft has it */
	bool div = is_true(s, "data_interval");
	if (tk && (!dt || td) && !objw && !div) {
		nftl_sb_printf(b, "typeof %s", tk);
		if (dt)
			nftl_sb_printf(b, " : %s", td);
	} else {
		nftl_sb_printf(b, "type %s", kt);
		if (dt)
			nftl_sb_printf(b, " : %s%s", div ? "interval " : "",
				       objw ? objw : dt);
	}
	nftl_sb_puts(b, "\n");
	if (fl && fl->type == LINX_LIST && fl->len) {
		bool first = true;
		for (uint32_t i = 0; i < fl->len; i++) {
			if (fl->items[i].type != LINX_STRING ||
			    streq(fl->items[i].str, "auto_merge"))
				continue;
			if (first) {
				indent(b, 2);
				nftl_sb_puts(b, "flags ");
			}
			nftl_sb_printf(b, "%s%s", first ? "" : ",", fl->items[i].str);
			first = false;
		}
		if (!first)
			nftl_sb_puts(b, "\n");
		for (uint32_t i = 0; i < fl->len; i++)
			if (fl->items[i].type == LINX_STRING &&
			    streq(fl->items[i].str, "auto_merge")) {
				indent(b, 2);
				nftl_sb_puts(b, "auto-merge\n");
				break;
			}
	}
	const struct linx_value *xs = linx_map_get(s, "exprs");
	if (xs && xs->type == LINX_LIST && xs->len) {
		/* where nft lists them: after the flags, one line */
		struct sbuf st = { 0 };
		if (stateful_text(&st, xs, false) < 0 || st.oom) {
			put_unsupported_line(b, 2, "set statements");
		} else {
			indent(b, 2);
			nftl_sb_puts(b, st.p + 1);
			nftl_sb_puts(b, "\n");
		}
		free(st.p);
	}
	if (int_of(s, "timeout", &v) && v >= 0) {
		indent(b, 2);
		nftl_sb_puts(b, "timeout ");
		put_time(b, (uint64_t)v);
		nftl_sb_puts(b, "\n");
	}
	if (int_of(s, "gc_interval", &v) && v >= 0) {
		indent(b, 2);
		nftl_sb_puts(b, "gc-interval ");
		put_time(b, (uint64_t)v);
		nftl_sb_puts(b, "\n");
	}
	if (uint_of(s, "size", UINT32_MAX, &v)) {
		indent(b, 2);
		nftl_sb_printf(b, "size %" PRId64 "\n", v);
	}
	if ((x = str_of(s, "policy"))) {
		indent(b, 2);
		nftl_sb_printf(b, "policy %s\n", x);
	}
	if ((x = str_of(s, "comment"))) {
		indent(b, 2);
		nftl_sb_puts(b, "comment ");
		nftl_sb_quote(b, x);
		nftl_sb_puts(b, "\n");
	}
	bool iflag = false, ivals = false;
	for (uint32_t k = 0; fl && fl->type == LINX_LIST && k < fl->len; k++)
		iflag = iflag || (fl->items[k].type == LINX_STRING &&
				  streq(fl->items[k].str, "interval"));
	for (uint32_t k = 0; el && el->type == LINX_LIST && k < el->len; k++) {
		const struct linx_value *it = &el->items[k];
		const struct linx_value *key = it->type == LINX_MAP &&
						       linx_map_get(it, "key")
					       ? linx_map_get(it, "key")
					       : it;
		for (uint32_t q = 0; q < (key->type == LINX_LIST ? key->len : 1);
		     q++) {
			const struct linx_value *c1 =
				key->type == LINX_LIST ? &key->items[q] : key;
			ivals = ivals || prefix_elem(kt, q, c1) ||
				(c1->type == LINX_MAP && linx_map_get(c1, "range"));
		}
	}
	if (el && el->type == LINX_LIST && el->len) {
		if ((ivals && !iflag) ||
		    elements_text(&body, kt, el, dt && streq(dt, "verdict"),
				  dt != NULL, dt) < 0) {
			put_unsupported_line(b, 2, "elements");
		} else {
			indent(b, 2);
			nftl_sb_puts(b, "elements = ");
			nftl_sb_puts(b, body.p);
			nftl_sb_puts(b, "\n");
		}
	}
	free(body.p);
	indent(b, 1);
	nftl_sb_puts(b, "}\n");
}

/* `l3proto F` of a ct object, when it has one. */
static void put_l3proto(struct sbuf *b, const struct linx_value *o)
{
	if (str_of(o, "l3proto")) {
		indent(b, 2);
		nftl_sb_printf(b, "l3proto %s\n", str_of(o, "l3proto"));
	}
}

/* A ct timeout object, its policy in the order of the protocol's states.
 * A policy with every state (one pulled: the kernel fills in what was
 * not sent) leaves out those at the kernel's default, as nft lists it;
 * one with some states (one parsed) prints what it has.  False, and
 * nothing written, for a shape this cannot print. */
static bool fmt_ct_timeout(struct sbuf *b, const struct linx_value *o,
			   const char *name)
{
	const char *pr = str_of(o, "protocol");
	const struct nftl_ct_state *st = nftl_ct_states(pr);
	const struct linx_value *pol = linx_map_get(o, "policy");
	size_t n = 0, known = 0;
	int64_t v;

	if (!st || !pol || pol->type != LINX_MAP)
		return false;
	while (st[n].word)
		n++;
	for (size_t i = 0; i < n; i++)
		if (linx_map_get(pol, st[i].key))
			known++;
	if (known != pol->len)
		return false; /* a state this does not know */
	for (uint32_t i = 0; i < pol->len; i++)
		if (!uint_of(pol, pol->pairs[i].key, UINT32_MAX, &v))
			return false;
	bool pulled = known == n;
	nftl_sb_puts(b, "ct timeout ");
	put_name(b, name);
	nftl_sb_printf(b, " {\n");
	indent(b, 2);
	nftl_sb_printf(b, "protocol %s\n", pr);
	put_l3proto(b, o);
	indent(b, 2);
	nftl_sb_puts(b, "policy = { ");
	const char *sep = "";
	for (size_t i = 0; i < n; i++) {
		if (!uint_of(pol, st[i].key, UINT32_MAX, &v) ||
		    (pulled && v == st[i].secs))
			continue;
		nftl_sb_printf(b, "%s%s : %" PRId64, sep, st[i].word, v);
		sep = ", ";
	}
	nftl_sb_puts(b, " }\n");
	return true;
}

static bool fmt_ct_expect(struct sbuf *b, const struct linx_value *o,
			  const char *name)
{
	int64_t dport, tmo, size;

	if (!str_of(o, "protocol") ||
	    !uint_of(o, "dport", UINT16_MAX, &dport) ||
	    !uint_of(o, "timeout", UINT32_MAX, &tmo) ||
	    !uint_of(o, "size", UINT8_MAX, &size))
		return false;
	nftl_sb_puts(b, "ct expectation ");
	put_name(b, name);
	nftl_sb_puts(b, " {\n");
	indent(b, 2);
	nftl_sb_printf(b, "protocol %s\n", str_of(o, "protocol"));
	indent(b, 2);
	nftl_sb_printf(b, "dport %" PRId64 "\n", dport);
	indent(b, 2);
	nftl_sb_puts(b, "timeout ");
	put_time(b, (uint64_t)tmo);
	nftl_sb_puts(b, "\n");
	indent(b, 2);
	nftl_sb_printf(b, "size %" PRId64 "\n", size);
	put_l3proto(b, o);
	return true;
}

/* A synproxy object: mss and wscale on lines of their own, the options
 * on one line, as nft lists them. */
static bool fmt_synproxy_object(struct sbuf *b, const struct linx_value *o,
				const char *name)
{
	const struct linx_value *fl = linx_map_get(o, "flags");
	bool ts = false, sack = false;
	int64_t v;

	for (uint32_t i = 0; fl && fl->type == LINX_LIST && i < fl->len; i++) {
		const struct linx_value *f = &fl->items[i];
		if (f->type == LINX_STRING && streq(f->str, "timestamp"))
			ts = true;
		else if (f->type == LINX_STRING && streq(f->str, "sack_perm"))
			sack = true;
		else
			return false;
	}
	nftl_sb_puts(b, "synproxy ");
	put_name(b, name);
	nftl_sb_puts(b, " {\n");
	if (uint_of(o, "mss", UINT16_MAX, &v)) {
		indent(b, 2);
		nftl_sb_printf(b, "mss %" PRId64 "\n", v);
	}
	if (uint_of(o, "wscale", 14, &v)) {
		indent(b, 2);
		nftl_sb_printf(b, "wscale %" PRId64 "\n", v);
	}
	if (ts || sack) {
		indent(b, 2);
		nftl_sb_printf(b, "%s%s%s\n", ts ? "timestamp" : "",
			       ts && sack ? " " : "", sack ? "sack-perm" : "");
	}
	return true;
}

static void fmt_object(struct sbuf *b, const struct linx_value *o)
{
	const char *kind = str_of(o, "kind"), *name = str_of(o, "name");
	const char *cm = str_of(o, "comment");
	int64_t a, bb;

	if (!kind || !name)
		return put_unsupported_line(b, 1, "object without kind or name");
	indent(b, 1);
	if (streq(kind, "counter")) {
		nftl_sb_puts(b, "counter ");
		put_name(b, name);
		nftl_sb_puts(b, " {\n");
		if (uint_of(o, "packets", INT64_MAX, &a) &&
		    uint_of(o, "bytes", INT64_MAX, &bb)) {
			indent(b, 2);
			nftl_sb_printf(b, "packets %" PRId64 " bytes %" PRId64 "\n", a, bb);
		}
	} else if (streq(kind, "quota") &&
		   uint_of(o, "bytes", INT64_MAX, &a)) {
		nftl_sb_puts(b, "quota ");
		put_name(b, name);
		nftl_sb_puts(b, " {\n");
		indent(b, 2);
		nftl_sb_printf(b, "%s%" PRId64 " bytes", has_inv(o) ? "over " : "", a);
		if (int_of(o, "used", &bb) && bb > 0)
			nftl_sb_printf(b, " used %" PRId64 " bytes", bb);
		nftl_sb_puts(b, "\n");
	} else if (streq(kind, "limit")) {
		struct sbuf lb = { 0 };
		if (fmt_limit(&lb, o) < 0) {
			free(lb.p);
			b->n -= 2; /* the indent */
			return put_unsupported_line(b, 1, "limit object");
		}
		nftl_sb_puts(b, "limit ");
		put_name(b, name);
		nftl_sb_puts(b, " {\n");
		indent(b, 2);
		nftl_sb_puts(b, lb.p);
		nftl_sb_puts(b, "\n");
		free(lb.p);
	} else if (streq(kind, "ct_helper") && str_of(o, "type") &&
		   str_of(o, "protocol")) {
		nftl_sb_puts(b, "ct helper ");
		put_name(b, name);
		nftl_sb_puts(b, " {\n");
		indent(b, 2);
		nftl_sb_puts(b, "type ");
		nftl_sb_quote(b, str_of(o, "type"));
		nftl_sb_printf(b, " protocol %s\n", str_of(o, "protocol"));
		if (str_of(o, "l3proto")) {
			indent(b, 2);
			nftl_sb_printf(b, "l3proto %s\n", str_of(o, "l3proto"));
		}
	} else if (streq(kind, "secmark") && str_of(o, "context")) {
		nftl_sb_puts(b, "secmark ");
		put_name(b, name);
		nftl_sb_puts(b, " {\n");
		indent(b, 2);
		nftl_sb_quote(b, str_of(o, "context"));
		nftl_sb_puts(b, "\n");
	} else if (streq(kind, "ct_timeout") && fmt_ct_timeout(b, o, name)) {
	} else if (streq(kind, "ct_expect") && fmt_ct_expect(b, o, name)) {
	} else if (streq(kind, "synproxy") && fmt_synproxy_object(b, o, name)) {
	} else {
		b->n -= 2;
		char w[128];
		snprintf(w, sizeof(w), "object: %s %s", kind, name);
		return put_unsupported_line(b, 1, w);
	}
	if (cm) {
		indent(b, 2);
		nftl_sb_puts(b, "comment ");
		nftl_sb_quote(b, cm);
		nftl_sb_puts(b, "\n");
	}
	indent(b, 1);
	nftl_sb_puts(b, "}\n");
}

static void fmt_flowtable(struct sbuf *b, const struct linx_value *f)
{
	const char *name = str_of(f, "name");
	const struct linx_value *p = linx_map_get(f, "priority");
	const struct linx_value *d = linx_map_get(f, "devices");
	const struct linx_value *fl = linx_map_get(f, "flags");

	if (!name)
		return put_unsupported_line(b, 1, "flowtable without a name");
	indent(b, 1);
	nftl_sb_puts(b, "flowtable ");
	put_name(b, name);
	nftl_sb_puts(b, " {\n");
	indent(b, 2);
	nftl_sb_puts(b, "hook ingress priority ");
	if (p)
		put_priority(b, F_UNKNOWN, NULL, p);
	else
		nftl_sb_puts(b, "0");
	nftl_sb_puts(b, "\n");
	if (d && d->type == LINX_LIST && d->len) {
		indent(b, 2);
		nftl_sb_puts(b, "devices = ");
		put_devices(b, d);
		nftl_sb_puts(b, "\n");
	}
	if (fl && fl->type == LINX_LIST && fl->len) {
		indent(b, 2);
		nftl_sb_puts(b, "flags offload\n");
	}
	indent(b, 1);
	nftl_sb_puts(b, "}\n");
}

/*
 * Does an entity before l[k] have its name (and, with `kind`, its kind)?
 * `names` holds the names of l[0..k-1] (a pulled table may hold 10,000
 * named counters): only a repeated name is looked at closely.  With no
 * set (out of memory), the scan alone answers.
 */
static bool seen_before(struct nft_strset *names, const struct linx_value *l,
			uint32_t k, bool kind)
{
	const char *n = str_of(&l->items[k], "name");
	const char *kd = kind ? str_of(&l->items[k], "kind") : NULL;

	if (!n || (kind && !kd))
		return false;
	if (names->slot && nft_strset_add(names, n) == 1)
		return false;
	for (uint32_t i = 0; i < k; i++) {
		const char *m = str_of(&l->items[i], "name");
		const char *mk = kind ? str_of(&l->items[i], "kind") : NULL;

		if (m && streq(m, n) && (!kind || (mk && streq(mk, kd))))
			return true;
	}
	return false;
}

/* The entities of table list `key`, each through `fmt` unless a repeat. */
static void fmt_list(struct sbuf *b, const struct linx_value *t,
		     const char *key, bool kind,
		     void (*fmt)(struct sbuf *, const struct linx_value *),
		     const char *repeat)
{
	const struct linx_value *l = linx_map_get(t, key);
	struct nft_strset names = { 0 };

	if (!l || l->type != LINX_LIST)
		return;
	if (nft_strset_init(&names, l->len) < 0)
		names.slot = NULL;
	for (uint32_t k = 0; k < l->len; k++)
		if (!seen_before(&names, l, k, kind))
			fmt(b, &l->items[k]);
		else
			put_unsupported_line(b, 1, repeat);
	nft_strset_fini(&names);
}


static int cmp_tables(const void *a, const void *b)
{
	const struct linx_value *x = *(const struct linx_value *const *)a;
	const struct linx_value *y = *(const struct linx_value *const *)b;
	const char *fx = str_of(x, "family"), *fy = str_of(y, "family");
	int r = strcmp(fx ? fx : "", fy ? fy : "");

	if (r)
		return r;
	fx = str_of(x, "name");
	fy = str_of(y, "name");
	return strcmp(fx ? fx : "", fy ? fy : "");
}

/* if_nameindex(3) where linx_ns_run() runs it: {index, name} each. */
static int ifnames_here(void *arg, struct linx_value *ret,
			struct linx_error *err)
{
	struct if_nameindex *ni = if_nameindex();

	(void)arg;
	if (!ni)
		return linx_error_set(err, errno ? errno : EIO, "format",
				      "cannot list the interfaces");
	*ret = linx_value_list();
	for (struct if_nameindex *i = ni; i->if_index; i++) {
		struct linx_value m = linx_value_map();
		linx_map_put_uint(&m, "index", i->if_index);
		linx_map_put_cstring(&m, "name", i->if_name);
		linx_list_push(ret, &m);
	}
	if_freenameindex(ni);
	if (linx_value_status(ret) < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, ENOMEM, "format", "out of memory");
	}
	return 0;
}

static int format_ruleset(const struct linx_value *ruleset, char **text,
			  size_t *len, struct linx_error *err);

int linx_nft_format_with(const struct linx_value *ruleset,
			 const struct linx_nft_format_opts *opts, char **text,
			 size_t *len, struct linx_error *err)
{
	struct linx_value names = linx_value_nil();
	int rc;

	if (!text)
		return linx_error_param(err, "format", "text", "text is required");
	*text = NULL;
	if (len)
		*len = 0;
	if (opts && opts->netns) {
		rc = linx_ns_run(opts->netns, LINX_NS_NET, 0, ifnames_here,
				 NULL, &names, err);
		if (rc < 0)
			return rc;
	}
	fmt_ifnames = names.type == LINX_LIST ? &names : NULL;
	rc = format_ruleset(ruleset, text, len, err);
	fmt_ifnames = NULL;
	linx_value_clear(&names);
	return rc;
}

int linx_nft_format(const struct linx_value *ruleset, char **text, size_t *len,
		    struct linx_error *err)
{
	return linx_nft_format_with(ruleset, NULL, text, len, err);
}

static int format_ruleset(const struct linx_value *ruleset, char **text,
			  size_t *len, struct linx_error *err)
{
	const struct linx_value *tables;
	const struct linx_value **order;
	struct sbuf b = { 0 };

	if (!ruleset || ruleset->type != LINX_MAP)
		return linx_error_param(err, "format", "ruleset",
					"a ruleset is a map {\"tables\": [...]}");
	tables = linx_map_get(ruleset, "tables");
	if (tables && tables->type != LINX_LIST)
		return linx_error_param(err, "format", "ruleset",
					"tables must be a list");
	uint32_t nt = tables ? tables->len : 0;
	order = calloc(nt ? nt : 1, sizeof(*order));
	if (!order)
		return linx_error_set(err, ENOMEM, "format", "out of memory");
	for (uint32_t i = 0; i < nt; i++)
		order[i] = &tables->items[i];
	qsort(order, nt, sizeof(*order), cmp_tables);
	for (uint32_t i = 0; i < nt; i++) {
		const struct linx_value *t = order[i];
		const char *fam = str_of(t, "family"), *name = str_of(t, "name");
		int family = nftl_fam_of(fam);

		if (t->type != LINX_MAP || family == F_UNKNOWN || !name_ok(name)) {
			put_unsupported_line(&b, 0, "table without a family or name");
			continue;
		}
		/* sorted: a second table of a family and name is next to the
		 * first, and its blocks would merge with it in the parser */
		if (i && cmp_tables(&order[i - 1], &order[i]) == 0) {
			put_unsupported_line(&b, 0, "table: a second table of "
						    "that family and name");
			continue;
		}
		if (i)
			nftl_sb_puts(&b, "\n");
		nftl_sb_printf(&b, "table %s ", fam);
		put_name(&b, name);
		nftl_sb_puts(&b, " {\n");
		const struct linx_value *fl = linx_map_get(t, "flags");
		if (fl && fl->type == LINX_LIST && fl->len) {
			static const char *const tf[] = { "dormant", "owner",
							  "persist", NULL };
			bool ok = true;
			for (uint32_t k = 0; k < fl->len; k++)
				ok = ok && fl->items[k].type == LINX_STRING &&
				     one_of(fl->items[k].str, tf);
			if (!ok) {
				put_unsupported_line(&b, 1, "table flags");
			} else {
				indent(&b, 1);
				nftl_sb_puts(&b, "flags ");
				for (uint32_t k = 0; k < fl->len; k++)
					nftl_sb_printf(&b, "%s%s", k ? "," : "",
						       fl->items[k].str);
				nftl_sb_puts(&b, "\n");
			}
		}
		if (str_of(t, "comment")) {
			indent(&b, 1);
			nftl_sb_puts(&b, "comment ");
			nftl_sb_quote(&b, str_of(t, "comment"));
			nftl_sb_puts(&b, "\n");
		}
		/* chain blocks of one name merge in the parser: a second
		 * chain of a name is a comment, as a second set is */
		const struct linx_value *l = linx_map_get(t, "chains");
		struct nft_strset cnames = { 0 };
		if (l && l->type == LINX_LIST &&
		    nft_strset_init(&cnames, l->len) < 0)
			cnames.slot = NULL;
		for (uint32_t k = 0; l && l->type == LINX_LIST && k < l->len; k++)
			if (!seen_before(&cnames, l, k, false))
				fmt_chain(&b, family, t, &l->items[k]);
			else
				put_unsupported_line(&b, 1, "chain: a second chain "
							   "of that name");
		nft_strset_fini(&cnames);
		/* sets and maps in the value's order: the order a load
		 * creates them in, as nft -f does with the source's */
		/* A second set (or map, one namespace), object of a kind
		 * or flowtable of a name is something nft -f refuses. */
		fmt_list(&b, t, "sets", false, fmt_set,
			 "set: a second one of that name");
		fmt_list(&b, t, "objects", true, fmt_object,
			 "object: a second one of that kind and name");
		fmt_list(&b, t, "flowtables", false, fmt_flowtable,
			 "flowtable: a second one of that name");
		nftl_sb_puts(&b, "}\n");
	}
	free(order);
	if (b.oom) {
		free(b.p);
		return linx_error_set(err, ENOMEM, "format", "out of memory");
	}
	if (!b.p) {
		b.p = strdup("");
		if (!b.p)
			return linx_error_set(err, ENOMEM, "format",
					      "out of memory");
	}
	*text = b.p;
	if (len)
		*len = b.n;
	return 0;
}
