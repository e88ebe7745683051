/* SPDX-License-Identifier: MIT */
/*
 * Expressions <-> NFTA_RULE_EXPRESSIONS (nft-internal.h), driven by the
 * tables of expr-table.c.  One walk serves the validator and the encoder
 * (with no buffer it only checks), and the decoder reads the same tables,
 * so a value that encodes decodes back to itself.
 *
 * Sugar on input: a verdict alone is an immediate into register 0;
 * payload's "field" names base, offset and len; set_literal is an
 * anonymous constant set (emitted by nft_exprs_emit_anon_sets() before
 * the rule) and a lookup of it; dnat_to / snat_to are the immediates of
 * an address (and a port) and the nat reading them, and masq / redir with
 * a "port" the immediates of the ports and the expression.  An
 * expression the tables do not know is {"expr": name, "raw": bytes}: its
 * NFTA_EXPR_DATA payload, kept as is.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nf_nat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

/* Nested expressions (dynset's) go one level down, not more. */
#define EXPR_DEPTH_MAX 2
/* NFT_NAME_MAXLEN is 256 for names of sets and objects. */
#define NAME_MAX_BYTES 255
#define LOG_PREFIX_MAX 127 /* NF_LOG_PREFIXLEN - 1 */
/* nftables' templates; the kernel replaces %d with a free number. */
#define ANON_SET_NAME "__set%d"
#define ANON_MAP_NAME "__map%d"
#define ANON_OBJMAP_NAME "__objmap%d"

/* ---- the walk's context -------------------------------------------------- */

struct ectx {
	struct linx_error *err;
	char obj[128]; /* "inet/fw/input" */
	size_t idx; /* the expression's position in the rule */
	struct nft_msgbuf *b; /* NULL: validate only */
	const struct nft_anon *anons; /* the rule's anonymous sets */
	size_t n_anons, next_id;
	unsigned depth;
	uint8_t family; /* the table's NFPROTO_*, 0 when unknown */
	bool zero_omitted; /* put_field(): the FLAGS field's zero_omit holds */
};

static int bad(struct ectx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct ectx *c, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return nft_bad(c->err, "bad_expr", c->obj, "expression %zu: %s",
		       c->idx, detail);
}

/* A bad_verdict from verdict.c, restated with the rule and the
 * expression's position. */
static int verdict_where(struct ectx *c, int r)
{
	char detail[LINX_ERROR_MESSAGE_MAX];
	const char *msg;

	if (r != -EINVAL || !c->err ||
	    strcmp(c->err->param, "bad_verdict") != 0)
		return r;
	msg = c->err->message;
	if (strncmp(msg, "bad_verdict: ", 13) == 0)
		msg += 13;
	snprintf(detail, sizeof(detail), "%s", msg);
	return nft_bad(c->err, "bad_verdict", c->obj, "expression %zu: %.400s",
		       c->idx, detail);
}

static void ctx_init(struct ectx *c, const struct nft_enc *e,
		     struct linx_error *err)
{
	const char *fam = e ? nft_sym_name(nft_families, e->family) : NULL;

	memset(c, 0, sizeof(*c));
	c->err = err;
	c->family = e ? e->family : 0;
	if (e && e->table)
		snprintf(c->obj, sizeof(c->obj), "%s/%s%s%s", fam ? fam : "?",
			 e->table, e->chain ? "/" : "",
			 e->chain ? e->chain : "");
}

/*
 * Fields a sugar form supplies: looked up before the value's own map.
 * `v` points at `scalar` or at a value the caller keeps alive.
 */
struct overlay {
	size_t n;
	struct {
		const char *key;
		const struct linx_value *v;
		struct linx_value scalar;
	} e[6];
};

static void ov_uint(struct overlay *o, const char *key, uint64_t u)
{
	o->e[o->n].key = key;
	o->e[o->n].scalar = linx_value_uint(u);
	o->e[o->n].v = NULL; /* get() answers with &scalar */
	o->n++;
}

static void ov_ref(struct overlay *o, const char *key,
		   const struct linx_value *v)
{
	o->e[o->n].key = key;
	o->e[o->n].v = v;
	o->n++;
}

static const struct linx_value *get(const struct overlay *o,
				    const struct linx_value *map,
				    const char *key)
{
	const struct linx_value *v;

	for (size_t i = 0; o && i < o->n; i++)
		if (strcmp(o->e[i].key, key) == 0)
			return o->e[i].v ? o->e[i].v : &o->e[i].scalar;
	if (!map || map->type != LINX_MAP)
		return NULL;
	v = linx_map_get(map, key);
	return v && v->type != LINX_NIL ? v : NULL;
}

/* ---- fields: value -> wire ----------------------------------------------- */

static uint64_t width_max(unsigned w)
{
	return w >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * w)) - 1;
}

static void put_int(struct nft_msgbuf *b, uint16_t attr, unsigned w,
		    uint64_t u)
{
	switch (w) {
	case 1:
		nft_put_u8(b, attr, (uint8_t)u);
		break;
	case 2:
		nft_put_be16(b, attr, (uint16_t)u);
		break;
	case 8:
		nft_put_be64(b, attr, u);
		break;
	default:
		nft_put_be32(b, attr, (uint32_t)u);
		break;
	}
}

static bool reg_ok(uint64_t r)
{
	return r <= NFT_REG_4 || (r >= NFT_REG32_00 && r <= NFT_REG32_15);
}

static int read_flags(struct ectx *c, const struct nft_field *f,
		      const struct linx_value *v, uint64_t *ret)
{
	uint64_t mask = 0, u;
	int64_t bit;

	if (v->type != LINX_LIST)
		return bad(c, "%s: expected a list of flag names", f->name);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *x = &v->items[i];

		if (x->type == LINX_STRING && nft_sym_val(f->sym, x->str, &bit))
			u = (uint64_t)bit;
		else if (!linx_value_get_u64(x, &u))
			return bad(c, "%s: unknown flag %s", f->name,
				   x->type == LINX_STRING ? x->str
							  : "(not a string)");
		mask |= u;
	}
	if (mask > width_max(f->width))
		return bad(c, "%s: flags out of range", f->name);
	*ret = mask;
	return 0;
}

static int put_expr(struct ectx *c, const struct linx_value *v,
		    uint16_t elem_attr);

static int put_exprs_field(struct ectx *c, const struct nft_field *f,
			   const struct linx_value *v)
{
	size_t nest = 0, saved = c->idx;
	int r = 0;

	if (v->type != LINX_LIST)
		return bad(c, "%s: expected a list of expressions", f->name);
	if (c->depth + 1 >= EXPR_DEPTH_MAX)
		return bad(c, "%s: expressions nested too deeply", f->name);
	c->depth++;
	if (v->len == 1) {
		r = put_expr(c, &v->items[0], f->attr2);
	} else { /* several, or none: an empty list stays one */
		if (c->b)
			nest = nft_nest_begin(c->b, f->attr);
		for (uint32_t i = 0; i < v->len && r == 0; i++)
			r = put_expr(c, &v->items[i], NFTA_LIST_ELEM);
		if (c->b)
			nft_nest_end(c->b, nest);
	}
	c->depth--;
	c->idx = saved;
	return r;
}

static int put_field(struct ectx *c, const struct nft_field *f,
		     const struct linx_value *v, uint64_t flags_add)
{
	struct nft_msgbuf *b = c->b;
	uint64_t u = 0;
	int64_t s;
	size_t nest;

	switch (f->kind) {
	case NFT_F_INT:
		if (!linx_value_get_u64(v, &u) || u > width_max(f->width))
			return bad(c, "%s: expected an integer 0..%llu", f->name,
				   (unsigned long long)width_max(f->width));
		if (b)
			put_int(b, f->attr, f->width, u);
		return 0;
	case NFT_F_REG:
		if (!linx_value_get_u64(v, &u) || !reg_ok(u))
			return bad(c, "%s: register out of range (0..4, 8..23)",
				   f->name);
		if (b)
			nft_put_be32(b, f->attr, (uint32_t)u);
		return 0;
	case NFT_F_STR: {
		size_t max = strcmp(f->name, "prefix") == 0 ? LOG_PREFIX_MAX
							    : NAME_MAX_BYTES;

		if (v->type != LINX_STRING)
			return bad(c, "%s: expected a string", f->name);
		if (v->len > max)
			return bad(c, "%s: longer than %zu bytes", f->name, max);
		/* a name the kernel must find (flow_offload's flowtable) */
		if (f->required && v->len == 0)
			return bad(c, "%s: an empty name", f->name);
		if (b && f->width == 1)
			nft_put(b, f->attr, v->str, v->len);
		else if (b)
			nft_put_strz(b, f->attr, v->str);
		return 0;
	}
	case NFT_F_ENUM:
		if (v->type == LINX_STRING) {
			if (!nft_sym_val(f->sym, v->str, &s) &&
			    !(f->alias && nft_sym_val(f->alias, v->str, &s)))
				return bad(c, "%s: unknown value %s", f->name,
					   v->str);
			u = (uint64_t)s;
		} else if (!linx_value_get_u64(v, &u) ||
			   u > width_max(f->width)) {
			return bad(c, "%s: expected a name or an integer",
				   f->name);
		}
		if (b)
			put_int(b, f->attr, f->width, u);
		return 0;
	case NFT_F_FLAGS: {
		int r = read_flags(c, f, v, &u);

		if (r < 0)
			return r;
		u |= flags_add;
		if (b && !(u == 0 && c->zero_omitted))
			put_int(b, f->attr, f->width, u);
		return 0;
	}
	case NFT_F_DATA:
		if (v->type != LINX_BYTES)
			return bad(c, "%s: expected bytes", f->name);
		if (v->len == 0 || v->len > NFT_DATA_VALUE_MAXLEN)
			return bad(c, "%s: data of %u bytes (1..%d)", f->name,
				   v->len, NFT_DATA_VALUE_MAXLEN);
		if (b) {
			nest = nft_nest_begin(b, f->attr);
			nft_put(b, NFTA_DATA_VALUE, v->bytes, v->len);
			nft_nest_end(b, nest);
		}
		return 0;
	case NFT_F_VERDICT:
		return verdict_where(c, b ? nft_verdict_put(b, f->attr, v,
							     c->err)
					  : nft_verdict_check(v, c->err));
	case NFT_F_EXPRS:
		return put_exprs_field(c, f, v);
	default:
		return bad(c, "%s: internal: unknown field kind", f->name);
	}
}

