/* SPDX-License-Identifier: MIT */
/*
 * typeof.c - a set's `typeof` selectors, as nftables keeps them in the
 * set userdata (NFTNL_UDATA_SET_KEY_TYPEOF / DATA_TYPEOF, libnftnl/udata.h).
 *
 * The kernel never reads them: `nft list` prints `typeof ip saddr` from
 * them, so we write the bytes nftables 1.0.6 writes and read back what it
 * wrote.  Each is a TLV list {NFTNL_UDATA_SET_TYPEOF_EXPR: u32 expression
 * kind, NFTNL_UDATA_SET_TYPEOF_DATA: the expression's own TLVs}; a
 * concatenation's data holds one such list per component, numbered from 0.
 * The numbers below are nftables' (its expression kinds and protocol
 * header templates), found by loading `typeof` sets with nft -f and reading
 * the userdata back; u32 values are in host order, as libnftnl puts them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/udata.h>

#include "lang-internal.h"
#include "nft-internal.h"

/* nftables' expression kinds (enum expr_types) as stored in the udata */
enum { TO_VERDICT = 1, TO_PAYLOAD = 7, TO_META = 9, TO_CT = 12,
       TO_CONCAT = 13 };
/* the attributes of a payload's, meta's and ct's data */
enum { TO_PL_DESC = 0, TO_PL_FIELD = 1, TO_PL_BASE = 2, TO_PL_OFFSET = 3,
       TO_PL_LEN = 4 };
enum { TO_KEY = 0, TO_CT_DIR = 1 };

/* A payload field: nftables' protocol id and header template index. */
struct to_field {
	const char *proto, *field;
	uint8_t desc, index;
};

static const struct to_field to_fields[] = {
	{ "ether", "daddr", 17, 1 }, { "ether", "saddr", 17, 2 },
	{ "ether", "type", 17, 3 },
	{ "ip", "dscp", 12, 3 }, { "ip", "ecn", 12, 4 },
	{ "ip6", "dscp", 13, 2 }, { "ip6", "ecn", 13, 3 },
	{ "ip", "length", 12, 5 }, { "ip", "id", 12, 6 },
	{ "ip", "ttl", 12, 8 }, { "ip6", "hoplimit", 13, 7 },
	{ "ip", "protocol", 12, 9 }, { "ip", "checksum", 12, 10 },
	{ "ip", "saddr", 12, 11 }, { "ip", "daddr", 12, 12 },
	{ "ip6", "length", 13, 5 }, { "ip6", "nexthdr", 13, 6 },
	{ "ip6", "saddr", 13, 8 }, { "ip6", "daddr", 13, 9 },
	{ "tcp", "sport", 8, 1 }, { "tcp", "dport", 8, 2 },
	{ "tcp", "sequence", 8, 3 }, { "tcp", "ackseq", 8, 4 },
	{ "tcp", "flags", 8, 7 }, { "tcp", "window", 8, 8 },
	{ "tcp", "checksum", 8, 9 }, { "tcp", "urgptr", 8, 10 },
	{ "udp", "sport", 6, 1 }, { "udp", "dport", 6, 2 },
	{ "udp", "length", 6, 3 }, { "udp", "checksum", 6, 4 },
	{ "udplite", "sport", 7, 1 }, { "udplite", "dport", 7, 2 },
	{ "sctp", "sport", 10, 1 }, { "sctp", "dport", 10, 2 },
	{ "dccp", "sport", 9, 1 }, { "dccp", "dport", 9, 2 },
	{ "th", "sport", 11, 1 }, { "th", "dport", 11, 2 },
	{ "icmp", "type", 4, 1 }, { "icmp", "code", 4, 2 },
	{ "icmp", "checksum", 4, 3 },
	{ "icmp", "id", 4, 4 }, { "icmp", "sequence", 4, 5 },
	{ "icmpv6", "type", 14, 1 }, { "icmpv6", "code", 14, 2 },
	{ "icmpv6", "checksum", 14, 3 },
	{ "icmpv6", "id", 14, 6 }, { "icmpv6", "sequence", 14, 7 },
};

