/* SPDX-License-Identifier: MIT */
/*
 * Stateful objects (nft-internal.h): counters, quotas, limits, ct
 * helpers, ct timeouts, ct expectations, secmarks and synproxies.  One
 * table describes each kind's fields: the value key, the kernel
 * attribute inside NFTA_OBJ_DATA, and how the value maps onto it; the
 * checker, the encoder and the decoder all walk that table.
 */
#include <endian.h>
#include <errno.h>
#include <libnftnl/udata.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <stdio.h>
#include <string.h>

#include "nft-internal.h"

#define COMMENT_MAX 128
#define UDATA_MAX 256
#define MAX_ATTR 8

enum field_kind {
	F_U8,
	F_BE16,
	F_BE32,
	F_BE64,
	F_U32, /* host order: the kernel reads it with nla_get_u32 */
	F_STR, /* max = longest string */
	F_SYM8, /* a name from `syms`, as u8 */
	F_SYM16, /* ... as be16 */
	F_SYM32,
	F_SYM64,
	F_FLAGS32, /* a list of names from `syms` */
	F_CT_POLICY, /* ct timeout: map of state -> seconds */
};

struct field {
	const char *key;
	uint16_t attr;
	uint8_t kind;
	bool required;
	bool family_default; /* absent: the table's family (l3proto) */
	uint64_t max;
	const struct nft_sym *syms;
};

struct obj_kind {
	const char *name;
	uint32_t type;
	const struct field *fields;
};

static const struct nft_sym l4protos[] = {
	{ "icmp", 1 }, { "tcp", 6 },	  { "udp", 17 },      { "dccp", 33 },
	{ "icmpv6", 58 }, { "sctp", 132 }, { "udplite", 136 }, { NULL, 0 },
};

static const struct nft_sym limit_units[] = {
	{ "second", 1 }, { "minute", 60 },    { "hour", 3600 },
	{ "day", 86400 }, { "week", 604800 }, { NULL, 0 },
};

static const struct nft_sym limit_types[] = {
	{ "packets", NFT_LIMIT_PKTS },
	{ "bytes", NFT_LIMIT_PKT_BYTES },
	{ NULL, 0 },
};

static const struct nft_sym limit_flags[] = {
	{ "inv", NFT_LIMIT_F_INV },
	{ NULL, 0 },
};

static const struct nft_sym quota_flags[] = {
	{ "inv", NFT_QUOTA_F_INV },
	{ "depleted", NFT_QUOTA_F_DEPLETED },
	{ NULL, 0 },
};

static const struct nft_sym synproxy_flags[] = {
	{ "sack_perm", NF_SYNPROXY_OPT_SACK_PERM },
	{ "timestamp", NF_SYNPROXY_OPT_TIMESTAMP },
	{ NULL, 0 },
};