/* ---- one expression: value -> wire --------------------------------------- */

static const struct nft_field *field_of(const struct nft_exprdef *d,
					const char *name)
{
	for (size_t i = 0; i < d->n_fields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return &d->fields[i];
	return NULL;
}

/* Copy a raw NFTA_EXPR_DATA payload attribute by attribute; it must be a
 * well-formed attribute stream. */
static int put_raw(struct ectx *c, const char *name,
		   const struct linx_value *raw)
{
	struct nlattr a;
	size_t off = 0;

	if (raw->type != LINX_BYTES)
		return bad(c, "%s: raw: expected bytes", name);
	if (raw->len > UINT16_MAX - 64)
		return bad(c, "%s: raw: too long", name);
	while (off < raw->len) {
		size_t rest = raw->len - off;

		if (rest < MNL_ATTR_HDRLEN)
			return bad(c, "%s: raw: truncated attribute", name);
		memcpy(&a, raw->bytes + off, sizeof(a));
		if (a.nla_len < MNL_ATTR_HDRLEN || a.nla_len > rest)
			return bad(c, "%s: raw: malformed attribute at %zu",
				   name, off);
		if (c->b)
			nft_put(c->b, a.nla_type,
				raw->bytes + off + MNL_ATTR_HDRLEN,
				a.nla_len - MNL_ATTR_HDRLEN);
		off += MNL_ALIGN(a.nla_len);
	}
	return 0;
}

/* Check every key of an expression map against its table. */
static int check_keys(struct ectx *c, const struct nft_exprdef *d,
		      const struct linx_value *v, const char *const *extra)
{
	const struct linx_value *name = linx_map_get(v, "expr");

	for (uint32_t i = 0; i < v->len; i++) {
		const char *k = v->pairs[i].key;
		bool ok = strcmp(k, "expr") == 0 || (d && field_of(d, k));

		for (size_t j = 0; !ok && extra && extra[j]; j++)
			ok = strcmp(k, extra[j]) == 0;
		if (!ok)
			return bad(c, "%s: unknown field %s",
				   name && name->type == LINX_STRING
					   ? name->str
					   : "?",
				   k);
	}
	return 0;
}

/* Write every field of `d` the value (or the overlay) has, in table
 * order, inside NFTA_EXPR_DATA. */
/* Whether a 0 in FLAGS field `f` stays out of the message (expr.h). */
static bool zero_unsent(const struct nft_field *f, const struct overlay *o,
			const struct linx_value *v)
{
	const char *z = f->zero_omit;

	return z && (!*z || strcmp(z, NFT_ZERO_UNSENT) == 0 || get(o, v, z));
}

static int put_fields(struct ectx *c, const struct nft_exprdef *d,
		      const struct overlay *o, const struct linx_value *v)
{
	uint64_t nat_add = 0;
	int r;

	/* nftables sets NF_NAT_RANGE_PROTO_SPECIFIED with port registers;
	 * the kernel adds NF_NAT_RANGE_MAP_IPS itself. */
	if (d->nat_flags && get(o, v, "reg_proto_min"))
		nat_add = NF_NAT_RANGE_PROTO_SPECIFIED;
	for (size_t i = 0; i < d->n_fields; i++) {
		const struct nft_field *f = &d->fields[i];
		const struct linx_value *x = get(o, v, f->name);

		if (!x) {
			if (f->kind == NFT_F_FLAGS && nat_add) {
				if (c->b)
					put_int(c->b, f->attr, f->width,
						nat_add);
				continue;
			}
			if (f->required)
				return bad(c, "%s: %s: required", d->name,
					   f->name);
			continue;
		}
		c->zero_omitted = zero_unsent(f, o, v);
		r = put_field(c, f, x, f->kind == NFT_F_FLAGS ? nat_add : 0);
		c->zero_omitted = false;
		if (r < 0)
			return r;
	}
	return 0;
}

static bool is_verdict_sugar(const struct linx_value *v)
{
	return v->type == LINX_STRING ||
	       (v->type == LINX_MAP && !linx_map_get(v, "expr"));
}

/*
 * An objref through an anonymous object map, as nftables writes `ct
 * helper set ... map { k : "name", ... }`: {"expr": "objref", "sreg": R,
 * "set": {"key_type": T, "data_type": KIND, "elements": [...]}}.  The map
 * itself was sent before the rule (nft_exprs_emit_anon_sets()); here the
 * objref names it by the name it was sent under and its batch id.
 */
static int put_objref_literal(struct ectx *c, const struct linx_value *v,
			      const struct linx_value *set)
{
	const struct linx_value *kt = linx_map_get(set, "key_type");
	const struct linx_value *dt = linx_map_get(set, "data_type");
	const struct linx_value *el = linx_map_get(set, "elements");
	const struct linx_value *sreg = get(NULL, v, "sreg");
	uint64_t reg = NFT_REG_1;
	const struct nft_anon *anon = NULL;
	size_t data = 0;

	if (c->depth > 0)
		return bad(c, "objref: an anonymous map is not allowed here");
	for (uint32_t i = 0; i < v->len; i++) {
		const char *k = v->pairs[i].key;

		if (strcmp(k, "expr") != 0 && strcmp(k, "set") != 0 &&
		    strcmp(k, "sreg") != 0)
			return bad(c, "objref: with an anonymous map, only "
				      "sreg and set (not %s)", k);
	}
	for (uint32_t i = 0; i < set->len; i++) {
		const char *k = set->pairs[i].key;

		if (strcmp(k, "key_type") != 0 && strcmp(k, "data_type") != 0 &&
		    strcmp(k, "elements") != 0)
			return bad(c, "objref: set: unknown field %s", k);
	}
	if (!kt || (kt->type != LINX_STRING && kt->type != LINX_LIST))
		return bad(c, "objref: set: key_type: required");
	if (!dt || dt->type != LINX_STRING)
		return bad(c, "objref: set: data_type: an object kind");
	if (!el || el->type != LINX_LIST || el->len == 0)
		return bad(c, "objref: set: elements: expected a non-empty "
			      "list");
	if (sreg && (!linx_value_get_u64(sreg, &reg) ||
		     !(reg <= NFT_REG_4 || (reg >= NFT_REG32_00 &&
					    reg <= NFT_REG32_15))))
		return bad(c, "objref: sreg: a register");
	if (c->b) {
		if (c->next_id >= c->n_anons)
			return bad(c, "objref: no anonymous map was emitted "
				      "for it");
		anon = &c->anons[c->next_id];
	}
	c->next_id++;
	if (!c->b)
		return 0;
	nft_put_strz(c->b, NFTA_EXPR_NAME, "objref");
	data = nft_nest_begin(c->b, NFTA_EXPR_DATA);
	nft_put_be32(c->b, NFTA_OBJREF_SET_SREG, (uint32_t)reg);
	nft_put_strz(c->b, NFTA_OBJREF_SET_NAME, anon->name);
	nft_put_be32(c->b, NFTA_OBJREF_SET_ID, anon->id);
	nft_nest_end(c->b, data);
	return 0;
}

static int anon_set_value(const struct linx_value *lit,
			  struct linx_value *ret);

/* A set literal's elements through nft_set_check(), as the anonymous
 * set the encoder sends for it; its error restated at the expression. */
static int check_set_literal(struct ectx *c, const struct linx_value *v)
{
	struct linx_error e;
	struct linx_value s;
	int r = anon_set_value(v, &s);

	if (r < 0)
		return linx_error_set(c->err, -r, "validate", NULL);
	linx_error_clear(&e);
	r = nft_set_check(c->family, "anonymous", &s, 0, &e);
	linx_value_clear(&s);
	if (r == 0)
		return 0;
	return bad(c, "set_literal: %s", e.message);
}

static int put_set_literal(struct ectx *c, const struct linx_value *v)
{
	static const char *const extra[] = { "key_type", "data_type",
					     "key_typeof", "data_typeof",
					     "data_interval", "elements",
					     NULL };
	const struct nft_exprdef *lk = nft_exprdef_find("lookup");
	const struct linx_value *kt = get(NULL, v, "key_type");
	const struct linx_value *el = get(NULL, v, "elements");
	struct overlay o = { 0 };
	const struct nft_anon *anon = NULL;
	size_t data = 0;
	int r;

	if (c->depth > 0)
		return bad(c, "set_literal: not allowed here");
	/* Only the lookup's sreg, dreg and flags, not its set. */
	for (uint32_t i = 0; i < v->len; i++) {
		const char *k = v->pairs[i].key;

		if (strcmp(k, "set") == 0 || strcmp(k, "set_id") == 0)
			return bad(c, "set_literal: unknown field %s", k);
	}
	r = check_keys(c, lk, v, extra);
	if (r < 0)
		return r;
	if (!kt || (kt->type != LINX_STRING && kt->type != LINX_LIST))
		return bad(c, "set_literal: key_type: required (a type name "
			      "or a list of them)");
	if (!el || el->type != LINX_LIST || el->len == 0)
		return bad(c, "set_literal: elements: expected a non-empty "
			      "list");
	/* Validating only: the elements get the checks the set they stand
	 * for gets when it is sent (overlapping intervals included). */
	if (!c->b && (r = check_set_literal(c, v)) < 0)
		return r;
	if (c->b) {
		if (c->next_id >= c->n_anons)
			return bad(c, "set_literal: no anonymous set was "
				      "emitted for it");
		anon = &c->anons[c->next_id];
	}
	c->next_id++;
	if (!get(NULL, v, "sreg"))
		ov_uint(&o, "sreg", NFT_REG_1);
	if (c->b) {
		nft_put_strz(c->b, NFTA_EXPR_NAME, "lookup");
		data = nft_nest_begin(c->b, NFTA_EXPR_DATA);
	}
	/* The lookup's fields in table order, the set by the name it was
	 * sent under and its batch id. */
	for (size_t i = 0; i < lk->n_fields; i++) {
		const struct nft_field *f = &lk->fields[i];
		const struct linx_value *x;

		if (f->attr == NFTA_LOOKUP_SET) {
			if (c->b)
				nft_put_strz(c->b, f->attr, anon->name);
			continue;
		}
		if (f->attr == NFTA_LOOKUP_SET_ID) {
			if (c->b)
				nft_put_be32(c->b, f->attr, anon->id);
			continue;
		}
		x = get(&o, v, f->name);
		c->zero_omitted = zero_unsent(f, &o, v);
		r = x ? put_field(c, f, x, 0) : 0;
		c->zero_omitted = false;
		if (r < 0)
			return r;
	}
	if (c->b)
		nft_nest_end(c->b, data);
	return 0;
}

/*
 * A meter (nft's `meter NAME size N { KEY STATEFUL }`): a dynset whose
 * "set" is the set itself, {"name": N, "key_type": T, "flags": [...],
 * "size": S}.  The set was sent before the rule, anonymous, so it lives
 * and dies with the rule, under the meter's own name
 * (nft_exprs_emit_anon_sets()); here the dynset names it and its batch
 * id, and is otherwise an ordinary dynset.
 */
static int put_meter(struct ectx *c, const struct linx_value *v,
		     const struct linx_value *set, uint16_t elem_attr)
{
	const struct linx_value *nm = linx_map_get(set, "name");
	struct linx_value tmp = linx_value_nil();
	uint32_t id = 0;
	int r;

	if (c->depth > 0)
		return bad(c, "dynset: a meter is not allowed here");
	if (!nm || nm->type != LINX_STRING || nm->len == 0 ||
	    nm->len >= NFT_NAME_MAXLEN)
		return bad(c, "dynset: set: name: required (the meter's name)");
	if (get(NULL, v, "set_id"))
		return bad(c, "dynset: set_id: not with a meter");
	if (c->b) {
		if (c->next_id >= c->n_anons)
			return bad(c, "dynset: no set was emitted for the "
				      "meter");
		id = c->anons[c->next_id].id;
	}
	c->next_id++;
	if ((r = linx_value_copy(&tmp, v)) < 0)
		return r;
	linx_map_put_cstring(&tmp, "set", nm->str);
	linx_map_put_int(&tmp, "set_id", id);
	r = linx_value_status(&tmp);
	if (r == 0)
		r = put_expr(c, &tmp, elem_attr);
	linx_value_clear(&tmp);
	return r;
}

/* One expression element: its name and the fields of `d` the value (or
 * the overlay) has.  libnftnl writes no NFTA_EXPR_DATA for an expression
 * without attributes (notrack), an empty one otherwise (counter). */
static int put_elem(struct ectx *c, const struct nft_exprdef *d,
		    const struct overlay *o, const struct linx_value *v,
		    uint16_t elem_attr)
{
	size_t elem = 0, data = 0;
	int r;

	if (c->b) {
		elem = nft_nest_begin(c->b, elem_attr);
		nft_put_strz(c->b, NFTA_EXPR_NAME, d->name);
		if (d->n_fields)
			data = nft_nest_begin(c->b, NFTA_EXPR_DATA);
	}
	r = put_fields(c, d, o, v);
	if (c->b) {
		if (d->n_fields)
			nft_nest_end(c->b, data);
		nft_nest_end(c->b, elem);
	}
	return r;
}

/* ---- dnat_to / snat_to ----------------------------------------------------- */

/* A NAT address: an IPv4 or IPv6 string, or its 4 or 16 bytes. */
static int nat_to_addr(struct ectx *c, const char *what,
		       const struct linx_value *a, uint8_t out[16],
		       uint32_t *ret_len)
{
	if (a->type == LINX_BYTES) {
		if (a->len != 4 && a->len != 16)
			return bad(c, "%s: addr: expected 4 or 16 bytes, not %u",
				   what, a->len);
		memcpy(out, a->bytes, a->len);
		*ret_len = a->len;
		return 0;
	}
	/* Strings hold no NUL (value.h), so inet_pton() sees all of it. */
	if (a->type == LINX_STRING && inet_pton(AF_INET, a->str, out) == 1) {
		*ret_len = 4;
		return 0;
	}
	if (a->type == LINX_STRING && inet_pton(AF_INET6, a->str, out) == 1) {
		*ret_len = 16;
		return 0;
	}
	return bad(c, "%s: addr: expected an IPv4 or IPv6 address%s%s", what,
		   a->type == LINX_STRING ? ", not " : "",
		   a->type == LINX_STRING ? a->str : "");
}

/* A data register for `len` bytes: its first 32-bit slot, or -1.
 * NFT_REG_1..4 are NFT_REG32_00..15 four at a time, and a value must
 * fit in the sixteen (nf_tables_api.c, nft_validate_register_store()). */
static int nat_to_reg(struct ectx *c, const char *what, const char *key,
		      const struct linx_value *v, uint64_t dflt, uint32_t len,
		      uint64_t *ret_reg)
{
	uint64_t reg = dflt;
	unsigned slot;

	if (v && (!linx_value_get_u64(v, &reg) || !reg_ok(reg) ||
		  reg == NFT_REG_VERDICT))
		return bad(c, "%s: %s: expected a data register (1..4, 8..23)",
			   what, key);
	slot = reg <= NFT_REG_4 ? (unsigned)(reg - NFT_REG_1) * 4
			       : (unsigned)(reg - NFT_REG32_00);
	if (slot + (len + 3) / 4 > 16)
		return bad(c, "%s: %s: %u bytes do not fit from register %llu",
			   what, key, len, (unsigned long long)reg);
	*ret_reg = reg;
	return (int)slot;
}

/*
 * {"expr": "dnat_to" | "snat_to", "addr": A, "port": P, "family": F,
 *  "flags": [...], "reg_addr": R, "reg_port": R} (spec
 * Linx.Netfilter.Expr dnat_to/3, snat_to/3) is what nftables writes for
 * `dnat ip to A:P`: an immediate of the address into reg_addr (default
 * 1), one of the port (BE16) into reg_port (default 2) when there is a
 * port, then the nat reading them.  One value, two or three elements;
 * everything is checked before the first is written, and a pull gives
 * the elements back (the canonical form).
 */
static int put_nat_to(struct ectx *c, const struct linx_value *v,
		      const char *what, uint16_t elem_attr)
{
	static const char *const extra[] = { "addr",  "port",	  "family",
					     "flags", "reg_addr", "reg_port",
					     NULL };
	const struct nft_exprdef *imm = nft_exprdef_find("immediate");
	const struct nft_exprdef *nat = nft_exprdef_find("nat");
	const struct linx_value *a = get(NULL, v, "addr");
	const struct linx_value *port = get(NULL, v, "port");
	const struct linx_value *fam = get(NULL, v, "family");
	const struct linx_value *flags = get(NULL, v, "flags");
	struct overlay oa = { 0 }, op = { 0 }, on = { 0 };
	struct linx_value addr_v, port_v;
	uint8_t addr[16], pbuf[2];
	uint64_t reg_a, reg_p = 0, pnum = 0, fl;
	uint32_t alen = 0;
	uint8_t nfproto;
	int sa, sp, r;

	if (c->depth > 0)
		return bad(c, "%s: not allowed inside another expression", what);
	r = check_keys(c, NULL, v, extra);
	if (r < 0)
		return r;
	if (!a)
		return bad(c, "%s: addr: required", what);
	r = nat_to_addr(c, what, a, addr, &alen);
	if (r < 0)
		return r;
	nfproto = alen == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	if (fam && (fam->type != LINX_STRING ||
		    (strcmp(fam->str, "ip") != 0 && strcmp(fam->str, "ip6") != 0)))
		return bad(c, "%s: family: expected ip or ip6", what);
	if (fam && (strcmp(fam->str, "ip") == 0) != (nfproto == NFPROTO_IPV4))
		return bad(c, "%s: family: %s with an IPv%c address", what,
			   fam->str, nfproto == NFPROTO_IPV4 ? '4' : '6');
	/* nft_nat_init(): outside inet, the table's family only. */
	if ((c->family == NFPROTO_IPV4 || c->family == NFPROTO_IPV6) &&
	    c->family != nfproto)
		return bad(c, "%s: addr: an IPv%c address in an %s table", what,
			   nfproto == NFPROTO_IPV4 ? '4' : '6',
			   c->family == NFPROTO_IPV4 ? "ip" : "ip6");
	if (port && (!linx_value_get_u64(port, &pnum) || pnum > UINT16_MAX))
		return bad(c, "%s: port: expected an integer 0..65535", what);
	if ((sa = nat_to_reg(c, what, "reg_addr", get(NULL, v, "reg_addr"),
			     NFT_REG_1, alen, &reg_a)) < 0)
		return sa;
	if (!port && get(NULL, v, "reg_port"))
		return bad(c, "%s: reg_port: without a port", what);
	if (port) {
		if ((sp = nat_to_reg(c, what, "reg_port",
				     get(NULL, v, "reg_port"), NFT_REG_2, 2,
				     &reg_p)) < 0)
			return sp;
		if (sp >= sa && sp < sa + (int)(alen + 3) / 4)
			return bad(c, "%s: reg_port: overlaps the address in "
				      "register %llu",
				   what, (unsigned long long)reg_a);
	}
	if (flags && (r = read_flags(c, field_of(nat, "flags"), flags, &fl)) < 0)
		return r;

	/* Views of local bytes: read by put_fields(), never freed. */
	addr_v = (struct linx_value){ .type = LINX_BYTES, .len = alen,
				      .bytes = addr };
	ov_uint(&oa, "dreg", reg_a);
	ov_ref(&oa, "data", &addr_v);
	r = put_elem(c, imm, &oa, NULL, elem_attr);
	if (r == 0 && port) {
		pbuf[0] = (uint8_t)(pnum >> 8);
		pbuf[1] = (uint8_t)pnum;
		port_v = (struct linx_value){ .type = LINX_BYTES, .len = 2,
					      .bytes = pbuf };
		ov_uint(&op, "dreg", reg_p);
		ov_ref(&op, "data", &port_v);
		r = put_elem(c, imm, &op, NULL, elem_attr);
	}
	if (r < 0)
		return r;
	ov_uint(&on, "type", what[0] == 'd' ? NFT_NAT_DNAT : NFT_NAT_SNAT);
	ov_uint(&on, "family", nfproto);
	ov_uint(&on, "reg_addr_min", reg_a);
	if (port)
		ov_uint(&on, "reg_proto_min", reg_p);
	if (flags)
		ov_ref(&on, "flags", flags);
	return put_elem(c, nat, &on, NULL, elem_attr);
}

/*
 * bitwise's fields by op (nft_bitwise_init() in net/netfilter/
 * nft_bitwise.c): a boolean (op bool, the default) takes mask and xor of
 * `len` bytes each, a shift takes its amount in data (a u32); `len` is
 * required by the kernel and, for a boolean, defaults to the mask's
 * length (the spec's bitwise/3).  Unknown ops (a number) are left to the
 * kernel.
 */
static int check_bitwise(struct ectx *c, struct overlay *o,
			 const struct linx_value *v)
{
	const struct linx_value *op = get(o, v, "op");
	const struct linx_value *mask = get(o, v, "mask");
	const struct linx_value *xor = get(o, v, "xor");
	const struct linx_value *data = get(o, v, "data");
	const struct linx_value *len = get(o, v, "len");
	uint64_t n = 0, opn = NFT_BITWISE_BOOL;
	bool shift;

	if (op && op->type == LINX_STRING)
		shift = strcmp(op->str, "lshift") == 0 ||
			strcmp(op->str, "rshift") == 0;
	else if (op && linx_value_get_u64(op, &opn) && opn > NFT_BITWISE_RSHIFT)
		return 0;
	else
		shift = opn != NFT_BITWISE_BOOL;
	if (len && (!linx_value_get_u64(len, &n) || n == 0 ||
		    n > NFT_DATA_VALUE_MAXLEN))
		return bad(c, "bitwise: len: expected 1..%d",
			   NFT_DATA_VALUE_MAXLEN);
	if (shift) {
		if (mask || xor)
			return bad(c, "bitwise: a shift takes data, not mask "
				      "and xor");
		if (!data || data->type != LINX_BYTES || data->len != 4)
			return bad(c, "bitwise: a shift takes data: 4 bytes "
				      "(the amount)");
		if (!len)
			return bad(c, "bitwise: len: required");
		return 0;
	}
	if (data)
		return bad(c, "bitwise: bool takes mask and xor, not data");
	if (!mask || !xor || mask->type != LINX_BYTES ||
	    xor->type != LINX_BYTES)
		return bad(c, "bitwise: bool takes mask and xor (bytes)");
	if (mask->len != xor->len)
		return bad(c, "bitwise: mask of %u bytes, xor of %u", mask->len,
			   xor->len);
	if (len && n != mask->len)
		return bad(c, "bitwise: len %llu, mask of %u bytes",
			   (unsigned long long)n, mask->len);
	if (!len)
		ov_uint(o, "len", mask->len);
	return 0;
}

/*
 * masq / redir with a port (spec masquerade/1 `:port_min`/`:port_max`,
 * redirect/1 `:port`): {"expr": "redir", "port": P} or {"expr": "masq",
 * "port_min": P, "port_max": Q, ...} is what nftables writes for
 * `redirect to :P` and `masquerade to :P-Q`: immediates of the ports
 * (BE16) into registers 1 (and 2), then the expression reading them with
 * its other fields as given.  Pulled back as those.
 */
static int put_port_sugar(struct ectx *c, const struct nft_exprdef *d,
			  const struct linx_value *v, uint16_t elem_attr)
{
	static const char *const extra[] = { "port", "port_min", "port_max",
					     NULL };
	const struct nft_exprdef *imm = nft_exprdef_find("immediate");
	const struct linx_value *port = get(NULL, v, "port");
	const struct linx_value *lo_v = get(NULL, v, "port_min");
	const struct linx_value *hi_v = get(NULL, v, "port_max");
	struct overlay o = { 0 }, oi = { 0 };
	struct linx_value view;
	uint64_t p[2] = { 0, 0 };
	uint8_t be[2][2];
	int r;

	if (c->depth > 0)
		return bad(c, "%s: a port is not allowed inside another "
			      "expression", d->name);
	r = check_keys(c, d, v, extra);
	if (r < 0)
		return r;
	if (port && (lo_v || hi_v))
		return bad(c, "%s: port excludes port_min and port_max",
			   d->name);
	if (hi_v && !lo_v)
		return bad(c, "%s: port_max: without port_min", d->name);
	if (get(NULL, v, "reg_proto_min") || get(NULL, v, "reg_proto_max"))
		return bad(c, "%s: a port excludes reg_proto_min and "
			      "reg_proto_max", d->name);
	if (!lo_v)
		lo_v = port;
	if (!linx_value_get_u64(lo_v, &p[0]) || p[0] > UINT16_MAX ||
	    (hi_v && (!linx_value_get_u64(hi_v, &p[1]) || p[1] > UINT16_MAX)))
		return bad(c, "%s: %s: expected an integer 0..65535", d->name,
			   port ? "port" : "port_min, port_max");
	if (hi_v && p[1] < p[0])
		return bad(c, "%s: port_max below port_min", d->name);
	/* The expression's own fields (flags), checked before anything is
	 * written: a walk without a buffer only checks. */
	{
		struct nft_msgbuf *b = c->b;

		c->b = NULL;
		r = put_fields(c, d, NULL, v);
		c->b = b;
		if (r < 0)
			return r;
	}
	for (unsigned i = 0; i < (hi_v ? 2u : 1u); i++) {
		be[i][0] = (uint8_t)(p[i] >> 8);
		be[i][1] = (uint8_t)p[i];
		/* A view of local bytes: read by put_fields(), never freed. */
		view = (struct linx_value){ .type = LINX_BYTES, .len = 2,
					    .bytes = be[i] };
		oi.n = 0;
		ov_uint(&oi, "dreg", NFT_REG_1 + i);
		ov_ref(&oi, "data", &view);
		r = put_elem(c, imm, &oi, NULL, elem_attr);
		if (r < 0)
			return r;
	}
	ov_uint(&o, "reg_proto_min", NFT_REG_1);
	if (hi_v)
		ov_uint(&o, "reg_proto_max", NFT_REG_2);
	return put_elem(c, d, &o, v, elem_attr);
}

static int put_expr(struct ectx *c, const struct linx_value *v,
		    uint16_t elem_attr)
{
	const struct nft_exprdef *d;
	const struct linx_value *name, *x;
	struct overlay o = { 0 };
	size_t elem = 0, data = 0;
	int r;

	if (is_verdict_sugar(v)) {
		d = nft_exprdef_find("immediate");
		ov_uint(&o, "dreg", NFT_REG_VERDICT);
		ov_ref(&o, "verdict", v);
		r = verdict_where(c, nft_verdict_check(v, c->err));
		if (r < 0)
			return r;
		v = NULL;
		goto write;
	}
	if (v->type != LINX_MAP)
		return bad(c, "expected a map with \"expr\", or a verdict");
	name = linx_map_get(v, "expr");
	if (name->type != LINX_STRING || name->len == 0 ||
	    name->len >= NFT_NAME_MAXLEN)
		return bad(c, "expr: expected an expression name");
	if (strcmp(name->str, "dnat_to") == 0 ||
	    strcmp(name->str, "snat_to") == 0)
		return put_nat_to(c, v, name->str, elem_attr);
	if (strcmp(name->str, "set_literal") == 0) {
		if (c->b)
			elem = nft_nest_begin(c->b, elem_attr);
		r = put_set_literal(c, v);
		if (c->b)
			nft_nest_end(c->b, elem);
		return r;
	}
	if (strcmp(name->str, "objref") == 0 &&
	    (x = get(NULL, v, "set")) != NULL && x->type == LINX_MAP) {
		if (c->b)
			elem = nft_nest_begin(c->b, elem_attr);
		r = put_objref_literal(c, v, x);
		if (c->b)
			nft_nest_end(c->b, elem);
		return r;
	}
	if (strcmp(name->str, "dynset") == 0 &&
	    (x = get(NULL, v, "set")) != NULL && x->type == LINX_MAP)
		return put_meter(c, v, x, elem_attr);
	if ((x = get(NULL, v, "raw")) != NULL) {
		static const char *const extra[] = { "raw", NULL };

		r = check_keys(c, NULL, v, extra);
		if (r < 0)
			return r;
		/* An empty raw stands for a message without NFTA_EXPR_DATA. */
		bool has_data = x->type != LINX_BYTES || x->len > 0;

		if (c->b) {
			elem = nft_nest_begin(c->b, elem_attr);
			nft_put_strz(c->b, NFTA_EXPR_NAME, name->str);
			if (has_data)
				data = nft_nest_begin(c->b, NFTA_EXPR_DATA);
		}
		r = put_raw(c, name->str, x);
		if (c->b) {
			if (has_data)
				nft_nest_end(c->b, data);
			nft_nest_end(c->b, elem);
		}
		return r;
	}
	d = nft_exprdef_find(name->str);
	if (!d)
		return bad(c, "unknown expression %s (give its \"raw\" "
			      "attributes to send it anyway)",
			   name->str);
	if ((strcmp(d->name, "masq") == 0 || strcmp(d->name, "redir") == 0) &&
	    (get(NULL, v, "port") || get(NULL, v, "port_min") ||
	     get(NULL, v, "port_max")))
		return put_port_sugar(c, d, v, elem_attr);
	if (strcmp(d->name, "payload") == 0 && get(NULL, v, "field")) {
		static const char *const extra[] = { "field", NULL };
		const struct linx_value *fv = get(NULL, v, "field");
		const struct nft_payload_field *pf;

		r = check_keys(c, d, v, extra);
		if (r < 0)
			return r;
		if (fv->type != LINX_STRING ||
		    !(pf = nft_payload_field_find(fv->str)))
			return bad(c, "payload: unknown field %s",
				   fv->type == LINX_STRING ? fv->str
							   : "(not a string)");
		if (get(NULL, v, "base") || get(NULL, v, "offset") ||
		    get(NULL, v, "len"))
			return bad(c, "payload: field excludes base, offset "
				      "and len");
		ov_uint(&o, "base", pf->base);
		ov_uint(&o, "offset", pf->offset);
		ov_uint(&o, "len", pf->len);
		if (!get(NULL, v, "sreg") && !get(NULL, v, "dreg"))
			ov_uint(&o, "dreg", NFT_REG_1);
	} else {
		r = check_keys(c, d, v, NULL);
		if (r < 0)
			return r;
	}
	/* Field combinations the tables cannot say. */
	if (strcmp(d->name, "immediate") == 0) {
		bool hv = get(&o, v, "verdict"), hd = get(&o, v, "data");

		const struct linx_value *dreg = get(&o, v, "dreg");
		uint64_t reg;

		if (hv == hd)
			return bad(c, "immediate: exactly one of verdict and "
				      "data");
		/* nft_immediate_init(): verdicts go to the verdict register,
		 * data to a data register. */
		if (dreg && linx_value_get_u64(dreg, &reg) &&
		    (reg == NFT_REG_VERDICT) != hv)
			return bad(c, "immediate: %s",
				   hv ? "a verdict goes to register 0"
				      : "data cannot go to register 0");
	}
	if (strcmp(d->name, "bitwise") == 0 &&
	    (r = check_bitwise(c, &o, v)) < 0)
		return r;
	if (strcmp(d->name, "payload") == 0 &&
	    !get(&o, v, "sreg") == !get(&o, v, "dreg"))
		return bad(c, "payload: exactly one of dreg (load) and sreg "
			      "(write)");
	if ((strcmp(d->name, "meta") == 0 || strcmp(d->name, "ct") == 0) &&
	    !get(&o, v, "sreg") == !get(&o, v, "dreg"))
		return bad(c, "%s: exactly one of dreg (load) and sreg (set)",
			   d->name);
write:
	return put_elem(c, d, &o, v, elem_attr);
}

static int walk(struct ectx *c, const struct linx_value *exprs)
{
	int r;

	if (!exprs || exprs->type != LINX_LIST)
		return nft_bad(c->err, "bad_expr", c->obj,
			       "exprs: expected a list of expressions");
	for (uint32_t i = 0; i < exprs->len; i++) {
		c->idx = i;
		r = put_expr(c, &exprs->items[i], NFTA_LIST_ELEM);
		if (r < 0)
			return r;
	}
	return 0;
}

int nft_exprs_check(const struct nft_enc *e, const struct linx_value *exprs)
{
	struct ectx c;

	ctx_init(&c, e, e ? e->err : NULL);
	return walk(&c, exprs);
}

int nft_exprs_put(struct nft_enc *e, const struct linx_value *exprs,
		  const struct nft_anon *anons, size_t n_anons)
{
	struct ectx c;
	size_t nest;
	int r;

	if (!e || !e->bt)
		return -EINVAL;
	ctx_init(&c, e, e->err);
	c.b = &e->bt->buf;
	c.anons = anons;
	c.n_anons = n_anons;
	nest = nft_nest_begin(c.b, NFTA_RULE_EXPRESSIONS);
	r = walk(&c, exprs);
	nft_nest_end(c.b, nest);
	if (r == 0 && c.b->error) {
		r = c.b->error;
		linx_error_set(c.err, -r, "encode",
			       "rule expressions do not fit in a message");
	}
	return r;
}

/* ---- a set's and an element's expressions -------------------------------- */

int nft_set_exprs_put(struct nft_msgbuf *b, const struct linx_value *exprs,
		      uint16_t attr_one, uint16_t attr_list,
		      struct linx_error *err)
{
	struct ectx c;
	size_t nest = 0;
	int r = 0;

	if (!exprs || exprs->type != LINX_LIST)
		return nft_bad(err, "bad_expr", NULL,
			       "exprs: expected a list of expressions");
	ctx_init(&c, NULL, err);
	c.b = b;
	/* as a dynset's: nothing nests below them */
	c.depth = EXPR_DEPTH_MAX - 1;
	/* libnftnl: one expression alone, several in a list */
	if (exprs->len == 1)
		return put_expr(&c, &exprs->items[0], attr_one);
	if (b)
		nest = nft_nest_begin(b, attr_list);
	for (uint32_t i = 0; i < exprs->len && r == 0; i++) {
		c.idx = i;
		r = put_expr(&c, &exprs->items[i], NFTA_LIST_ELEM);
	}
	if (b)
		nft_nest_end(b, nest);
	return r;
}

/* ---- anonymous sets ------------------------------------------------------ */

/* Is an element of a set literal an interval (a prefix, a range, or an
 * interface name wildcard, "eth*")? */
static bool is_interval(const struct linx_value *el)
{
	const struct linx_value *k = el;

	if (el->type == LINX_MAP && linx_map_get(el, "key"))
		k = linx_map_get(el, "key");
	if (k->type == LINX_STRING)
		return memchr(k->str, '/', k->len) != NULL ||
		       (k->len > 1 && k->str[k->len - 1] == '*');
	if (k->type == LINX_MAP)
		return linx_map_get(k, "range") != NULL;
	if (k->type == LINX_LIST)
		for (uint32_t i = 0; i < k->len; i++)
			if (is_interval(&k->items[i]))
				return true;
	return false;
}

/*
 * The set a set_literal stands for, as set.c takes it: "anonymous": true
 * (NFT_SET_ANONYMOUS), name "__set%d" or, for a map, "__map%d" (nftables'
 * templates: the kernel picks the number), flags constant (and interval
 * when an element is a prefix or a range), the key (and data) type and
 * the elements.  nft_set_put() gives it the batch's next NFTA_SET_ID.
 */
static int anon_set_value(const struct linx_value *lit, struct linx_value *ret)
{
	const struct linx_value *el = linx_map_get(lit, "elements");
	const struct linx_value *dt = linx_map_get(lit, "data_type");
	struct linx_value s = linx_value_map(), flags = linx_value_list();
	struct linx_value tmp = linx_value_nil();
	bool interval = false;
	int r;

	for (uint32_t i = 0; el && el->type == LINX_LIST && i < el->len; i++)
		interval = interval || is_interval(&el->items[i]);
	linx_map_put_cstring(&s, "name", dt && dt->type != LINX_NIL
						 ? ANON_MAP_NAME
						 : ANON_SET_NAME);
	linx_map_put_bool(&s, "anonymous", true);
	linx_value_copy(&tmp, linx_map_get(lit, "key_type"));
	linx_map_put(&s, "key_type", &tmp);
	static const char *const typeofs[] = { "key_typeof", "data_typeof" };
	for (size_t i = 0; i < NFT_ARRAY_SIZE(typeofs); i++)
		if (linx_map_get(lit, typeofs[i])) {
			linx_value_copy(&tmp, linx_map_get(lit, typeofs[i]));
			linx_map_put(&s, typeofs[i], &tmp);
		}
	if (dt && dt->type != LINX_NIL) {
		linx_value_copy(&tmp, dt);
		linx_map_put(&s, "data_type", &tmp);
	}
	if (linx_map_get(lit, "data_interval")) {
		linx_value_copy(&tmp, linx_map_get(lit, "data_interval"));
		linx_map_put(&s, "data_interval", &tmp);
	}
	linx_list_push_cstring(&flags, "constant");
	if (interval)
		linx_list_push_cstring(&flags, "interval");
	linx_map_put(&s, "flags", &flags);
	linx_value_copy(&tmp, el);
	linx_map_put(&s, "elements", &tmp);
	r = linx_value_status(&s);
	if (r < 0) {
		linx_value_clear(&s);
		return r;
	}
	*ret = s;
	return 0;
}

/* The anonymous object map of an objref: "__objmap%d", constant. */
static int anon_objmap_value(const struct linx_value *inl,
			     struct linx_value *ret)
{
	int r = anon_set_value(inl, ret);

	if (r < 0)
		return r;
	return linx_map_put_cstring(ret, "name", ANON_OBJMAP_NAME);
}

/* A meter's set: what the dynset carries, anonymous and "dynamic"
 * (NFT_SET_EVAL), as nftables creates it.  set.c checks the rest. */
static int meter_set_value(const struct linx_value *inl,
			   struct linx_value *ret)
{
	const struct linx_value *f = linx_map_get(inl, "flags");
	struct linx_value s = linx_value_nil(), flags = linx_value_list();
	bool dynamic = false;
	int r;

	if ((r = linx_value_copy(&s, inl)) < 0)
		return r;
	if (f && f->type == LINX_LIST) {
		linx_value_clear(&flags);
		linx_value_copy(&flags, f);
		for (uint32_t i = 0; i < f->len; i++)
			dynamic = dynamic ||
				  (f->items[i].type == LINX_STRING &&
				   strcmp(f->items[i].str, "dynamic") == 0);
	}
	/* anything but a list is left for set.c to refuse */
	if (!f || f->type == LINX_LIST) {
		if (!dynamic)
			linx_list_push_cstring(&flags, "dynamic");
		linx_map_put(&s, "flags", &flags);
	} else {
		linx_value_clear(&flags);
	}
	linx_map_put_bool(&s, "anonymous", true);
	if ((r = linx_value_status(&s)) < 0) {
		linx_value_clear(&s);
		return r;
	}
	*ret = s;
	return 0;
}

/*
 * The name anonymous set `s` goes out under, into `a` (and `s`): its
 * template, or, when the encoder numbers the table's anonymous sets
 * (e->anon_next), the template with its next number spelled out.  A
 * meter keeps its own name and leaves a->name empty (its dynset names it).
 */
static int anon_name(struct nft_enc *e, struct linx_value *s,
		     struct nft_anon *a)
{
	static const char *const templates[NFT_ANON_TEMPLATES] = {
		ANON_SET_NAME, ANON_MAP_NAME, ANON_OBJMAP_NAME
	};
	const struct linx_value *nv = linx_map_get(s, "name");
	const char *name = nv && nv->type == LINX_STRING ? nv->str : "";

	a->name[0] = 0;
	for (size_t k = 0; k < NFT_ARRAY_SIZE(templates); k++) {
		if (strcmp(name, templates[k]) != 0)
			continue;
		if (!e->anon_next) {
			snprintf(a->name, sizeof(a->name), "%s", name);
			return 0;
		}
		snprintf(a->name, sizeof(a->name), "%.*s%u",
			 (int)strlen(name) - 2, name, e->anon_next[k]++);
		return linx_map_put_cstring(s, "name", a->name);
	}
	return 0;
}

int nft_exprs_emit_anon_sets(struct nft_enc *e, const struct linx_value *exprs,
			     struct nft_anon *anons, size_t max)
{
	size_t n = 0;
	int r;

	if (!e || !e->bt || !exprs || exprs->type != LINX_LIST)
		return -EINVAL;
	for (uint32_t i = 0; i < exprs->len; i++) {
		const struct linx_value *x = &exprs->items[i];
		const struct linx_value *name = linx_map_get(x, "expr");
		struct linx_value s;

		const struct linx_value *inl = linx_map_get(x, "set");
		bool is_str = name && name->type == LINX_STRING;
		bool inline_set = inl && inl->type == LINX_MAP;
		bool objmap = is_str && strcmp(name->str, "objref") == 0 &&
			      inline_set;
		bool meter = is_str && strcmp(name->str, "dynset") == 0 &&
			     inline_set;

		if (!objmap && !meter &&
		    (!is_str || strcmp(name->str, "set_literal") != 0))
			continue;
		if (n >= max)
			return nft_bad(e->err, "bad_rule", NULL,
				       "more than %zu set literals in one rule",
				       max);
		r = objmap  ? anon_objmap_value(inl, &s)
		    : meter ? meter_set_value(inl, &s)
			    : anon_set_value(x, &s);
		if (r < 0)
			return r;
		r = anon_name(e, &s, &anons[n]);
		if (r == 0)
			r = nft_set_put(e, &s, 0);
		linx_value_clear(&s);
		if (r < 0)
			return r;
		/* nft_set_put() numbered it: ++next_set_id. */
		anons[n++].id = e->bt->next_set_id;
	}
	return (int)n;
}

/* ---- wire -> value ------------------------------------------------------- */

static int parse_list(const struct nft_dec *d, const struct nlattr *list,
		      unsigned depth, struct linx_value *ret);

static uint64_t get_int(const struct nlattr *a, unsigned w)
{
	switch (w) {
	case 1:
		return linx_nl_u8(a, 0);
	case 2:
		return be16toh(linx_nl_u16(a, 0));
	case 8:
		return be64toh(linx_nl_u64(a, 0));
	default:
		return be32toh(linx_nl_u32(a, 0));
	}
}

/* Integers come out as int (what JSON gives back), uint above INT64_MAX. */
static int put_num(struct linx_value *m, const char *key, uint64_t u)
{
	return u <= INT64_MAX ? linx_map_put_int(m, key, (int64_t)u)
			      : linx_map_put_uint(m, key, u);
}

static uint8_t policy_kind(const struct nft_field *f)
{
	switch (f->kind) {
	case NFT_F_INT:
	case NFT_F_ENUM:
	case NFT_F_FLAGS:
		return f->width == 1   ? LINX_NL_U8
		       : f->width == 2 ? LINX_NL_U16
		       : f->width == 8 ? LINX_NL_U64
				       : LINX_NL_U32;
	case NFT_F_REG:
		return LINX_NL_U32;
	case NFT_F_STR:
		return LINX_NL_ANY;
	default:
		return LINX_NL_NESTED;
	}
}

static const struct linx_nl_policy value_policy[NFTA_DATA_MAX + 1] = {
	[NFTA_DATA_VALUE] = { LINX_NL_MAX, NFT_DATA_VALUE_MAXLEN },
	[NFTA_DATA_VERDICT] = { LINX_NL_NESTED, 0 },
};

/* One field's attribute into the map; 0 also when it is left out. */
static int parse_field(const struct nft_dec *d, const struct nft_field *f,
		       const struct nlattr *a, unsigned depth, uint64_t strip,
		       struct linx_value *m)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1];
	struct linx_value x = linx_value_nil();
	char s[NAME_MAX_BYTES + 1];
	const char *name;
	uint64_t u;
	int r;

	switch (f->kind) {
	case NFT_F_INT:
	case NFT_F_REG:
		return put_num(m, f->name, get_int(a, f->width));
	case NFT_F_ENUM:
		u = get_int(a, f->width);
		name = nft_sym_name(f->sym, (int64_t)u);
		return name ? linx_map_put_cstring(m, f->name, name)
			    : put_num(m, f->name, u);
	case NFT_F_FLAGS:
		u = get_int(a, f->width);
		if (u == 0 && f->zero_omit &&
		    (!*f->zero_omit || linx_map_get(m, f->zero_omit)))
			return 0;
		/* Bits the encoder adds by itself are not the value's; with
		 * nothing else they leave no flags at all. */
		if (strip && !(u & ~strip))
			return 0;
		u &= ~strip;
		r = nft_flags_to_value(f->sym, (uint32_t)u, &x);
		if (r == 0 && (u >> 32))
			r = -EBADMSG; /* no 64-bit flag fields */
		return r < 0 ? (linx_value_clear(&x), r)
			     : linx_map_put(m, f->name, &x);
	case NFT_F_STR: {
		/* Up to the first NUL, or the whole payload without one. */
		const char *p = mnl_attr_get_payload(a);
		size_t n = mnl_attr_get_payload_len(a);
		const char *nul = memchr(p, 0, n);

		if (nul)
			n = (size_t)(nul - p);
		if (n >= sizeof(s))
			return -EBADMSG;
		return linx_map_put_string(m, f->name, p, n);
	}
	case NFT_F_DATA:
		if (linx_nl_parse_nested(a, value_policy, NFTA_DATA_MAX, tb))
			return -EBADMSG;
		if (!tb[NFTA_DATA_VALUE])
			return tb[NFTA_DATA_VERDICT] ? 0 : -EBADMSG;
		return linx_map_put_bytes(m, f->name,
					  mnl_attr_get_payload(tb[NFTA_DATA_VALUE]),
					  mnl_attr_get_payload_len(
						  tb[NFTA_DATA_VALUE]));
	case NFT_F_VERDICT:
		if (linx_nl_parse_nested(a, value_policy, NFTA_DATA_MAX, tb))
			return -EBADMSG;
		if (!tb[NFTA_DATA_VERDICT])
			return tb[NFTA_DATA_VALUE] ? 0 : -EBADMSG; /* data */
		r = nft_verdict_parse(a, &x);
		if (r < 0)
			return r;
		return linx_map_put(m, f->name, &x);
	case NFT_F_EXPRS:
		if (depth + 1 >= EXPR_DEPTH_MAX)
			return -EBADMSG;
		r = parse_list(d, a, depth + 1, &x);
		if (r < 0)
			return r;
		return linx_map_put(m, f->name, &x);
	default:
		return -EBADMSG;
	}
}

