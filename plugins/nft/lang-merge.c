/* SPDX-License-Identifier: MIT */
/*
 * Adjacent header matches as one load.
 *
 * nft compiles `udp sport 68 udp dport 67` to a single 4-byte load and
 * compare, and lists that load back as the two matches.  The parser
 * does the same merge (so that a file loads byte for byte as nft loads
 * it), and the formatter splits such a load (pushed by nft or by us)
 * back into the fields it covers.
 *
 * What nft 1.0.6 and 1.1.3 merge, as observed against them: the
 * rule's `==` matches of whole header fields against constants,
 * wherever they stand among its matches (a meta match between them
 * does not keep them apart; a statement such as a counter does in nft
 * 1.1.3, not in 1.0.6 - we follow 1.1.3), taken in offset order; two neighbours join
 * when neither is 32 bits long (a 32-bit compare is one word already)
 * and together they fit a 16-byte register.  The merged match stands
 * where its lowest field stood, or the transport protocol's field (ip
 * protocol, ip6 nexthdr) when it has that one.  Prefixes, ranges, sets,
 * `!=` and bit fields are left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "lang-internal.h"

#define MERGE_MAX 16 /* bytes: one register */

static const char *str_at(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static bool int_at(const struct linx_value *m, const char *k, int64_t *ret)
{
	return linx_value_get_i64(linx_map_get(m, k), ret);
}

static int base_of(const char *s)
{
	return !s ? -1 : streq(s, "link") ? 0 : streq(s, "network") ? 1
		       : streq(s, "transport") ? 2 : -1;
}

/* A load of a header field into register 1 and its `==` compare. */
struct field_eq {
	uint32_t idx; /* of the load in the rule's expressions */
	int base;
	uint32_t off, len;
	const uint8_t *data;
};

static bool field_eq_at(const struct linx_value *ex, uint32_t n, uint32_t i,
			struct field_eq *f)
{
	const struct linx_value *ld = &ex[i], *cmp;
	const struct linx_value *d;
	const char *e;
	int64_t reg, off, len;

	if (i + 1 >= n || ld->type != LINX_MAP || ld->len != 5)
		return false;
	cmp = &ex[i + 1];
	e = str_at(ld, "expr");
	if (!e || !streq(e, "payload") || !int_at(ld, "dreg", &reg) ||
	    reg != 1 || !int_at(ld, "offset", &off) || !int_at(ld, "len", &len) ||
	    off < 0 || off > 255 || len < 1 || len > MERGE_MAX)
		return false;
	f->base = base_of(str_at(ld, "base"));
	if (f->base < 0 || cmp->type != LINX_MAP || cmp->len != 4)
		return false;
	e = str_at(cmp, "expr");
	d = linx_map_get(cmp, "data");
	if (!e || !streq(e, "cmp") || !str_at(cmp, "op") ||
	    !streq(str_at(cmp, "op"), "eq") || !int_at(cmp, "sreg", &reg) ||
	    reg != 1 || !d || d->type != LINX_BYTES || d->len != (uint32_t)len)
		return false;
	f->idx = i;
	f->off = (uint32_t)off;
	f->len = (uint32_t)len;
	f->data = d->bytes;
	return true;
}

/* Whether field `s` is what its bytes are in a rule that established
 * ICMP type `icmp` (icmpv6 mtu and the pair id, sequence share them). */
static bool icmp_usable(const struct nftl_sel *s, int icmp)
{
	return nftl_icmp_satisfied(nftl_icmp_need(s), icmp,
				   streq(s->proto, "icmpv6"));
}

/* Whether some protocol has a whole-byte field at base/off/len (and,
 * with `proto`, that protocol). */
static bool is_field(int base, uint32_t off, uint32_t len, const char *proto,
		     int icmp)
{
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind == SEL_PAYLOAD && !s->bits && s->base == base &&
		    s->offset == off && s->len == len &&
		    (!proto || streq(s->proto, proto)) &&
		    icmp_usable(s, icmp))
			return true;
	}
	return false;
}

static int push_pair(struct linx_value *out, const struct linx_value *ld,
		     uint32_t off, uint32_t len, const uint8_t *data)
{
	struct linx_value e = linx_value_map(), c = linx_value_map();
	int rc;

	linx_map_put_cstring(&e, "expr", "payload");
	linx_map_put_int(&e, "dreg", 1);
	linx_map_put_cstring(&e, "base", str_at(ld, "base"));
	linx_map_put_int(&e, "offset", off);
	linx_map_put_int(&e, "len", len);
	linx_map_put_cstring(&c, "expr", "cmp");
	linx_map_put_int(&c, "sreg", 1);
	linx_map_put_cstring(&c, "op", "eq");
	linx_map_put_bytes(&c, "data", data, len);
	rc = linx_value_status(&e);
	if (rc == 0)
		rc = linx_value_status(&c);
	if (rc < 0) {
		linx_value_clear(&e);
		linx_value_clear(&c);
		return rc;
	}
	rc = linx_list_push(out, &e);
	if (rc < 0) {
		linx_value_clear(&c);
		return rc;
	}
	return linx_list_push(out, &c);
}