/* Meta and ct keys whose nftables type is the one the selector's set
 * type names; meta cpu and cgroup and ct zone are nft's plain integers,
 * host order ("host_integer/32", "host_integer/16"). */
static const struct nftl_sym to_meta[] = {
	{ "protocol", NFT_META_PROTOCOL }, { "mark", NFT_META_MARK },
	{ "iif", NFT_META_IIF }, { "oif", NFT_META_OIF },
	{ "iifname", NFT_META_IIFNAME }, { "oifname", NFT_META_OIFNAME },
	{ "iiftype", NFT_META_IIFTYPE }, { "oiftype", NFT_META_OIFTYPE },
	{ "nfproto", NFT_META_NFPROTO }, { "l4proto", NFT_META_L4PROTO },
	{ "pkttype", NFT_META_PKTTYPE }, { "skuid", NFT_META_SKUID },
	{ "skgid", NFT_META_SKGID }, { "iifgroup", NFT_META_IIFGROUP },
	{ "oifgroup", NFT_META_OIFGROUP }, { "cpu", NFT_META_CPU },
	{ "cgroup", NFT_META_CGROUP },   { "day", NFT_META_TIME_DAY },
	{ "hour", NFT_META_TIME_HOUR }, { "time", NFT_META_TIME_NS },
	{ "length", NFT_META_LEN }, { "priority", NFT_META_PRIORITY },
	{ "random", NFT_META_PRANDOM }, { "rtclassid", NFT_META_RTCLASSID },
	{ "sdif", NFT_META_SDIF }, { "sdifname", NFT_META_SDIFNAME },
	{ "iifkind", NFT_META_IIFKIND }, { "oifkind", NFT_META_OIFKIND },
};
static const struct nftl_sym to_ct[] = {
	{ "state", NFT_CT_STATE }, { "direction", NFT_CT_DIRECTION },
	{ "status", NFT_CT_STATUS }, { "mark", NFT_CT_MARK },
	{ "l3proto", NFT_CT_L3PROTOCOL }, { "protocol", NFT_CT_PROTOCOL },
	{ "zone", NFT_CT_ZONE },
};
/* A direction's keys (ct original ip saddr, ct reply proto-dst) by the
 * kernel's name, which the selector keeps: bare saddr/daddr (NFT_CT_SRC)
 * have no typeof, their type being the table's family's. */
static const struct nftl_sym to_ct_dir[] = {
	{ "ip_saddr", NFT_CT_SRC_IP }, { "ip_daddr", NFT_CT_DST_IP },
	{ "ip6_saddr", NFT_CT_SRC_IP6 }, { "ip6_daddr", NFT_CT_DST_IP6 },
	{ "proto_src", NFT_CT_PROTO_SRC }, { "proto_dst", NFT_CT_PROTO_DST },
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool ct_dir(const struct nftl_sel *s)
{
	return s->kind == SEL_CT && s->proto[2] == ' ';
}

/* The selector of a direction's key: `orig` and the kernel's key. */
static const struct nftl_sel *ct_dir_find(bool orig, const char *key)
{
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];

		if (ct_dir(s) && (s->proto[3] == 'o') == orig &&
		    streq(s->key, key))
			return s;
	}
	return NULL;
}

static const struct to_field *field_of(const struct nftl_sel *s)
{
	for (size_t i = 0; i < N(to_fields); i++)
		if (streq(to_fields[i].proto, s->proto) &&
		    streq(to_fields[i].field, s->field))
			return &to_fields[i];
	return NULL;
}

bool nftl_sel_typeof_ok(const struct nftl_sel *s)
{
	uint32_t v;

	switch (s->kind) {
	case SEL_PAYLOAD:
		/* raw: nftables' base, offset and length (TO_PL_BASE ...) */
		if (s->proto[0] == '@')
			return !s->bits;
		/* plain integers (ip ttl) carry their width in bits,
		 * TO_PL_LEN */
		return field_of(s) != NULL;
	case SEL_META:
		return nftl_sym_value(to_meta, N(to_meta), s->field, &v);
	case SEL_CT:
		if (ct_dir(s))
			return nftl_sym_value(to_ct_dir, N(to_ct_dir), s->key,
					      &v);
		return nftl_sym_value(to_ct, N(to_ct), s->field, &v);
	default: /* tcp options, rt: no typeof for them yet */
		return false;
	}
}