static const struct linx_nl_policy elem_policy[NFTA_EXPR_MAX + 1] = {
	[NFTA_EXPR_NAME] = { LINX_NL_STRING, 0 },
	[NFTA_EXPR_DATA] = { LINX_NL_ANY, 0 },
};

/* An unmodelled expression's NFTA_EXPR_DATA payload as "raw", with the
 * padding after each attribute zeroed (and completed after the last one),
 * as the encoder writes it back. */
static int put_raw_value(struct linx_value *m, const struct nlattr *a)
{
	const uint8_t *p = a ? mnl_attr_get_payload(a) : NULL;
	size_t len = a ? mnl_attr_get_payload_len(a) : 0, off = 0;
	uint8_t *buf = malloc(len + MNL_ALIGNTO);
	struct linx_value raw = linx_value_nil();
	int r;

	if (!buf)
		return -ENOMEM;
	if (len)
		memcpy(buf, p, len);
	while (off + MNL_ATTR_HDRLEN <= len) {
		uint16_t alen;
		size_t end;

		memcpy(&alen, buf + off, sizeof(alen));
		if (alen < MNL_ATTR_HDRLEN || alen > len - off)
			break;
		end = off + MNL_ALIGN(alen);
		memset(buf + off + alen, 0, end - off - alen);
		if (end > len)
			len = end; /* the last one's padding, completed */
		off = end;
	}
	r = linx_value_bytes(&raw, buf, len);
	free(buf);
	return r < 0 ? r : linx_map_put(m, "raw", &raw);
}