/* Only the pushed value is checked: a status walk over `out` after each
 * push made a rule's merge quadratic in its expressions. */
static int push_copy(struct linx_value *out, const struct linx_value *v)
{
	struct linx_value c;
	int rc = linx_value_copy(&c, v);

	return rc < 0 ? rc : linx_list_push(out, &c);
}

static int by_offset(const void *a, const void *b)
{
	const struct field_eq *x = a, *y = b;

	if (x->base != y->base)
		return x->base - y->base;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->idx < y->idx ? -1 : 1; /* stable */
}

/* The protocol a rule's header is, from what its expressions matched so
 * far: the family's, `meta nfproto`, `meta l4proto`, `ip protocol`,
 * `ip6 nexthdr`, `ether type`. */
struct protos {
	const char *net, *l4;
	int icmp; /* the ICMP type established (nftl_icmp_need()) */
};

static const char *l4_name(uint8_t v)
{
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind == SEL_PAYLOAD && s->base == 2 &&
		    nftl_l4_proto(s->proto) == v)
			return s->proto;
	}
	return NULL;
}

static void learn(struct protos *pr, const struct linx_value *ex, uint32_t n,
		  uint32_t i)
{
	const struct linx_value *ld = &ex[i], *d;
	const char *e = str_at(ld, "expr"), *key = str_at(ld, "key");
	int64_t off = -1, len = -1;

	if (e && streq(e, "payload") && i + 1 < n &&
	    str_at(&ex[i + 1], "expr") &&
	    streq(str_at(&ex[i + 1], "expr"), "set_literal") &&
	    pr->l4 && (streq(pr->l4, "icmp") || streq(pr->l4, "icmpv6")) &&
	    base_of(str_at(ld, "base")) == 2 && int_at(ld, "offset", &off) &&
	    off == 0 && int_at(ld, "len", &len) && len == 1) {
		/* icmp type { echo-reply, echo-request } */
		if (nftl_icmp_echo_set(nftl_sel_find(pr->l4, "type"),
				       linx_map_get(&ex[i + 1], "elements")))
			pr->icmp = NFTL_ICMP_ECHO;
		return;
	}
	if (!e || i + 1 >= n || !str_at(&ex[i + 1], "op") ||
	    !streq(str_at(&ex[i + 1], "op"), "eq"))
		return;
	d = linx_map_get(&ex[i + 1], "data");
	if (!d || d->type != LINX_BYTES || d->len == 0)
		return;
	int_at(ld, "offset", &off);
	int_at(ld, "len", &len);
	if (streq(e, "meta") && key && streq(key, "nfproto") && d->len == 1)
		pr->net = d->bytes[0] == 2 ? "ip" : d->bytes[0] == 10 ? "ip6"
								     : NULL;
	else if (streq(e, "meta") && key && streq(key, "l4proto") &&
		 d->len == 1)
		pr->l4 = l4_name(d->bytes[0]);
	else if (streq(e, "payload") && base_of(str_at(ld, "base")) == 2 &&
		 off == 0 && len == 1 && d->len == 1 && pr->l4 &&
		 (streq(pr->l4, "icmp") || streq(pr->l4, "icmpv6")))
		pr->icmp = d->bytes[0]; /* icmp type T */
	else if (streq(e, "payload") && base_of(str_at(ld, "base")) == 1 &&
		 len == 1 && d->len == 1 &&
		 ((off == 9 && pr->net && streq(pr->net, "ip")) ||
		  (off == 6 && pr->net && streq(pr->net, "ip6"))))
		pr->l4 = l4_name(d->bytes[0]);
	else if (((streq(e, "meta") && key && streq(key, "protocol")) ||
		  (streq(e, "payload") && base_of(str_at(ld, "base")) == 0 &&
		   off == 12 && len == 2)) &&
		 d->len == 2) {
		unsigned et = (unsigned)d->bytes[0] << 8 | d->bytes[1];
		pr->net = et == 0x0800 ? "ip" : et == 0x86dd ? "ip6" : NULL;
	}
}

/* The protocol whose fields a load of `base` reads, in context `pr`:
 * NULL when the rule has not said. */
static const char *proto_of(const struct protos *pr, int base)
{
	return base == 0 ? "ether" : base == 1 ? pr->net
				   : pr->l4 ? pr->l4
					    : "th";
}