bool nftl_sel_text(const struct nftl_sel *s, char *buf, size_t n)
{
	int k = snprintf(buf, n, "%s%s%s", s->proto,
			 s->proto[0] == '@' ? "," : " ", s->field);

	return k > 0 && (size_t)k < n;
}

/* "@nh,64,8": a raw payload in whole bytes, spelled canonically. */
static const struct nftl_sel *raw_typeof_sel(const char *text,
					     struct nftl_raw *raw)
{
	char base[4], canon[48], why[160];
	unsigned long long off, len;
	const struct nftl_sel *s = NULL;

	if (sscanf(text, "@%3[a-z],%llu,%llu", base, &off, &len) != 3 ||
	    !nftl_raw_sel(base, off, len, raw, &s, why, sizeof(why)) ||
	    s->proto[0] != '@' || !nftl_sel_typeof_ok(s) ||
	    !nftl_sel_text(s, canon, sizeof(canon)) || !streq(canon, text))
		return NULL;
	return s;
}

const struct nftl_sel *nftl_typeof_sel(const char *text, struct nftl_raw *raw)
{
	char proto[16];
	const char *sp = strchr(text, ' ');
	const struct nftl_sel *s;

	if (text[0] == '@')
		return raw_typeof_sel(text, raw);
	/* "ct original ip saddr": the proto is all but the last word */
	if (strncmp(text, "ct original ", 12) == 0 ||
	    strncmp(text, "ct reply ", 9) == 0)
		sp = strrchr(text, ' ');
	if (!sp || (size_t)(sp - text) >= sizeof(proto))
		return NULL;
	memcpy(proto, text, (size_t)(sp - text));
	proto[sp - text] = 0;
	s = nftl_sel_find(proto, sp + 1);
	/* the canonical spelling only ("meta len", not "meta length") */
	if (!s || !streq(s->field, sp + 1) || !nftl_sel_typeof_ok(s))
		return NULL;
	return s;
}

/* ---- writing ------------------------------------------------------------- */

struct tlvbuf {
	uint8_t b[NFT_USERDATA_MAXLEN];
	size_t n;
	bool over;
};

static size_t tlv_open(struct tlvbuf *t, uint8_t type)
{
	size_t at = t->n;

	if (t->n + 2 > sizeof(t->b)) {
		t->over = true;
		return at;
	}
	t->b[t->n++] = type;
	t->b[t->n++] = 0;
	return at;
}

static void tlv_close(struct tlvbuf *t, size_t at)
{
	if (t->over || t->n - at - 2 > 255) {
		t->over = true;
		return;
	}
	t->b[at + 1] = (uint8_t)(t->n - at - 2);
}

static void tlv_u32(struct tlvbuf *t, uint8_t type, uint32_t v)
{
	size_t at = tlv_open(t, type);

	if (t->over || t->n + 4 > sizeof(t->b)) {
		t->over = true;
		return;
	}
	memcpy(t->b + t->n, &v, 4);
	t->n += 4;
	tlv_close(t, at);
}