/* A typeof naming a ct port (`ct original proto-dst`, alone or in a
 * concatenation): the language writes it for an anonymous set, as nft
 * 1.0.6 does. */
static bool typeof_has_ct_port(const struct linx_value *t)
{
	if (t->type == LINX_STRING)
		return strncmp(t->str, "ct ", 3) == 0 &&
		       strstr(t->str, " proto-") != NULL;
	for (uint32_t i = 0; t->type == LINX_LIST && i < t->len; i++)
		if (typeof_has_ct_port(&t->items[i]))
			return true;
	return false;
}

/* A lookup of an anonymous set the decoder knows: its set_literal. */
static int as_set_literal(const struct nft_dec *d, struct linx_value *m)
{
	const struct linx_value *set = linx_map_get(m, "set");
	const struct linx_value *s;
	struct linx_value lit = linx_value_map(), tmp = linx_value_nil();
	static const char *const keys[] = { "sreg", "dreg", "flags" };
	static const char *const from_set[] = { "key_type", "data_type",
						"data_interval", "elements" };

	if (!d->anon_set || !set || set->type != LINX_STRING ||
	    (strncmp(set->str, "__set", 5) != 0 &&
	     strncmp(set->str, "__map", 5) != 0))
		return 0;
	s = d->anon_set(d, set->str);
	if (!s || s->type != LINX_MAP)
		return 0;
	linx_map_put_cstring(&lit, "expr", "set_literal");
	for (size_t i = 0; i < NFT_ARRAY_SIZE(from_set); i++) {
		const struct linx_value *x = linx_map_get(s, from_set[i]);

		if (x && x->type != LINX_NIL) {
			linx_value_copy(&tmp, x);
			linx_map_put(&lit, from_set[i], &tmp);
		}
	}
	for (size_t i = 0; i < NFT_ARRAY_SIZE(keys); i++) {
		const struct linx_value *x = linx_map_get(m, keys[i]);

		if (x) {
			linx_value_copy(&tmp, x);
			linx_map_put(&lit, keys[i], &tmp);
		}
	}
	/* its typeof only where the key needs it (a concatenation with
	 * an integer, a lone raw payload, a ct port), as the language
	 * writes it */
	static const char *const typeofs[] = { "key_typeof", "data_typeof" };
	const struct linx_value *kto = linx_map_get(s, "key_typeof");
	bool need = kto &&
		    (nft_keytype_value_has_integer(linx_map_get(s, "key_type")) ||
		     (kto->type == LINX_STRING && kto->str[0] == '@') ||
		     typeof_has_ct_port(kto));
	for (size_t i = 0; need && i < NFT_ARRAY_SIZE(typeofs); i++)
		if (linx_map_get(s, typeofs[i])) {
			linx_value_copy(&tmp, linx_map_get(s, typeofs[i]));
			linx_map_put(&lit, typeofs[i], &tmp);
		}
	if (linx_value_status(&lit) < 0) {
		int r = linx_value_status(&lit);

		linx_value_clear(&lit);
		return r;
	}
	linx_value_clear(m);
	*m = lit;
	return 0;
}