/* The field telling the next header's protocol (ip protocol, ip6
 * nexthdr, ether type - nft's protocol keys): a merged load stands where
 * it stood, as in nft.  The ether type counts for the check a bridge's
 * IPv6 extension header puts at the rule's start, ahead of an ether
 * address matched later. */
static bool is_l4_key(const struct protos *pr, const struct field_eq *f)
{
	if (f->base == 0)
		return f->off == 12 && f->len == 2;
	return f->base == 1 && f->len == 1 && pr->net &&
	       ((streq(pr->net, "ip") && f->off == 9) ||
		(streq(pr->net, "ip6") && f->off == 6));
}

#define MERGE_FIELDS 64

/* Whether ex[i] is a statement of its own (a counter, a verdict, a
 * write) rather than part of a match: field matches on either side of it
 * stay apart (nft 1.1.3; 1.0.6 merged across a counter). */
static bool is_statement(const struct linx_value *e)
{
	static const char *const match[] = { "payload", "meta",	     "ct",
					     "exthdr",	"rt",	     "fib",
					     "socket",	"osf",	     "numgen",
					     "hash",	"cmp",	     "lookup",
					     "range",	"bitwise",   "byteorder",
					     "set_literal" };
	const char *x = str_at(e, "expr");

	if (!x)
		return true;
	for (size_t i = 0; i < sizeof(match) / sizeof(*match); i++)
		if (streq(x, match[i]))
			/* a load, or what compares it; not a write */
			return !linx_map_get(e, "dreg") && !streq(x, "cmp") &&
			       !streq(x, "range") && !streq(x, "lookup") &&
			       !streq(x, "set_literal");
	return true;
}

/* The field matches of ex[from, to) merged, moved onto `out` (what two
 * became one of stays behind in `ex`); *merged is set when two became
 * one.  With `out` NULL, only *merged is worked out. */
static int merge_segment(struct linx_value *ex, uint32_t from,
			 uint32_t to, struct protos *pr, const uint64_t *raw,
			 struct linx_value *out, bool *merged)
{
	struct field_eq m[MERGE_FIELDS], sorted[MERGE_FIELDS];
	uint32_t group[MERGE_FIELDS], keep[MERGE_FIELDS];
	uint8_t bytes[MERGE_FIELDS][MERGE_MAX];
	uint32_t blen[MERGE_FIELDS], first[MERGE_FIELDS], size[MERGE_FIELDS];
	bool l4key[MERGE_FIELDS];
	uint32_t k = 0, ng = 0;
	int rc = 0;

	/* the segment's `==` matches of whole fields, wherever they stand */
	for (uint32_t i = from; i < to; i++) {
		if (k < MERGE_FIELDS && i + 1 < to &&
		    field_eq_at(ex, to, i, &m[k]) &&
		    ((raw && i < 1024 && raw[i / 64] >> (i % 64) & 1) ||
		     is_field(m[k].base, m[k].off, m[k].len,
			      proto_of(pr, m[k].base), pr->icmp))) {
			l4key[k] = is_l4_key(pr, &m[k]);
			learn(pr, ex, to, i);
			k++;
			i++;
			continue;
		}
		learn(pr, ex, to, i);
	}
	memcpy(sorted, m, k * sizeof(*m));
	qsort(sorted, k, sizeof(*sorted), by_offset);
	for (uint32_t j = 0; j < k; j++) {
		const struct field_eq *f = &sorted[j], *prev = j ? f - 1 : NULL;
		uint32_t g = ng ? ng - 1 : 0;

		if (prev && prev->base == f->base && blen[g] != 4 &&
		    f->len != 4 && prev->off + prev->len == f->off &&
		    blen[g] + f->len <= MERGE_MAX) {
			memcpy(bytes[g] + blen[g], f->data, f->len);
			blen[g] += f->len;
			size[g]++;
			*merged = true;
		} else {
			g = ng++;
			memcpy(bytes[g], f->data, f->len);
			blen[g] = f->len;
			first[g] = f->off;
			keep[g] = f->idx;
			size[g] = 1;
		}
		for (uint32_t r = 0; r < k; r++)
			if (m[r].idx == f->idx) {
				group[r] = g;
				if (l4key[r])
					keep[g] = f->idx;
			}
	}
	for (uint32_t i = from, r = 0; out && i < to && rc == 0;) {
		if (r < k && m[r].idx == i) {
			uint32_t g = group[r++];
			if (size[g] == 1) {
				rc = linx_list_push(out, &ex[i]);
				if (rc == 0)
					rc = linx_list_push(out, &ex[i + 1]);
			} else if (keep[g] == i) {
				rc = push_pair(out, &ex[i], first[g], blen[g],
					       bytes[g]);
			}
			i += 2;
			continue;
		}
		rc = linx_list_push(out, &ex[i++]);
	}
	return rc;
}

/* The rule's segments (between statements) merged onto `out`, or with
 * `out` NULL whether anything merges. */