static const struct field counter_fields[] = {
	{ "packets", NFTA_COUNTER_PACKETS, F_BE64, false, false, UINT64_MAX,
	  NULL },
	{ "bytes", NFTA_COUNTER_BYTES, F_BE64, false, false, UINT64_MAX, NULL },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field quota_fields[] = {
	{ "bytes", NFTA_QUOTA_BYTES, F_BE64, true, false, INT64_MAX, NULL },
	{ "used", NFTA_QUOTA_CONSUMED, F_BE64, false, false, INT64_MAX, NULL },
	{ "flags", NFTA_QUOTA_FLAGS, F_FLAGS32, false, false, 0, quota_flags },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field limit_fields[] = {
	{ "rate", NFTA_LIMIT_RATE, F_BE64, true, false, UINT64_MAX, NULL },
	{ "unit", NFTA_LIMIT_UNIT, F_SYM64, true, false, 0, limit_units },
	{ "burst", NFTA_LIMIT_BURST, F_BE32, false, false, UINT32_MAX, NULL },
	{ "type", NFTA_LIMIT_TYPE, F_SYM32, false, false, 0, limit_types },
	{ "flags", NFTA_LIMIT_FLAGS, F_FLAGS32, false, false, 0, limit_flags },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field ct_helper_fields[] = {
	{ "type", NFTA_CT_HELPER_NAME, F_STR, true, false, 15, NULL },
	{ "protocol", NFTA_CT_HELPER_L4PROTO, F_SYM8, true, false, 0,
	  l4protos },
	{ "l3proto", NFTA_CT_HELPER_L3PROTO, F_SYM16, false, true, 0,
	  nft_families },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field ct_timeout_fields[] = {
	{ "protocol", NFTA_CT_TIMEOUT_L4PROTO, F_SYM8, true, false, 0,
	  l4protos },
	{ "l3proto", NFTA_CT_TIMEOUT_L3PROTO, F_SYM16, false, true, 0,
	  nft_families },
	{ "policy", NFTA_CT_TIMEOUT_DATA, F_CT_POLICY, true, false, 0, NULL },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field ct_expect_fields[] = {
	{ "protocol", NFTA_CT_EXPECT_L4PROTO, F_SYM8, true, false, 0,
	  l4protos },
	{ "l3proto", NFTA_CT_EXPECT_L3PROTO, F_SYM16, false, true, 0,
	  nft_families },
	{ "dport", NFTA_CT_EXPECT_DPORT, F_BE16, true, false, UINT16_MAX,
	  NULL },
	{ "timeout", NFTA_CT_EXPECT_TIMEOUT, F_U32, true, false, UINT32_MAX,
	  NULL },
	{ "size", NFTA_CT_EXPECT_SIZE, F_U8, true, false, UINT8_MAX, NULL },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field secmark_fields[] = {
	{ "context", NFTA_SECMARK_CTX, F_STR, true, false, 255, NULL },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct field synproxy_fields[] = {
	{ "mss", NFTA_SYNPROXY_MSS, F_BE16, false, false, UINT16_MAX, NULL },
	{ "wscale", NFTA_SYNPROXY_WSCALE, F_U8, false, false, 14, NULL },
	{ "flags", NFTA_SYNPROXY_FLAGS, F_FLAGS32, false, false, 0,
	  synproxy_flags },
	{ NULL, 0, 0, false, false, 0, NULL },
};

static const struct obj_kind kinds[] = {
	{ "counter", NFT_OBJECT_COUNTER, counter_fields },
	{ "quota", NFT_OBJECT_QUOTA, quota_fields },
	{ "limit", NFT_OBJECT_LIMIT, limit_fields },
	{ "ct_helper", NFT_OBJECT_CT_HELPER, ct_helper_fields },
	{ "ct_timeout", NFT_OBJECT_CT_TIMEOUT, ct_timeout_fields },
	{ "ct_expect", NFT_OBJECT_CT_EXPECT, ct_expect_fields },
	{ "secmark", NFT_OBJECT_SECMARK, secmark_fields },
	{ "synproxy", NFT_OBJECT_SYNPROXY, synproxy_fields },
};

/* ct timeout states per layer 4 protocol (CTA_TIMEOUT_<P>_<STATE>). */
static const struct nft_sym tcp_states[] = {
	{ "syn_sent", CTA_TIMEOUT_TCP_SYN_SENT },
	{ "syn_recv", CTA_TIMEOUT_TCP_SYN_RECV },
	{ "established", CTA_TIMEOUT_TCP_ESTABLISHED },
	{ "fin_wait", CTA_TIMEOUT_TCP_FIN_WAIT },
	{ "close_wait", CTA_TIMEOUT_TCP_CLOSE_WAIT },
	{ "last_ack", CTA_TIMEOUT_TCP_LAST_ACK },
	{ "time_wait", CTA_TIMEOUT_TCP_TIME_WAIT },
	{ "close", CTA_TIMEOUT_TCP_CLOSE },
	{ "syn_sent2", CTA_TIMEOUT_TCP_SYN_SENT2 },
	{ "retrans", CTA_TIMEOUT_TCP_RETRANS },
	{ "unacknowledged", CTA_TIMEOUT_TCP_UNACK },
	{ NULL, 0 },
};

static const struct nft_sym udp_states[] = {
	{ "unreplied", CTA_TIMEOUT_UDP_UNREPLIED },
	{ "replied", CTA_TIMEOUT_UDP_REPLIED },
	{ NULL, 0 },
};

static const struct nft_sym *ct_states(uint8_t l4)
{
	return l4 == 6 ? tcp_states : l4 == 17 ? udp_states : NULL;
}

static const struct obj_kind *kind_by_name(const char *name)
{
	if (strcmp(name, "ct_expectation") == 0)
		name = "ct_expect";
	for (size_t i = 0; i < NFT_ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

static const struct obj_kind *kind_by_type(uint32_t type)
{
	for (size_t i = 0; i < NFT_ARRAY_SIZE(kinds); i++)
		if (kinds[i].type == type)
			return &kinds[i];
	return NULL;
}

uint32_t nft_object_type(const char *kind)
{
	const struct obj_kind *k = kind ? kind_by_name(kind) : NULL;

	return k ? k->type : 0;
}

const char *nft_object_kind(uint32_t type)
{
	const struct obj_kind *k = kind_by_type(type);

	return k ? k->name : NULL;
}

/* ---- checking and encoding ---------------------------------------------------- */

struct obj_ctx {
	uint8_t family;
	const char *object; /* "inet/fw/counter c1" */
	struct linx_error *err;
	struct nft_msgbuf *b; /* NULL: check only */
};

static int bad(const struct obj_ctx *c, const char *fmt, const char *a,
	       const char *b2)
{
	return nft_bad(c->err, "bad_object", c->object, fmt, a, b2);
}

static int put_ct_policy(const struct obj_ctx *c, const struct field *f,
			 const struct linx_value *v, uint8_t l4)
{
	const struct nft_sym *states = ct_states(l4);
	size_t nest = 0;
	int64_t attr;
	uint64_t secs;

	if (!states)
		return bad(c, "%s: only tcp and udp timeouts are modelled%s",
			   f->key, "");
	if (v->type != LINX_MAP)
		return bad(c, "%s: expected a map of state to seconds%s",
			   f->key, "");
	if (c->b)
		nest = nft_nest_begin(c->b, f->attr);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_pair *p = &v->pairs[i];

		if (!nft_sym_val(states, p->key, &attr))
			return bad(c, "policy: unknown state %s%s", p->key, "");
		if (!linx_value_get_u64(&p->value, &secs) || secs > UINT32_MAX)
			return bad(c, "policy: %s: expected seconds%s", p->key,
				   "");
		if (c->b)
			nft_put_be32(c->b, (uint16_t)attr, (uint32_t)secs);
	}
	if (c->b)
		nft_nest_end(c->b, nest);
	return 0;
}

static int put_field(const struct obj_ctx *c, const struct field *f,
		     const struct linx_value *obj, uint8_t l4)
{
	const struct linx_value *v = linx_map_get(obj, f->key);
	struct nft_msgbuf *b = c->b;
	uint64_t u = 0;
	int64_t s;
	uint32_t mask;

	if (v && v->type == LINX_NIL)
		v = NULL;
	if (!v && f->family_default) {
		if (c->family != NFPROTO_IPV4 && c->family != NFPROTO_IPV6 &&
		    c->family != NFPROTO_INET)
			return bad(c, "%s: required in this family%s", f->key,
				   "");
		if (b)
			nft_put_be16(b, f->attr, c->family);
		return 0;
	}
	if (!v)
		return f->required ? bad(c, "%s: required%s", f->key, "") : 0;
	switch (f->kind) {
	case F_U8:
	case F_BE16:
	case F_BE32:
	case F_BE64:
	case F_U32:
		if (!linx_value_get_u64(v, &u) || u > f->max) {
			char max[24];

			snprintf(max, sizeof(max), "%llu",
				 (unsigned long long)f->max);
			return bad(c, "%s: expected an integer 0..%s", f->key,
				   max);
		}
		break;
	case F_STR:
		if (v->type != LINX_STRING || v->len == 0 || v->len > f->max)
			return bad(c, "%s: expected a string (1..%s bytes)",
				   f->key, f->max == 15 ? "15" : "255");
		break;
	case F_SYM8:
	case F_SYM16:
	case F_SYM32:
	case F_SYM64:
		if (v->type != LINX_STRING || !nft_sym_val(f->syms, v->str, &s))
			return bad(c, "%s: unknown value %s", f->key,
				   v->type == LINX_STRING ? v->str : "");
		u = (uint64_t)s;
		break;
	case F_FLAGS32:
		if (nft_flags_from_value(f->syms, v, "bad_object", &mask,
					 c->err))
			return bad(c, "%s: unknown flag%s", f->key, "");
		u = mask;
		break;
	case F_CT_POLICY:
		return put_ct_policy(c, f, v, l4);
	}
	if (!b)
		return 0;
	switch (f->kind) {
	case F_U8:
	case F_SYM8:
		nft_put_u8(b, f->attr, (uint8_t)u);
		break;
	case F_BE16:
	case F_SYM16:
		nft_put_be16(b, f->attr, (uint16_t)u);
		break;
	case F_BE32:
	case F_SYM32:
	case F_FLAGS32:
		nft_put_be32(b, f->attr, (uint32_t)u);
		break;
	case F_BE64:
	case F_SYM64:
		nft_put_be64(b, f->attr, u);
		break;
	case F_U32: {
		uint32_t h = (uint32_t)u;

		nft_put(b, f->attr, &h, sizeof(h));
		break;
	}
	case F_STR:
		nft_put_strz(b, f->attr, v->str);
		break;
	}
	return 0;
}

static bool known_key(const struct obj_kind *k, const char *key)
{
	static const char *const common[] = { "kind", "name", "comment",
					      "handle", "use" };

	for (size_t i = 0; i < NFT_ARRAY_SIZE(common); i++)
		if (strcmp(common[i], key) == 0)
			return true;
	for (const struct field *f = k->fields; f->key; f++)
		if (strcmp(f->key, key) == 0)
			return true;
	return false;
}

/* Check (c->b NULL) or write (NEWOBJ attributes after the header). */
static int obj_walk(struct obj_ctx *c, const struct linx_value *o,
		    const char *table, char *object, size_t object_len)
{
	const struct obj_kind *k;
	const char *kind, *name, *comment = NULL;
	const struct linx_value *proto;
	int64_t l4 = 0;
	bool has;
	size_t data;
	int rc;

	c->object = NULL;
	if (!o || o->type != LINX_MAP)
		return nft_bad(c->err, "bad_object", NULL, "expected a map");
	if ((rc = nft_get_str(o, "kind", "bad_object", NULL, &kind, c->err)) ||
	    (rc = nft_get_str(o, "name", "bad_object", NULL, &name, c->err)))
		return rc;
	if (!*name || strlen(name) >= NFT_OBJ_MAXNAMELEN)
		return nft_bad(c->err, "bad_object", NULL, "name: 1..%d bytes",
			       NFT_OBJ_MAXNAMELEN - 1);
	snprintf(object, object_len, "%s/%s/%s %s",
		 nft_sym_name(nft_families, c->family)
			 ? nft_sym_name(nft_families, c->family)
			 : "?",
		 table ? table : "?", kind, name);
	c->object = object;
	k = kind_by_name(kind);
	if (!k)
		return bad(c, "unknown kind: %s%s", kind, "");
	for (uint32_t i = 0; i < o->len; i++)
		if (!known_key(k, o->pairs[i].key))
			return bad(c, "%s: not a field of a %s", o->pairs[i].key,
				   k->name);
	rc = nft_get_str(o, "comment", "bad_object", &has, &comment, c->err);
	if (rc)
		return bad(c, "comment: expected a string%s%s", "", "");
	if (has && strlen(comment) > COMMENT_MAX)
		return bad(c, "comment: at most 128 bytes%s%s", "", "");
	proto = linx_map_get(o, "protocol");
	if (proto && proto->type == LINX_STRING)
		nft_sym_val(l4protos, proto->str, &l4);
	if (c->b) {
		nft_put_strz(c->b, NFTA_OBJ_TABLE, table);
		nft_put_strz(c->b, NFTA_OBJ_NAME, name);
		nft_put_be32(c->b, NFTA_OBJ_TYPE, k->type);
	}
	data = c->b ? nft_nest_begin(c->b, NFTA_OBJ_DATA) : 0;
	for (const struct field *f = k->fields; f->key; f++) {
		struct obj_ctx check_only = *c;

		/* synproxy flags are written below, with the implied bits */
		check_only.b = NULL;
		rc = put_field(k->type == NFT_OBJECT_SYNPROXY &&
					       f->attr == NFTA_SYNPROXY_FLAGS
				       ? &check_only
				       : c,
			       f, o, (uint8_t)l4);
		if (rc)
			return rc;
	}
	if (c->b && k->type == NFT_OBJECT_SYNPROXY) {
		/* nftables announces the options it sets. */
		const struct linx_value *fl = linx_map_get(o, "flags");
		uint32_t mask = 0;

		nft_flags_from_value(synproxy_flags, fl, "bad_object", &mask,
				     c->err);
		if (linx_map_get(o, "mss"))
			mask |= NF_SYNPROXY_OPT_MSS;
		if (linx_map_get(o, "wscale"))
			mask |= NF_SYNPROXY_OPT_WSCALE;
		nft_put_be32(c->b, NFTA_SYNPROXY_FLAGS, mask);
	}
	if (c->b)
		nft_nest_end(c->b, data);
	if (c->b && has) {
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(UDATA_MAX);

		if (!u)
			return -ENOMEM;
		nftnl_udata_put_strz(u, NFTNL_UDATA_OBJ_COMMENT, comment);
		nft_put(c->b, NFTA_OBJ_USERDATA, nftnl_udata_buf_data(u),
			nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	return 0;
}

int nft_object_check(uint8_t family, const char *table,
		     const struct linx_value *o, struct linx_error *err)
{
	struct obj_ctx c = { .family = family, .err = err };
	char object[96];

	return obj_walk(&c, o, table, object, sizeof(object));
}

int nft_object_put(struct nft_enc *e, const struct linx_value *o,
		   uint16_t flags)
{
	struct obj_ctx c = { .family = e->family, .err = e->err };
	char object[96];
	size_t off;
	int rc = obj_walk(&c, o, e->table, object, sizeof(object));

	if (rc)
		return rc;
	c.b = &e->bt->buf;
	off = nft_batch_msg(e->bt, NFT_MSG_NEWOBJ, NLM_F_CREATE | flags,
			    e->family, "newobj", "%s", object);
	rc = obj_walk(&c, o, e->table, object, sizeof(object));
	nft_msg_end(c.b, off);
	if (rc)
		return rc;
	return c.b->error ? c.b->error : e->bt->error;
}

void nft_object_put_delete(struct nft_batch *bt, uint8_t family,
			   const char *table, const struct linx_value *o)
{
	const struct linx_value *kind = linx_map_get(o, "kind");
	const struct linx_value *name = linx_map_get(o, "name");
	const struct obj_kind *k = NULL;
	uint64_t type = 0;
	size_t off;

	if (kind && kind->type == LINX_STRING)
		k = kind_by_name(kind->str);
	else if (kind)
		linx_value_get_u64(kind, &type);
	if (k)
		type = k->type;
	off = nft_batch_msg(bt, NFT_MSG_DELOBJ, 0, family, "delobj",
			    "%s/%s/%s %s",
			    nft_sym_name(nft_families, family)
				    ? nft_sym_name(nft_families, family)
				    : "?",
			    table, k ? k->name : "object",
			    name && name->type == LINX_STRING ? name->str : "?");
	nft_put_strz(&bt->buf, NFTA_OBJ_TABLE, table);
	if (name && name->type == LINX_STRING)
		nft_put_strz(&bt->buf, NFTA_OBJ_NAME, name->str);
	nft_put_be32(&bt->buf, NFTA_OBJ_TYPE, (uint32_t)type);
	nft_msg_end(&bt->buf, off);
}

/* ---- decoding ------------------------------------------------------------------- */

static int get_ct_policy(const struct nlattr *a, uint8_t l4,
			 struct linx_value *ret)
{
	const struct nft_sym *states = ct_states(l4);
	const struct nlattr *t;

	*ret = linx_value_map();
	mnl_attr_for_each_nested(t, a) {
		const char *name;
		uint16_t type = t->nla_type & NLA_TYPE_MASK;

		if (mnl_attr_get_payload_len(t) < 4)
			continue;
		name = states ? nft_sym_name(states, type) : NULL;
		if (name)
			linx_map_put_uint(ret, name,
					  be32toh(linx_nl_u32(t, 0)));
	}
	return nft_built(ret);
}

static void get_field(const struct field *f, const struct nlattr *a,
		      uint8_t l4, uint32_t type, struct linx_value *obj)
{
	struct linx_value v;
	uint64_t u = 0;
	const char *name;

	switch (f->kind) {
	case F_U8:
	case F_SYM8:
		u = linx_nl_u8(a, 0);
		break;
	case F_BE16:
	case F_SYM16:
		u = be16toh(linx_nl_u16(a, 0));
		break;
	case F_BE32:
	case F_SYM32:
	case F_FLAGS32:
		u = be32toh(linx_nl_u32(a, 0));
		break;
	case F_BE64:
	case F_SYM64:
		u = be64toh(linx_nl_u64(a, 0));
		break;
	case F_U32:
		u = linx_nl_u32(a, 0);
		break;
	case F_STR: {
		char s[256];

		linx_nl_str(a, s, sizeof(s));
		if (linx_utf8_valid(s, strlen(s)))
			linx_map_put_cstring(obj, f->key, s);
		return;
	}
	case F_CT_POLICY:
		if (get_ct_policy(a, l4, &v) == 0)
			linx_map_put(obj, f->key, &v);
		else
			linx_value_clear(&v);
		return;
	}
	switch (f->kind) {
	case F_SYM8:
	case F_SYM16:
	case F_SYM32:
	case F_SYM64:
		name = nft_sym_name(f->syms, (int64_t)u);
		if (name)
			linx_map_put_cstring(obj, f->key, name);
		else
			linx_map_put_uint(obj, f->key, u);
		return;
	case F_FLAGS32:
		if (type == NFT_OBJECT_SYNPROXY)
			u &= ~(uint64_t)(NF_SYNPROXY_OPT_MSS |
					 NF_SYNPROXY_OPT_WSCALE);
		if (!u)
			return;
		nft_flags_to_value(f->syms, (uint32_t)u, &v);
		linx_map_put(obj, f->key, &v);
		return;
	default:
		linx_map_put_uint(obj, f->key, u);
	}
}

static uint8_t policy_kind(uint8_t k)
{
	switch (k) {
	case F_U8:
	case F_SYM8:
		return LINX_NL_U8;
	case F_BE16:
	case F_SYM16:
		return LINX_NL_U16;
	case F_BE32:
	case F_SYM32:
	case F_FLAGS32:
	case F_U32:
		return LINX_NL_U32;
	case F_BE64:
	case F_SYM64:
		return LINX_NL_U64;
	case F_STR:
		return LINX_NL_STRING;
	default:
		return LINX_NL_NESTED;
	}
}

int nft_object_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		     struct linx_value *ret)
{
	static const struct linx_nl_policy pol[NFTA_OBJ_MAX + 1] = {
		[NFTA_OBJ_TABLE] = { LINX_NL_STRING, 0 },
		[NFTA_OBJ_NAME] = { LINX_NL_STRING, 0 },
		[NFTA_OBJ_TYPE] = { LINX_NL_U32, 0 },
		[NFTA_OBJ_DATA] = { LINX_NL_NESTED, 0 },
		[NFTA_OBJ_USE] = { LINX_NL_U32, 0 },
		[NFTA_OBJ_HANDLE] = { LINX_NL_U64, 0 },
		[NFTA_OBJ_USERDATA] = { LINX_NL_ANY, 0 },
	};
	const struct nlattr *tb[NFTA_OBJ_MAX + 1], *td[MAX_ATTR + 1];
	struct linx_nl_policy dpol[MAX_ATTR + 1];
	const struct obj_kind *k;
	const struct nfgenmsg *g;
	char name[NFT_OBJ_MAXNAMELEN];
	uint32_t type;
	uint8_t l4 = 0;

	*ret = linx_value_nil();
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), pol, NFTA_OBJ_MAX,
			      tb) < 0)
		return -EBADMSG;
	if (!tb[NFTA_OBJ_TABLE] || !tb[NFTA_OBJ_NAME] || !tb[NFTA_OBJ_TYPE])
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(tb[NFTA_OBJ_TABLE], w->table, sizeof(w->table));
	linx_nl_str(tb[NFTA_OBJ_NAME], name, sizeof(name));
	type = be32toh(linx_nl_u32(tb[NFTA_OBJ_TYPE], 0));
	k = kind_by_type(type);

	*ret = linx_value_map();
	if (k)
		linx_map_put_cstring(ret, "kind", k->name);
	else
		linx_map_put_uint(ret, "kind", type);
	linx_map_put_cstring(ret, "name", name);
	if (k && tb[NFTA_OBJ_DATA]) {
		memset(dpol, 0, sizeof(dpol));
		for (const struct field *f = k->fields; f->key; f++)
			dpol[f->attr] = (struct linx_nl_policy){
				policy_kind(f->kind), 0
			};
		linx_nl_parse_nested(tb[NFTA_OBJ_DATA], dpol, MAX_ATTR, td);
		for (const struct field *f = k->fields; f->key; f++)
			if (f->kind == F_SYM8 && td[f->attr] &&
			    strcmp(f->key, "protocol") == 0)
				l4 = linx_nl_u8(td[f->attr], 0);
		for (const struct field *f = k->fields; f->key; f++)
			if (td[f->attr])
				get_field(f, td[f->attr], l4, type, ret);
	} else if (!k && tb[NFTA_OBJ_DATA]) {
		linx_map_put_bytes(ret, "raw",
				   mnl_attr_get_payload(tb[NFTA_OBJ_DATA]),
				   mnl_attr_get_payload_len(tb[NFTA_OBJ_DATA]));
	}
	if (tb[NFTA_OBJ_USERDATA]) {
		/* {type u8, len u8, value} entries, read within bounds. */
		const uint8_t *p = mnl_attr_get_payload(tb[NFTA_OBJ_USERDATA]);
		const uint8_t *end =
			p + mnl_attr_get_payload_len(tb[NFTA_OBJ_USERDATA]);

		while (end - p >= 2 && end - p - 2 >= p[1]) {
			if (p[0] == NFTNL_UDATA_OBJ_COMMENT && p[1] > 0 &&
			    linx_utf8_valid((const char *)p + 2,
					    strnlen((const char *)p + 2, p[1])))
				linx_map_put_string(
					ret, "comment", (const char *)p + 2,
					strnlen((const char *)p + 2, p[1]));
			p += 2 + p[1];
		}
	}
	if (tb[NFTA_OBJ_HANDLE])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[NFTA_OBJ_HANDLE], 0)));
	return nft_built(ret);
}