/* An objref through an anonymous object map the decoder knows: the map
 * inline, as put_objref_literal() takes it. */
static int as_objmap_literal(const struct nft_dec *d, struct linx_value *m)
{
	const struct linx_value *set = linx_map_get(m, "set");
	const struct linx_value *s, *sreg;
	static const char *const from_set[] = { "key_type", "data_type",
						"elements" };
	struct linx_value out = linx_value_map(), inl = linx_value_map();
	struct linx_value tmp;

	if (!d->anon_set || !set || set->type != LINX_STRING ||
	    strncmp(set->str, "__objmap", 8) != 0)
		return 0;
	s = d->anon_set(d, set->str);
	if (!s || s->type != LINX_MAP)
		return 0;
	for (size_t i = 0; i < NFT_ARRAY_SIZE(from_set); i++) {
		const struct linx_value *x = linx_map_get(s, from_set[i]);

		if (x && x->type != LINX_NIL) {
			linx_value_copy(&tmp, x);
			linx_map_put(&inl, from_set[i], &tmp);
		}
	}
	linx_map_put_cstring(&out, "expr", "objref");
	if ((sreg = linx_map_get(m, "sreg"))) {
		linx_value_copy(&tmp, sreg);
		linx_map_put(&out, "sreg", &tmp);
	}
	linx_map_put(&out, "set", &inl);
	if (linx_value_status(&out) < 0) {
		int r = linx_value_status(&out);

		linx_value_clear(&out);
		return r;
	}
	linx_value_clear(m);
	*m = out;
	return 0;
}