static void put_sel(struct tlvbuf *t, const struct nftl_sel *s)
{
	const struct to_field *f;
	size_t d;
	uint32_t key = 0;

	if (s->kind == SEL_PAYLOAD && s->proto[0] == '@') {
		/* nftables' PROTO_BASE_*_HDR are ours plus one; bits */
		tlv_u32(t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_PAYLOAD);
		d = tlv_open(t, NFTNL_UDATA_SET_TYPEOF_DATA);
		tlv_u32(t, TO_PL_DESC, 0);
		tlv_u32(t, TO_PL_FIELD, 0);
		tlv_u32(t, TO_PL_BASE, s->base + 1u);
		tlv_u32(t, TO_PL_OFFSET, s->offset * 8u);
		tlv_u32(t, TO_PL_LEN, s->len * 8u);
		tlv_close(t, d);
	} else if (s->kind == SEL_PAYLOAD) {
		f = field_of(s);
		tlv_u32(t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_PAYLOAD);
		d = tlv_open(t, NFTNL_UDATA_SET_TYPEOF_DATA);
		tlv_u32(t, TO_PL_DESC, f->desc);
		tlv_u32(t, TO_PL_FIELD, f->index);
		if (s->dtype == DT_INT)
			tlv_u32(t, TO_PL_LEN, s->len * 8u);
		tlv_close(t, d);
	} else if (s->kind == SEL_META) {
		nftl_sym_value(to_meta, N(to_meta), s->field, &key);
		tlv_u32(t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_META);
		d = tlv_open(t, NFTNL_UDATA_SET_TYPEOF_DATA);
		tlv_u32(t, TO_KEY, key);
		tlv_close(t, d);
	} else {
		bool dir = ct_dir(s);

		if (dir)
			nftl_sym_value(to_ct_dir, N(to_ct_dir), s->key, &key);
		else
			nftl_sym_value(to_ct, N(to_ct), s->field, &key);
		tlv_u32(t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_CT);
		d = tlv_open(t, NFTNL_UDATA_SET_TYPEOF_DATA);
		tlv_u32(t, TO_KEY, key);
		/* IP_CT_DIR_ORIGINAL 0, IP_CT_DIR_REPLY 1; none: ~0 */
		tlv_u32(t, TO_CT_DIR,
			!dir ? UINT32_MAX : s->proto[3] == 'o' ? 0 : 1);
		tlv_close(t, d);
	}
}

/* The set key type a typeof selector gives: a raw payload's is an
 * integer of its width, any up to 16 bytes (an anonymous set's
 * @ll,0,48). */
static const char *sel_settype(const struct nftl_sel *s)
{
	return s->proto[0] == '@' ? nftl_raw_settype(s->len)
				  : nftl_dtype_settype(s->dtype, s->len);
}

int nft_typeof_check(const struct linx_value *v, const struct nft_keytype *kt,
		     const char **why)
{
	const struct nftl_sel *s;
	struct nftl_raw raw;
	unsigned n;

	*why = NULL;
	if (v->type == LINX_STRING && streq(v->str, "verdict")) {
		if (!kt->verdict)
			*why = "verdict needs data_type verdict";
		return *why ? -EINVAL : 0;
	}
	if (kt->verdict || kt->object) {
		*why = "must be verdict for this data_type";
		return -EINVAL;
	}
	n = v->type == LINX_LIST ? v->len : 1;
	if ((v->type != LINX_STRING && v->type != LINX_LIST) || n != kt->n ||
	    (v->type == LINX_LIST && n < 2)) {
		*why = "one selector per component of the type";
		return -EINVAL;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct linx_value *c = v->type == LINX_LIST ? &v->items[i]
								  : v;

		if (c->type != LINX_STRING ||
		    !(s = nftl_typeof_sel(c->str, &raw))) {
			*why = "an unsupported selector";
			return -EINVAL;
		}
		const char *name = sel_settype(s);

		if (!name || !streq(name, kt->t[i]->name)) {
			*why = "a selector whose type differs from the type's";
			return -EINVAL;
		}
	}
	return 0;
}

bool nft_typeof_one_byte_host(const struct linx_value *v, bool *ret_host)
{
	const struct nftl_sel *s;
	struct nftl_raw raw;

	if (!v || v->type != LINX_STRING || !(s = nftl_typeof_sel(v->str, &raw)))
		return false;
	/* nftables' expression byte orders: payload fields are network
	 * order; meta and ct keys host order, but ct protocol (as
	 * nftl_sel_hton_size() has it) */
	*ret_host = s->kind != SEL_PAYLOAD &&
		    !(s->kind == SEL_CT && streq(s->key, "protocol"));
	return true;
}