static int merge_rule(struct linx_value *exprs, const uint64_t *raw,
		      const char *net, struct linx_value *out, bool *merged)
{
	struct protos pr = { net, NULL, NFTL_ICMP_ANY };
	int rc = 0;

	for (uint32_t i = 0, n = exprs->len; i < n && rc == 0;) {
		uint32_t b = i;
		while (b < n && !is_statement(&exprs->items[b]))
			b++;
		rc = merge_segment(exprs->items, i, b, &pr, raw, out, merged);
		if (rc == 0 && out && b < n)
			rc = linx_list_push(out, &exprs->items[b]);
		i = b + 1;
	}
	return rc;
}

int nftl_merge_payloads(struct linx_value *exprs, const uint64_t *raw,
			const char *net)
{
	struct linx_value out;
	bool merged = false;
	int rc;

	if (!exprs || exprs->type != LINX_LIST || exprs->len < 4)
		return 0;
	/* most rules merge nothing: find out before moving anything */
	merge_rule(exprs, raw, net, NULL, &merged);
	if (!merged)
		return 0;
	out = linx_value_list();
	rc = merge_rule(exprs, raw, net, &out, &merged);
	linx_value_clear(exprs);
	if (rc < 0) {
		linx_value_clear(&out);
		return rc;
	}
	*exprs = out;
	return 0;
}

/* The fields of `pr`'s protocol that tile f exactly, into `len`; false
 * when they do not (or f is one field itself). */
static bool tile(const struct protos *pr, const struct field_eq *f,
		 uint32_t *len, uint32_t *n)
{
	/* a transport header of no known protocol: th's fields */
	const char *proto = proto_of(pr, f->base);
	uint32_t at = f->off, k = 0;

	if (!proto || is_field(f->base, f->off, f->len, proto, pr->icmp))
		return false;
	while (at < f->off + f->len && k < MERGE_MAX) {
		uint32_t best = 0;
		for (size_t i = 0; i < nftl_n_sels; i++) {
			const struct nftl_sel *s = &nftl_sels[i];
			if (s->kind == SEL_PAYLOAD && !s->bits &&
			    s->base == f->base && s->offset == at &&
			    streq(s->proto, proto) && icmp_usable(s, pr->icmp) &&
			    at + s->len <= f->off + f->len && s->len > best)
				best = s->len;
		}
		if (!best)
			return false;
		len[k++] = best;
		at += best;
	}
	*n = k;
	return k >= 2 && at == f->off + f->len;
}

/* Whether another equality match of the rule (at j != f->idx) touches
 * f's bytes or borders them: written as fields, f would merge with it
 * when read back (nft merges the rule's equality matches in offset
 * order, across other statements), so f stays one load. */
static bool merges_elsewhere(const struct linx_value *ex, uint32_t n,
			     const struct field_eq *f)
{
	for (uint32_t j = 0; j < n; j++) {
		struct field_eq g;

		if (j == f->idx || !field_eq_at(ex, n, j, &g) ||
		    g.base != f->base)
			continue;
		if (g.off <= f->off + f->len && f->off <= g.off + g.len)
			return true;
	}
	return false;
}

/* The rule's merged loads split onto `out` (copies), or with `out` NULL
 * whether there is one to split. */
static int split_rule(const struct linx_value *ex, uint32_t n,
		      const char *net, struct linx_value *out, bool *any)
{
	struct protos pr = { net, NULL, NFTL_ICMP_ANY };
	int rc = 0;

	for (uint32_t i = 0; i < n && rc == 0;) {
		struct field_eq f;
		uint32_t lens[MERGE_MAX], k;

		if (field_eq_at(ex, n, i, &f) && tile(&pr, &f, lens, &k) &&
		    !merges_elsewhere(ex, n, &f)) {
			uint32_t at = 0;
			for (uint32_t j = 0; out && j < k && rc == 0; j++) {
				rc = push_pair(out, &ex[i], f.off + at, lens[j],
					       f.data + at);
				at += lens[j];
			}
			*any = true;
			i += 2;
			continue;
		}
		learn(&pr, ex, n, i);
		if (out)
			rc = push_copy(out, &ex[i]);
		i++;
	}
	return rc;
}

int nftl_split_payloads(const struct linx_value *exprs, const char *net,
			struct linx_value *out)
{
	bool any = false;
	int rc;

	if (!exprs || exprs->type != LINX_LIST)
		return 0;
	/* most rules have nothing to split: no copy for them */
	split_rule(exprs->items, exprs->len, net, NULL, &any);
	if (!any)
		return 0;
	*out = linx_value_list();
	rc = split_rule(exprs->items, exprs->len, net, out, &any);
	if (rc < 0) {
		linx_value_clear(out);
		return rc;
	}
	return 1;
}