/* A dynset into an anonymous set the decoder knows: a meter, the set
 * inline (put_meter()); its elements are state, not configuration. */
static int as_meter(const struct nft_dec *d, struct linx_value *m)
{
	static const char *const from_set[] = { "name", "key_type", "flags",
						"size" };
	const struct linx_value *set = linx_map_get(m, "set");
	const struct linx_value *s;
	struct linx_value inl = linx_value_map(), tmp;

	if (!d->anon_set || !set || set->type != LINX_STRING)
		return 0;
	s = d->anon_set(d, set->str);
	if (!s || s->type != LINX_MAP)
		return 0;
	for (size_t i = 0; i < NFT_ARRAY_SIZE(from_set); i++) {
		const struct linx_value *x = linx_map_get(s, from_set[i]);

		if (x && x->type != LINX_NIL) {
			linx_value_copy(&tmp, x);
			linx_map_put(&inl, from_set[i], &tmp);
		}
	}
	return linx_map_put(m, "set", &inl);
}

/* nat, masq, redir: the kernel reports a range's upper register equal
 * to the lower one when only the lower one was sent; leave it out. */
static bool max_is_min(const struct nft_exprdef *def, const struct nft_field *f,
		       const struct nlattr *const *tb)
{
	size_t n = strlen(f->name);
	char lo[32];
	const struct nft_field *g;

	if (n < 4 || n >= sizeof(lo) || strcmp(f->name + n - 4, "_max") != 0)
		return false;
	memcpy(lo, f->name, n - 4);
	memcpy(lo + n - 4, "_min", 5);
	g = field_of(def, lo);
	return g && tb[f->attr] && tb[g->attr] &&
	       get_int(tb[f->attr], 4) == get_int(tb[g->attr], 4);
}