int nft_typeof_put(struct nftnl_udata_buf *u, uint8_t type,
		   const struct linx_value *v)
{
	struct tlvbuf t = { .n = 0 };
	struct nftl_raw raw;

	if (v->type == LINX_STRING && streq(v->str, "verdict")) {
		tlv_u32(&t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_VERDICT);
		tlv_close(&t, tlv_open(&t, NFTNL_UDATA_SET_TYPEOF_DATA));
	} else if (v->type == LINX_STRING) {
		put_sel(&t, nftl_typeof_sel(v->str, &raw));
	} else {
		size_t d;

		tlv_u32(&t, NFTNL_UDATA_SET_TYPEOF_EXPR, TO_CONCAT);
		d = tlv_open(&t, NFTNL_UDATA_SET_TYPEOF_DATA);
		for (uint32_t i = 0; i < v->len; i++) {
			size_t c = tlv_open(&t, (uint8_t)i);

			put_sel(&t, nftl_typeof_sel(v->items[i].str, &raw));
			tlv_close(&t, c);
		}
		tlv_close(&t, d);
	}
	if (t.over || !nftnl_udata_put(u, type, (uint32_t)t.n, t.b))
		return -EMSGSIZE;
	return 0;
}

/* ---- reading ------------------------------------------------------------- */

/* The TLVs of b[0..n) by type (types above `max` ignored): false if a
 * length runs past the end. */
static bool tlv_index(const uint8_t *b, size_t n, const uint8_t **v,
		      uint8_t *len, unsigned max)
{
	size_t i = 0;

	for (unsigned k = 0; k <= max; k++)
		v[k] = NULL;
	while (n - i >= 2) {
		if (b[i + 1] > n - i - 2)
			return false;
		if (b[i] <= max) {
			v[b[i]] = b + i + 2;
			len[b[i]] = b[i + 1];
		}
		i += 2 + b[i + 1];
	}
	return i == n;
}

static bool tlv_get_u32(const uint8_t *const *v, const uint8_t *len,
			unsigned type, uint32_t *ret)
{
	if (!v[type] || len[type] != 4)
		return false;
	memcpy(ret, v[type], 4);
	return true;
}

/* A raw payload's data {DESC 0, FIELD 0, BASE, OFFSET, LEN}: its text
 * ("@nh,64,8") in buf, when it is one a typeof of ours takes. */
static bool read_raw(const uint8_t *const *dv, const uint8_t *dlen,
		     char *buf, size_t cap)
{
	static const char *const bases[] = { "ll", "nh", "th" };
	struct nftl_raw raw;
	const struct nftl_sel *s;
	uint32_t base, off, len;
	char text[48];

	if (!tlv_get_u32(dv, dlen, TO_PL_BASE, &base) ||
	    !tlv_get_u32(dv, dlen, TO_PL_OFFSET, &off) ||
	    !tlv_get_u32(dv, dlen, TO_PL_LEN, &len) || base < 1 || base > 3)
		return false;
	snprintf(text, sizeof(text), "@%s,%u,%u", bases[base - 1], off, len);
	s = nftl_typeof_sel(text, &raw);
	return s && (size_t)snprintf(buf, cap, "%s", text) < cap;
}