static int parse_one(const struct nft_dec *d, const struct nlattr *elem,
		     unsigned depth, struct linx_value *ret)
{
	const struct nlattr *eb[NFTA_EXPR_MAX + 1];
	const struct nlattr *tb[64];
	struct linx_nl_policy pol[64];
	const struct nft_exprdef *def;
	struct linx_value m = linx_value_map();
	char name[NFT_NAME_MAXLEN];
	uint64_t strip = 0;
	int r;

	if (linx_nl_parse_nested(elem, elem_policy, NFTA_EXPR_MAX, eb) != 0 ||
	    !eb[NFTA_EXPR_NAME])
		return -EBADMSG;
	if (mnl_attr_get_payload_len(eb[NFTA_EXPR_NAME]) > sizeof(name))
		return -EBADMSG;
	linx_nl_str(eb[NFTA_EXPR_NAME], name, sizeof(name));
	r = linx_map_put_cstring(&m, "expr", name);
	def = nft_exprdef_find(name);
	if (r < 0 || !def) {
		const struct nlattr *a = eb[NFTA_EXPR_DATA];

		if (r == 0)
			r = put_raw_value(&m, a);
		goto out;
	}
	memset(tb, 0, sizeof(tb));
	if (eb[NFTA_EXPR_DATA]) {
		if (def->max >= NFT_ARRAY_SIZE(pol))
			return -EBADMSG;
		memset(pol, 0, sizeof(pol));
		for (size_t i = 0; i < def->n_fields; i++)
			pol[def->fields[i].attr].kind =
				policy_kind(&def->fields[i]);
		if (def->n_fields &&
		    linx_nl_parse_nested(eb[NFTA_EXPR_DATA], pol, def->max,
					 tb) != 0) {
			r = -EBADMSG;
			goto out;
		}
	}
	if (def->nat_flags) {
		if (strcmp(def->name, "nat") == 0 && tb[NFTA_NAT_REG_ADDR_MIN])
			strip |= NF_NAT_RANGE_MAP_IPS;
		for (size_t i = 0; i < def->n_fields; i++)
			if (strcmp(def->fields[i].name, "reg_proto_min") == 0 &&
			    tb[def->fields[i].attr])
				strip |= NF_NAT_RANGE_PROTO_SPECIFIED;
	}
	for (size_t i = 0; i < def->n_fields && r == 0; i++) {
		const struct nft_field *f = &def->fields[i];

		if (def->nat_flags && max_is_min(def, f, tb))
			continue;
		if (tb[f->attr])
			r = parse_field(d, f, tb[f->attr], depth, strip, &m);
		else if (f->kind == NFT_F_EXPRS && f->attr2 &&
			 eb[NFTA_EXPR_DATA]) {
			/* dynset's single NFTA_DYNSET_EXPR: a list of one */
			const struct nlattr *a;

			mnl_attr_for_each_nested(a, eb[NFTA_EXPR_DATA]) {
				struct linx_value one = linx_value_nil();
				struct linx_value l = linx_value_list();

				if (mnl_attr_get_type(a) != f->attr2)
					continue;
				if (depth + 1 >= EXPR_DEPTH_MAX) {
					r = -EBADMSG;
					break;
				}
				r = parse_one(d, a, depth + 1, &one);
				if (r == 0) {
					linx_list_push(&l, &one);
					r = linx_map_put(&m, f->name, &l);
				}
				linx_value_clear(&l);
				break;
			}
		}
	}
	if (r == 0 && strcmp(def->name, "lookup") == 0)
		r = as_set_literal(d, &m);
	if (r == 0 && strcmp(def->name, "objref") == 0)
		r = as_objmap_literal(d, &m);
	if (r == 0 && strcmp(def->name, "dynset") == 0)
		r = as_meter(d, &m);
out:
	if (r == 0)
		r = nft_built(&m);
	if (r < 0) {
		linx_value_clear(&m);
		/* A name or string that is not UTF-8 is a bad message. */
		return r == -EINVAL ? -EBADMSG : r;
	}
	*ret = m;
	return 0;
}