/* One selector's {EXPR, DATA}: its text in buf. */
static bool read_sel(const uint8_t *b, size_t n, char *buf, size_t cap)
{
	const uint8_t *v[5], *dv[5];
	uint8_t len[5], dlen[5];
	uint32_t kind, a, f;
	const char *name = NULL;
	const struct nftl_sel *s = NULL;

	if (!tlv_index(b, n, v, len, 1) ||
	    !tlv_get_u32(v, len, NFTNL_UDATA_SET_TYPEOF_EXPR, &kind) ||
	    !v[NFTNL_UDATA_SET_TYPEOF_DATA] ||
	    !tlv_index(v[1], len[1], dv, dlen, 4))
		return false;
	switch (kind) {
	case TO_PAYLOAD:
		if (!tlv_get_u32(dv, dlen, TO_PL_DESC, &a) ||
		    !tlv_get_u32(dv, dlen, TO_PL_FIELD, &f))
			return false;
		if (a == 0 && f == 0)
			return read_raw(dv, dlen, buf, cap);
		for (size_t i = 0; i < N(to_fields) && !s; i++)
			if (to_fields[i].desc == a && to_fields[i].index == f)
				s = nftl_sel_find(to_fields[i].proto,
						  to_fields[i].field);
		/* a raw payload (base, offset, len) is no selector of
		 * ours; a plain integer field has its width */
		if (!s || !nftl_sel_typeof_ok(s) || dv[TO_PL_BASE] ||
		    dv[TO_PL_OFFSET] ||
		    (s->dtype == DT_INT) != (dv[TO_PL_LEN] != NULL) ||
		    (dv[TO_PL_LEN] && (!tlv_get_u32(dv, dlen, TO_PL_LEN, &a) ||
				       a != s->len * 8u)))
			return false;
		break;
	case TO_META:
		if (!tlv_get_u32(dv, dlen, TO_KEY, &a) ||
		    !(name = nftl_sym_name(to_meta, N(to_meta), a)))
			return false;
		s = nftl_sel_find("meta", name);
		break;
	case TO_CT:
		if (!tlv_get_u32(dv, dlen, TO_KEY, &a))
			return false;
		if (tlv_get_u32(dv, dlen, TO_CT_DIR, &f) && f != UINT32_MAX) {
			if (f > 1 ||
			    !(name = nftl_sym_name(to_ct_dir, N(to_ct_dir), a)))
				return false;
			s = ct_dir_find(f == 0, name);
			break;
		}
		if (!(name = nftl_sym_name(to_ct, N(to_ct), a)))
			return false;
		s = nftl_sel_find("ct", name);
		break;
	default:
		return false;
	}
	if (!s)
		return false;
	return (size_t)snprintf(buf, cap, "%s %s", s->proto, s->field) < cap;
}

/* The widths of a concatenation's integer components from `v`'s
 * selectors, into fit: each must fill the slot the wire gave it.  A
 * host-order selector (ct zone, meta cpu) makes its component a
 * host_integer: nftables says so nowhere else. */
static void fit_integers(const struct linx_value *v,
			 const struct nft_keytype *kt, struct nft_keytype *fit)
{
	*fit = *kt;
	if (v->type != LINX_LIST || v->len != kt->n)
		return;
	for (unsigned i = 0; i < kt->n; i++) {
		struct nftl_raw raw;
		const struct nftl_sel *s = nftl_typeof_sel(v->items[i].str, &raw);
		const char *name =
			s ? sel_settype(s) : NULL;
		const struct nft_type *t = name ? nft_type_by_name(name) : NULL;

		if (t && t->id == kt->t[i]->id && !kt->t[i]->host_order &&
		    (t->len + 3) / 4 == (kt->t[i]->len + 3) / 4)
			fit->t[i] = t;
	}
}

bool nft_typeof_parse(const uint8_t *b, size_t n, struct nft_keytype *kt,
		      struct linx_value *ret)
{
	const uint8_t *v[2], *cv[NFT_CONCAT_MAX];
	uint8_t len[2], clen[NFT_CONCAT_MAX];
	uint32_t kind;
	char text[32];
	const char *why;
	struct nft_keytype fit;

	*ret = linx_value_nil();
	if (!tlv_index(b, n, v, len, 1) ||
	    !tlv_get_u32(v, len, NFTNL_UDATA_SET_TYPEOF_EXPR, &kind) ||
	    !v[NFTNL_UDATA_SET_TYPEOF_DATA])
		return false;
	if (kind == TO_VERDICT) {
		linx_value_cstring(ret, "verdict");
	} else if (kind == TO_CONCAT) {
		if (!tlv_index(v[1], len[1], cv, clen, NFT_CONCAT_MAX - 1))
			return false;
		*ret = linx_value_list();
		for (unsigned i = 0; i < NFT_CONCAT_MAX && cv[i]; i++) {
			if (!read_sel(cv[i], clen[i], text, sizeof(text)))
				goto bad;
			linx_list_push_cstring(ret, text);
		}
	} else {
		if (!read_sel(b, n, text, sizeof(text)))
			return false;
		linx_value_cstring(ret, text);
	}
	if (linx_value_status(ret) < 0)
		goto bad;
	/* only selectors that say what the set's types say */
	fit_integers(ret, kt, &fit);
	if (nft_typeof_check(ret, &fit, &why) < 0)
		goto bad;
	*kt = fit;
	return true;
bad:
	linx_value_clear(ret);
	return false;
}