static int parse_list(const struct nft_dec *d, const struct nlattr *list,
		      unsigned depth, struct linx_value *ret)
{
	struct linx_value l = linx_value_list();
	const char *p = mnl_attr_get_payload(list);
	size_t len = mnl_attr_get_payload_len(list);
	size_t off = 0;
	int r = 0;

	while (off + MNL_ATTR_HDRLEN <= len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		struct linx_value one = linx_value_nil();

		if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - off) {
			r = -EBADMSG;
			break;
		}
		if (mnl_attr_get_type(a) == NFTA_LIST_ELEM) {
			r = parse_one(d, a, depth, &one);
			if (r < 0)
				break;
			r = linx_list_push(&l, &one);
			if (r < 0)
				break;
		}
		off += MNL_ALIGN(a->nla_len);
	}
	if (r == 0 && off < len)
		r = -EBADMSG; /* trailing bytes shorter than a header */
	if (r < 0) {
		linx_value_clear(&l);
		return r;
	}
	*ret = l;
	return 0;
}

int nft_exprs_parse(const struct nft_dec *d, const struct nlattr *list,
		    struct linx_value *ret)
{
	static const struct nft_dec none = { 0 };

	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (!list)
		return -EINVAL;
	return parse_list(d ? d : &none, list, 0, ret);
}

int nft_set_exprs_parse(const struct nlattr *one, const struct nlattr *list,
			struct linx_value *ret)
{
	static const struct nft_dec none = { 0 };
	struct linx_value x = linx_value_nil();
	int r;

	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (list)
		return parse_list(&none, list, EXPR_DEPTH_MAX - 1, ret);
	if (!one)
		return -EINVAL;
	r = parse_one(&none, one, EXPR_DEPTH_MAX - 1, &x);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	r = linx_list_push(ret, &x);
	if (r < 0) {
		linx_value_clear(ret);
		return r;
	}
	return 0;
}
